"""Comment threads on a paragraph and language: add, reply, resolve, reopen.

A thread may quote a passage of the current text; the anchor is placed on it
(``drafting.anchors.place``) and followed through later edits when threads are read
(:func:`threads`), which stores the relocated anchors so that each relocation starts from
the last one.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, update

from app import validation
from app.errors import Forbidden, NotFound, ValidationFailed
from app.events import DocumentEvent, publish
from app.fields import MAX_ID
from app.models import Comment, Paragraph, Revision, User, utcnow
from app.permissions import Action
from app.queries import access as access_queries
from app.queries import comments as queries
from app.queries import documents as document_queries
from app.queries.access import DocumentAccess
from app.queries.comments import CommentView, Threads
from app.services import audit, notifications
from drafting.anchors import AnchorNotFound, place
from drafting.text import Lang, normalise

MAX_BODY_LENGTH = 20_000
MAX_QUOTE_LENGTH = 5_000
DUPLICATE_WINDOW = timedelta(seconds=30)


def _body(body: str) -> str:
    with validation.field("body"):
        body = normalise(body, max_length=MAX_BODY_LENGTH)
    if not body.strip():
        raise ValidationFailed("A comment must not be empty.", details={"field": "body"})
    return body


def _quote(quote: str | None) -> str | None:
    """The quoted passage, or None when none was given (an empty field means none)."""
    if quote is None:
        return None
    with validation.field("quote"):
        quote = normalise(quote, max_length=MAX_QUOTE_LENGTH)
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


def _current_revision(session: Session, paragraph: Paragraph, lang: Lang) -> Revision:
    revision_id = paragraph.current_revision_id(lang.value)
    revision = session.get(Revision, revision_id) if revision_id is not None else None
    assert revision is not None, "every paragraph has a revision per language"
    return revision


def paragraph_for(
    session: Session, user: User, paragraph_id: int
) -> tuple[DocumentAccess, Paragraph]:
    """As ``access.paragraph_for``, but 404 for ids no row can have on PostgreSQL."""
    if paragraph_id > MAX_ID:
        raise NotFound()
    return access_queries.paragraph_for(session, user, paragraph_id)


def _event(access: DocumentAccess, comment: Comment, kind: str) -> DocumentEvent:
    assert access.document.id is not None
    return DocumentEvent(
        document_id=access.document.id,
        kind=kind,
        paragraph_id=comment.paragraph_id,
        actor=access.user.username,
        data={"comment_id": comment.id, "lang": comment.lang},
    )


def add_comment(
    session: Session,
    user: User,
    paragraph_id: int,
    lang: Lang,
    body: str,
    quote: str | None = None,
    parent_id: int | None = None,
) -> Comment:
    """A new thread on ``lang`` of the paragraph (quoting a passage or not), or a reply."""
    access, paragraph = paragraph_for(session, user, paragraph_id)
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
        session.rollback()
        return duplicate
    comment = Comment(
        paragraph_id=paragraph.id,
        document_id=paragraph.document_id,
        lang=lang.value,
        author_id=user.id,
        parent_id=parent.id if parent else None,
        body=body,
    )
    if parent is not None:
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
    elif quote is not None:
        revision = _current_revision(session, paragraph, lang)
        try:
            anchor = place(revision.text, quote)
        except AnchorNotFound:
            shown = quote if len(quote) <= 60 else quote[:57] + "…"
            raise ValidationFailed(
                "The quoted passage “{quote}” does not occur in the current {lang} text of"
                " this paragraph. Select or copy the passage again.",
                details={"field": "quote"},
                quote=shown,
                lang=lang.value.upper(),
            ) from None
        comment.quote = anchor.quote
        comment.anchor_start = anchor.start
        comment.anchor_end = anchor.end
        comment.anchor_state = anchor.state.value
        comment.anchor_revision_id = revision.id
    session.add(comment)
    session.flush()
    assert comment.id is not None
    notifications.notify_for_comment(
        session, access, comment, parent.author_id if parent is not None else None
    )
    audit.record(
        session,
        user,
        "comment.reply" if parent is not None else "comment.add",
        f"comment:{comment.id}",
        group_id=access.group.id,
        paragraph_id=paragraph.id,
        lang=lang.value,
        parent_id=comment.parent_id,
        quote=comment.quote,
    )
    session.commit()
    publish(session, _event(access, comment, "comment_added"))
    return comment


def _thread_for_change(
    session: Session, user: User, comment_id: int
) -> tuple[DocumentAccess, Comment]:
    comment = queries.comment_by_id(session, comment_id)
    access, _ = paragraph_for(session, user, comment.paragraph_id)
    if comment.parent_id is not None:
        raise ValidationFailed(
            "Only a whole thread can be resolved or reopened, not a reply.",
            details={"field": "comment_id"},
        )
    may = access.can_in_phase(Action.RESOLVE_ANY_COMMENT) or (
        comment.author_id == user.id and access.can_in_phase(Action.COMMENT)
    )
    if not may:
        raise Forbidden("Only the author of a thread or a moderator may resolve or reopen it.")
    return access, comment


def resolve(session: Session, user: User, comment_id: int) -> Comment:
    access, comment = _thread_for_change(session, user, comment_id)
    if comment.resolved_at is not None:
        session.rollback()
        return comment
    comment.resolved_at = utcnow()
    comment.resolved_by = user.id
    session.add(comment)
    audit.record(
        session, user, "comment.resolve", f"comment:{comment.id}", group_id=access.group.id
    )
    session.commit()
    publish(session, _event(access, comment, "comment_resolved"))
    return comment


def reopen(session: Session, user: User, comment_id: int) -> Comment:
    access, comment = _thread_for_change(session, user, comment_id)
    if comment.resolved_at is None:
        session.rollback()
        return comment
    comment.resolved_at = None
    comment.resolved_by = None
    session.add(comment)
    audit.record(session, user, "comment.reopen", f"comment:{comment.id}", group_id=access.group.id)
    session.commit()
    publish(session, _event(access, comment, "comment_reopened"))
    return comment


def threads(session: Session, user: User, paragraph_id: int) -> list[CommentView]:
    """The paragraph's threads with replies, anchors relocated to the current texts."""
    access, paragraph = paragraph_for(session, user, paragraph_id)
    assert access.document.id is not None and paragraph.id is not None
    view = document_queries.paragraph_view(session, paragraph)
    found = queries.threads_for(session, access.document.id, [view], paragraph_id=paragraph.id)
    store_relocations(session, found)
    return found.of(paragraph.id, "de") + found.of(paragraph.id, "fr")


def thread(session: Session, user: User, comment_id: int) -> CommentView:
    """One thread (the comment's, if it is a reply) as :func:`threads` shows it."""
    comment = queries.comment_by_id(session, comment_id)
    top_id = comment.parent_id or comment.id
    for view in threads(session, user, comment.paragraph_id):
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
    for change in found.updates:
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
            statement = statement.where(col(Comment.anchor_revision_id).is_(None))
        else:
            statement = statement.where(col(Comment.anchor_revision_id) == change.from_revision_id)
        session.exec(statement)
    session.commit()
