"""Reading conflict drafts: text whose save conflicted, kept for its author."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.fields import MAX_ID
from app.models import ConflictDraft, Paragraph, Revision, User
from app.queries.access import ParagraphAccess, paragraph_access
from drafting.diffs import word_diff
from drafting.merges import three_way


@dataclass(frozen=True)
class ConflictSummary:
    id: int
    paragraph_id: int
    lang: str
    text: str


def open_conflicts_of(session: Session, user: User, document_id: int) -> list[ConflictSummary]:
    statement = (
        select(ConflictDraft)
        .join(Paragraph, col(Paragraph.id) == col(ConflictDraft.paragraph_id))
        .where(
            Paragraph.document_id == document_id,
            ConflictDraft.author_id == user.id,
            ConflictDraft.state == "open",
            col(Paragraph.deleted_at).is_(None),
        )
        .order_by(col(ConflictDraft.id))
    )
    return [
        ConflictSummary(id=d.id or 0, paragraph_id=d.paragraph_id, lang=d.lang, text=d.text)
        for d in session.exec(statement).all()
    ]


def own_conflict(session: Session, user: User, conflict_id: int) -> ConflictDraft:
    """A conflict draft of ``user``; anybody else's is answered 404."""
    draft = session.get(ConflictDraft, conflict_id) if 0 < conflict_id <= MAX_ID else None
    if draft is None or draft.author_id != user.id:
        raise NotFound("There is no such conflict draft.")
    return draft


@dataclass(frozen=True)
class OwnConflict:
    """One of the caller's conflict drafts, with the access to its paragraph."""

    access: ParagraphAccess
    draft: ConflictDraft


def conflict_for(session: Session, user: User, conflict_id: int) -> OwnConflict:
    """A conflict draft of ``user`` on a paragraph they can still see, else 404."""
    draft = own_conflict(session, user, conflict_id)
    return OwnConflict(paragraph_access(session, user, draft.paragraph_id), draft)


def resolution_view(session: Session, draft: ConflictDraft) -> dict[str, object]:
    """What the resolution view shows: base, the current text (theirs), yours, a proposal."""
    paragraph = session.get(Paragraph, draft.paragraph_id)
    assert paragraph is not None
    current_id = paragraph.current_revision_id(draft.lang)
    base = session.get(Revision, draft.base_revision_id)
    current = session.get(Revision, current_id) if current_id else None
    assert base is not None and current is not None
    merge = three_way(base.text, current.text, draft.text)
    return {
        "conflict_id": draft.id,
        "paragraph_id": draft.paragraph_id,
        "lang": draft.lang,
        "base": {"revision_id": base.id, "text": base.text},
        "theirs": {"revision_id": current.id, "text": current.text},
        "yours": {"text": draft.text},
        "proposal": merge.text,
        "theirs_ops": word_diff(base.text, current.text),
        "yours_ops": word_diff(base.text, draft.text),
    }
