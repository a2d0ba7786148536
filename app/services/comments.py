"""Comment threads on a paragraph and language: add, reply, resolve, reopen.

A thread may quote a passage of the current text; the anchor is placed on it
(``drafting.anchors.place``) and followed through later edits when threads are read
(:func:`threads`), which stores the relocated anchors so that each relocation starts from
the last one.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Update
from sqlmodel import Session, col, update

from app import validation
from app.db import unit_of_work
from app.errors import Forbidden, ValidationFailed
from app.events import DocumentEvent
from app.fields import COMMENT_LENGTH, MAX_ID, QUOTE_LENGTH
from app.models import Comment, Paragraph, Revision, utcnow
from app.permissions import Action
from app.queries import comments as queries
from app.queries import documents as document_queries
from app.queries.access import DocumentAccess, ParagraphAccess
from app.queries.comments import AnchorUpdate, CommentView, Threads
from app.queries.revisions import current_revision
from app.services import audit, notifications
from app.services.live_events import document_event
from drafting.anchors import AnchorNotFound, place
from drafting.text import Lang, normalise

DUPLICATE_WINDOW = timedelta(seconds=30)


def _body(body: str) -> str:
    with validation.field("body"):
        body = normalise(body, max_length=COMMENT_LENGTH)
    if not body.strip():
        raise ValidationFailed("A comment must not be empty.", details={"field": "body"})
    return body


def _quote(quote: str | None) -> str | None:
    """The quoted passage, or None when none was given (an empty field means none)."""
    if quote is None:
        return None
    with validation.field("quote"):
        quote = normalise(quote, max_length=QUOTE_LENGTH)
    return quote if quote.strip() else None


def _parent(session: Session, paragraph: Paragraph, parent_id: int) -> Comment:
    parent = session.get(Comment, parent_id) if 0 < parent_id <= MAX_ID else None
    if parent is None or parent.paragraph_id != paragraph.id or parent.parent_id is not None:
        raise ValidationFailed(
            "parent_id {parent_id} is not a comment thread of this paragraph.",
            details={"field": "parent_id"},
            parent_id=parent_id,
        )
    return parent


def _event(access: DocumentAccess, comment: Comment, kind: str) -> DocumentEvent:
    data = {"comment_id": comment.id, "lang": comment.lang}
    return document_event(access, kind, comment.paragraph_id, data)


def add_comment(
    session: Session,
    access: ParagraphAccess,
    lang: Lang,
    body: str,
    quote: str | None = None,
    parent_id: int | None = None,
) -> Comment:
    """A new thread on ``lang`` of the paragraph (quoting a passage or not), or a reply."""
    user, paragraph = access.user, access.paragraph
    with unit_of_work(session) as uow:
        access.require_in_phase(Action.COMMENT)
        assert paragraph.id is not None and user.id is not None
        body = _body(body)
        quote = _quote(quote)
        parent = _parent(session, paragraph, parent_id) if parent_id is not None else None
        duplicate = queries.recent_duplicate(
            session,
            author_id=user.id,
            paragraph_id=paragraph.id,
            lang=lang.value,
            parent_id=parent.id if parent else None,
            body=body,
            quote=quote,
            since=utcnow() - DUPLICATE_WINDOW,
        )
        if duplicate is not None:
            # The same form sent twice (a double click without JavaScript): one comment.
            return duplicate
        comment = Comment(
            paragraph_id=paragraph.id,
            document_id=paragraph.document_id,
            lang=lang,
            author_id=user.id,
            parent_id=parent.id if parent else None,
            body=body,
        )
        if parent is not None:
            _check_reply(parent, lang, quote)
        elif quote is not None:
            _anchor(comment, current_revision(session, paragraph, lang), quote)
        session.add(comment)
        session.flush()
        assert comment.id is not None
        notifications.notify_for_comment(
            session, access, comment, parent.author_id if parent is not None else None
        )
        audit.record_in_group(
            session,
            access,
            "comment.reply" if parent is not None else "comment.add",
            f"comment:{comment.id}",
            paragraph_id=paragraph.id,
            lang=lang.value,
            parent_id=comment.parent_id,
            quote=comment.quote,
        )
        uow.after_commit(_event(access, comment, "comment_added"))
    return comment


def _check_reply(parent: Comment, lang: Lang, quote: str | None) -> None:
    if parent.lang != lang.value:
        raise ValidationFailed(
            "A reply is in the language of its thread ({lang}).",
            details={"field": "lang"},
            lang=parent.lang.upper(),
        )
    if quote is not None:
        raise ValidationFailed(
            "A reply belongs to the passage of its thread; it cannot quote another one.",
            details={"field": "quote"},
        )


def _anchor(comment: Comment, revision: Revision, quote: str) -> None:
    """Place the thread's anchor on the quoted passage of the current text."""
    try:
        anchor = place(revision.text, quote)
    except AnchorNotFound:
        shown = quote if len(quote) <= 60 else quote[:57] + "…"
        raise ValidationFailed(
            "The quoted passage “{quote}” does not occur in the current {lang} text of"
            " this paragraph. Select or copy the passage again.",
            details={"field": "quote"},
            quote=shown,
            lang=comment.lang.upper(),
        ) from None
    comment.quote = anchor.quote
    comment.anchor_start = anchor.start
    comment.anchor_end = anchor.end
    comment.anchor_state = anchor.state.value
    comment.anchor_revision_id = revision.id


def _require_may_change(access: DocumentAccess, comment: Comment) -> None:
    if comment.parent_id is not None:
        raise ValidationFailed(
            "Only a whole thread can be resolved or reopened, not a reply.",
            details={"field": "comment_id"},
        )
    may = access.can_in_phase(Action.RESOLVE_ANY_COMMENT) or (
        comment.author_id == access.user.id and access.can_in_phase(Action.COMMENT)
    )
    if not may:
        raise Forbidden("Only the author of a thread or a moderator may resolve or reopen it.")


def resolve(session: Session, access: DocumentAccess, comment: Comment) -> Comment:
    with unit_of_work(session) as uow:
        _require_may_change(access, comment)
        if comment.resolved_at is not None:
            return comment
        comment.resolved_at = utcnow()
        comment.resolved_by = access.user.id
        session.add(comment)
        audit.record_in_group(session, access, "comment.resolve", f"comment:{comment.id}")
        uow.after_commit(_event(access, comment, "comment_resolved"))
    return comment


def reopen(session: Session, access: DocumentAccess, comment: Comment) -> Comment:
    with unit_of_work(session) as uow:
        _require_may_change(access, comment)
        if comment.resolved_at is None:
            return comment
        comment.resolved_at = None
        comment.resolved_by = None
        session.add(comment)
        audit.record_in_group(session, access, "comment.reopen", f"comment:{comment.id}")
        uow.after_commit(_event(access, comment, "comment_reopened"))
    return comment


def threads(session: Session, access: ParagraphAccess) -> list[CommentView]:
    """The paragraph's threads with replies, anchors relocated to the current texts."""
    paragraph = access.paragraph
    assert access.document.id is not None and paragraph.id is not None
    view = document_queries.paragraph_view(session, paragraph)
    found = queries.threads_for(session, access.document.id, [view], paragraph_id=paragraph.id)
    store_relocations(session, found)
    return found.of(paragraph.id, "de") + found.of(paragraph.id, "fr")


def thread(session: Session, access: ParagraphAccess, comment: Comment) -> CommentView:
    """The comment's thread (its own, or the one it replies to) as :func:`threads` shows
    it, with the comment as it now stands."""
    assert comment.id is not None
    top_id = comment.parent_id or comment.id
    for view in threads(session, access):
        if view.id == top_id:
            return view
    raise AssertionError("a thread of a live paragraph is always found")


def store_relocations(session: Session, found: Threads) -> None:
    """Store relocated anchors, so that the next relocation starts from the current text.

    Reading ends first: the writes then start their own transaction (on SQLite a read
    transaction that turns into a write fails when another writer came in between). Each
    write only advances an anchor still stored as it was read; a concurrent reader
    storing the same relocation is harmless.
    """
    if not found.updates:
        return
    session.rollback()
    with unit_of_work(session):
        for change in found.updates:
            session.exec(_stored_relocation(change))


def _stored_relocation(change: AnchorUpdate) -> Update:
    """Advance the anchor only if it is still stored as it was read."""
    anchor = change.anchor
    statement = (
        update(Comment)
        .where(col(Comment.id) == change.comment_id)
        .values(
            quote=anchor.quote,
            anchor_start=anchor.start,
            anchor_end=anchor.end,
            anchor_state=anchor.state.value,
            anchor_revision_id=change.revision_id,
        )
    )
    if change.from_revision_id is None:
        return statement.where(col(Comment.anchor_revision_id).is_(None))
    return statement.where(col(Comment.anchor_revision_id) == change.from_revision_id)
