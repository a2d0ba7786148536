"""Reading comment threads, with their anchors relocated to the current texts.

An anchor is stored with the revision it was placed on (``anchor_revision_id``). Reading a
thread relocates it to the current revision of its language (``drafting.anchors``); the
result is shown, and :mod:`app.services.comments` stores it so that the next relocation
starts from there. Reading never writes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from app.errors import NotFound
from app.fields import MAX_ID
from app.models import Comment, Paragraph, Revision, User
from app.queries.access import DocumentAccess, ParagraphAccess, paragraph_access
from app.queries.documents import ParagraphView
from drafting.anchors import Anchor, AnchorState, relocate


@dataclass(frozen=True)
class AnchorView:
    lang: str
    quote: str
    start: int | None
    end: int | None
    state: str


@dataclass(frozen=True)
class AnchorUpdate:
    """A relocated anchor that differs from the stored one (for the service to store)."""

    comment_id: int
    from_revision_id: int | None
    revision_id: int | None
    anchor: Anchor


@dataclass
class CommentView:
    id: int
    paragraph_id: int
    lang: str
    body: str
    author: str
    author_name: str
    author_id: int
    parent_id: int | None
    created_at: datetime
    resolved_at: datetime | None
    anchor: AnchorView | None
    replies: list[CommentView] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


@dataclass(frozen=True)
class Threads:
    """Top-level comments with their replies, per (paragraph id, language)."""

    by_side: dict[tuple[int, str], list[CommentView]]
    updates: list[AnchorUpdate]

    def of(self, paragraph_id: int, lang: str) -> list[CommentView]:
        return self.by_side.get((paragraph_id, lang), [])

    @property
    def open_count(self) -> int:
        return sum(1 for threads in self.by_side.values() for t in threads if not t.resolved)


# Relocations already computed in this process: where an anchor stands in a new text
# depends only on the stored anchor and the two texts, so a page shown again does not redo
# the fuzzy matching. Keyed by a digest of the texts (NUL never occurs in a stored text).
_RelocationKey = tuple[bytes, str, int | None, int | None, str]
_RELOCATIONS: OrderedDict[_RelocationKey, Anchor] = OrderedDict()
_RELOCATIONS_LIMIT = 20_000
_RELOCATIONS_LOCK = threading.Lock()


def _relocate_remembered(old_text: str, new_text: str, stored: Anchor) -> Anchor:
    digest = hashlib.blake2b(
        f"{old_text}\0{new_text}".encode("utf-8", "surrogatepass"), digest_size=16
    ).digest()
    key = (digest, stored.quote, stored.start, stored.end, stored.state.value)
    with _RELOCATIONS_LOCK:
        anchor = _RELOCATIONS.get(key)
        if anchor is not None:
            _RELOCATIONS.move_to_end(key)
            return anchor
    anchor = relocate(old_text, new_text, stored)
    with _RELOCATIONS_LOCK:
        _RELOCATIONS[key] = anchor
        while len(_RELOCATIONS) > _RELOCATIONS_LIMIT:
            _RELOCATIONS.popitem(last=False)
    return anchor


def _relocated(
    comment: Comment, current: tuple[int | None, str], old_texts: dict[int, str]
) -> tuple[Anchor, AnchorUpdate | None]:
    assert comment.quote is not None and comment.id is not None
    stored = Anchor(
        comment.quote,
        comment.anchor_start,
        comment.anchor_end,
        AnchorState(comment.anchor_state or AnchorState.DETACHED.value),
    )
    current_id, current_text = current
    if comment.anchor_revision_id == current_id:
        return stored, None
    old_text = old_texts.get(comment.anchor_revision_id or 0)
    if old_text is None:
        # Without the text it was placed on there is nothing to map from: never guess.
        anchor = Anchor(comment.quote, None, None, AnchorState.DETACHED)
    else:
        anchor = _relocate_remembered(old_text, current_text, stored)
    update = AnchorUpdate(comment.id, comment.anchor_revision_id, current_id, anchor)
    return anchor, update


def _texts_anchored_on(
    session: Session,
    comments: list[Comment],
    current: dict[tuple[int, str], tuple[int | None, str]],
) -> dict[int, str]:
    """The texts that quoting comments were placed on, where those are no longer current."""
    wanted = {
        comment.anchor_revision_id
        for comment in comments
        if comment.quote is not None
        and comment.anchor_revision_id is not None
        and (comment.paragraph_id, comment.lang) in current
        and comment.anchor_revision_id != current[(comment.paragraph_id, comment.lang)][0]
    }
    if not wanted:
        return {}
    return {
        revision_id: text
        for revision_id, text in session.exec(
            select(Revision.id, Revision.text).where(col(Revision.id).in_(wanted))
        ).all()
        if revision_id is not None
    }


def threads_for(
    session: Session,
    document_id: int,
    paragraphs: list[ParagraphView],
    *,
    paragraph_id: int | None = None,
) -> Threads:
    """The threads on ``paragraphs`` (all of the document's, or the one ``paragraph_id``).

    Two queries whatever the number of paragraphs and comments: the comments with their
    authors, and the texts their anchors were placed on when those are not current.
    """
    statement = (
        select(Comment, User)
        .join(User, col(User.id) == col(Comment.author_id))
        .where(Comment.document_id == document_id)
        .order_by(col(Comment.id))
    )
    if paragraph_id is not None:
        statement = statement.where(Comment.paragraph_id == paragraph_id)
    rows = session.exec(statement).all()
    if not rows:
        return Threads({}, [])
    current: dict[tuple[int, str], tuple[int | None, str]] = {}
    for p in paragraphs:
        for lang in ("de", "fr"):
            text = p.text(lang)
            current[(p.id, lang)] = (text.revision_id, text.text)
    old_texts = _texts_anchored_on(session, [comment for comment, _ in rows], current)
    by_side: dict[tuple[int, str], list[CommentView]] = defaultdict(list)
    by_id: dict[int, CommentView] = {}
    updates: list[AnchorUpdate] = []
    for comment, author in rows:
        side = (comment.paragraph_id, comment.lang)
        if side not in current:
            continue  # a deleted paragraph
        assert comment.id is not None and author.id is not None
        anchor_view = None
        if comment.quote is not None and comment.parent_id is None:
            anchor, update = _relocated(comment, current[side], old_texts)
            if update is not None and _differs(comment, update):
                updates.append(update)
            anchor_view = AnchorView(
                comment.lang, anchor.quote, anchor.start, anchor.end, anchor.state.value
            )
        view = CommentView(
            id=comment.id,
            paragraph_id=comment.paragraph_id,
            lang=comment.lang,
            body=comment.body,
            author=author.username,
            author_name=author.display_name,
            author_id=author.id,
            parent_id=comment.parent_id,
            created_at=comment.created_at,
            resolved_at=comment.resolved_at,
            anchor=anchor_view,
        )
        by_id[comment.id] = view
        if comment.parent_id is None:
            by_side[side].append(view)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(view)
    return Threads(dict(by_side), updates)


def _differs(comment: Comment, update: AnchorUpdate) -> bool:
    anchor = update.anchor
    return (
        comment.anchor_revision_id != update.revision_id
        or comment.quote != anchor.quote
        or comment.anchor_start != anchor.start
        or comment.anchor_end != anchor.end
        or comment.anchor_state != anchor.state.value
    )


def comment_by_id(session: Session, comment_id: int) -> Comment:
    """A comment by id, or 404 (the caller then checks access through its paragraph)."""
    if not 0 < comment_id <= MAX_ID:
        raise NotFound()
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound()
    return comment


def comment_for(session: Session, user: User, comment_id: int) -> tuple[ParagraphAccess, Comment]:
    """A comment on a paragraph the user may read; 404 for outsiders and unknown ids."""
    comment = comment_by_id(session, comment_id)
    return paragraph_access(session, user, comment.paragraph_id), comment


def recent_duplicate(
    session: Session,
    *,
    author_id: int,
    paragraph_id: int,
    lang: str,
    parent_id: int | None,
    body: str,
    quote: str | None,
    since: datetime,
) -> Comment | None:
    """The same comment by the same author posted since ``since`` (a form sent twice)."""
    statement = (
        select(Comment)
        .where(
            Comment.author_id == author_id,
            Comment.paragraph_id == paragraph_id,
            Comment.lang == lang,
            col(Comment.created_at) >= since,
        )
        .order_by(col(Comment.id).desc())
        .limit(5)
    )
    for comment in session.exec(statement).all():
        if (comment.parent_id, comment.body, comment.quote) == (parent_id, body, quote):
            return comment
    return None


def for_document(
    session: Session, access: DocumentAccess, paragraphs: list[ParagraphView]
) -> dict[str, Any]:
    """Template context for the document page, in a constant number of queries."""
    assert access.document.id is not None
    threads = threads_for(session, access.document.id, paragraphs)
    return {
        "comment_threads": threads,
        "open_comment_count": threads.open_count,
        "comment_error": None,
    }


def counts(session: Session, document_id: int) -> dict[int, Any]:
    """Per paragraph id, its open (unresolved) threads."""
    statement = (
        select(Comment.paragraph_id, func.count())
        .join(Paragraph, col(Paragraph.id) == col(Comment.paragraph_id))
        .where(
            Comment.document_id == document_id,
            col(Comment.parent_id).is_(None),
            col(Comment.resolved_at).is_(None),
            col(Paragraph.deleted_at).is_(None),
        )
        .group_by(col(Comment.paragraph_id))
    )
    return dict(session.exec(statement).all())
