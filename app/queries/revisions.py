"""Reading the history of a paragraph's text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.fields import MAX_ID
from app.models import Revision, User


@dataclass(frozen=True)
class RevisionView:
    id: int
    parent_id: int | None
    lang: str
    author: str | None
    author_name: str | None
    created_at: datetime
    source: str
    text: str


def history(session: Session, paragraph_id: int, lang: str | None = None) -> list[RevisionView]:
    """Revisions of a paragraph, newest first."""
    statement = (
        select(Revision, User)
        .outerjoin(User, col(User.id) == col(Revision.author_id))
        .where(Revision.paragraph_id == paragraph_id)
        .order_by(col(Revision.id).desc())
    )
    if lang is not None:
        statement = statement.where(Revision.lang == lang)
    return [
        RevisionView(
            id=revision.id or 0,
            parent_id=revision.parent_id,
            lang=revision.lang,
            author=user.username if user else None,
            author_name=user.display_name if user else None,
            created_at=revision.created_at,
            source=revision.source,
            text=revision.text,
        )
        for revision, user in session.exec(statement).all()
    ]


def revision_of(
    session: Session, paragraph_id: int, revision_id: int, lang: str | None = None
) -> Revision:
    """A revision that belongs to the paragraph (and language), else 404."""
    if not 0 < revision_id <= MAX_ID:
        raise NotFound("Revision {revision_id} does not exist.", revision_id=revision_id)
    revision = session.get(Revision, revision_id)
    if revision is None or revision.paragraph_id != paragraph_id:
        raise NotFound("Revision {revision_id} does not exist.", revision_id=revision_id)
    if lang is not None and revision.lang != lang:
        raise NotFound("Revision {revision_id} does not exist.", revision_id=revision_id)
    return revision
