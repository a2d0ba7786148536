"""Reading documents and their paragraphs with the current texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import Document, Paragraph, Revision


@dataclass(frozen=True)
class TextView:
    revision_id: int | None
    text: str
    source: str | None
    updated_at: datetime | None


@dataclass(frozen=True)
class ParagraphView:
    id: int
    number: int
    position: int
    kind: str
    de: TextView
    fr: TextView

    def text(self, lang: str) -> TextView:
        return self.de if lang == "de" else self.fr

    @property
    def texts(self) -> dict[str, TextView]:
        return {"de": self.de, "fr": self.fr}


def _text_view(revision: Revision | None) -> TextView:
    if revision is None:
        return TextView(revision_id=None, text="", source=None, updated_at=None)
    return TextView(
        revision_id=revision.id,
        text=revision.text,
        source=revision.source,
        updated_at=revision.created_at,
    )


def paragraphs_of(
    session: Session, document_id: int, only_ids: list[int] | None = None
) -> list[ParagraphView]:
    """All live paragraphs in order with their current texts, in one query."""
    de_revision = aliased(Revision)
    fr_revision = aliased(Revision)
    statement = (
        select(Paragraph, de_revision, fr_revision)
        .outerjoin(de_revision, col(de_revision.id) == col(Paragraph.de_revision_id))
        .outerjoin(fr_revision, col(fr_revision.id) == col(Paragraph.fr_revision_id))
        .where(Paragraph.document_id == document_id, col(Paragraph.deleted_at).is_(None))
        .order_by(col(Paragraph.position), col(Paragraph.id))
    )
    views = []
    for number, (paragraph, de, fr) in enumerate(session.exec(statement).all(), start=1):
        assert paragraph.id is not None
        views.append(
            ParagraphView(
                id=paragraph.id,
                number=number,
                position=paragraph.position,
                kind=paragraph.kind,
                de=_text_view(de),
                fr=_text_view(fr),
            )
        )
    if only_ids is not None:
        wanted = set(only_ids)
        views = [view for view in views if view.id in wanted]
    return views


def paragraph_view(session: Session, paragraph: Paragraph) -> ParagraphView:
    assert paragraph.id is not None
    views = paragraphs_of(session, paragraph.document_id, only_ids=[paragraph.id])
    return views[0]


def documents_of_group(session: Session, group_id: int) -> list[Document]:
    return list(
        session.exec(
            select(Document).where(Document.group_id == group_id).order_by(col(Document.id))
        ).all()
    )


def live_paragraphs(session: Session, document_id: int) -> list[Paragraph]:
    """The paragraphs not deleted, in document order (rows to change, not views)."""
    return list(
        session.exec(
            select(Paragraph)
            .where(Paragraph.document_id == document_id, col(Paragraph.deleted_at).is_(None))
            .order_by(col(Paragraph.position), col(Paragraph.id))
        ).all()
    )
