"""Reading the history of a paragraph's text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.fields import MAX_ID
from app.models import Paragraph, Revision, User
from drafting.diffs import DiffOps, word_diff
from drafting.text import Lang


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


def current_revision(session: Session, paragraph: Paragraph, lang: Lang) -> Revision:
    """The paragraph's text in ``lang`` as it stands now."""
    revision_id = paragraph.current_revision_id(lang.value)
    revision = session.get(Revision, revision_id) if revision_id is not None else None
    assert revision is not None, "every paragraph has a revision per language"
    return revision


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


@dataclass(frozen=True)
class Comparison:
    """Two revisions of a paragraph's history and the words that changed between them."""

    revisions: list[RevisionView]
    older: RevisionView | None
    newer: RevisionView | None
    ops: DiffOps


def comparison(
    session: Session,
    paragraph_id: int,
    lang: str,
    from_id: int | None = None,
    to_id: int | None = None,
) -> Comparison:
    """The history in ``lang``, comparing ``from_id`` with ``to_id``; by default the current
    revision with its parent."""
    revisions = history(session, paragraph_id, lang)
    by_id = {revision.id: revision for revision in revisions}
    if (from_id and from_id not in by_id) or (to_id and to_id not in by_id):
        raise NotFound("This revision is not part of this paragraph's history.")
    newer = by_id[to_id] if to_id else (revisions[0] if revisions else None)
    older = by_id[from_id] if from_id else None
    if older is None and newer is not None and newer.parent_id:
        older = by_id.get(newer.parent_id)
    ops = word_diff(older.text if older else "", newer.text if newer else "")
    return Comparison(revisions=revisions, older=older, newer=newer, ops=ops)


def diff(session: Session, paragraph_id: int, from_id: int, to_id: int) -> DiffOps:
    """The word diff between two revisions of the paragraph (404 for any other revision)."""
    older = revision_of(session, paragraph_id, from_id)
    newer = revision_of(session, paragraph_id, to_id)
    return word_diff(older.text, newer.text)
