"""JSON shapes of documents and their paragraphs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.fields import (
    NameInput,
    ParagraphPosition,
    ParagraphText,
    PhaseName,
    PositiveId,
    ReasonInput,
)
from app.models import Document, ParagraphKind, Phase
from app.queries.access import DocumentAccess
from app.queries.overview import ParagraphOverview
from app.schemas.common import Body, Shape


class NewDocument(Body):
    title_de: NameInput
    title_fr: NameInput


class DocumentOut(Shape):
    id: int
    group: str
    title_de: str
    title_fr: str
    phase: Phase
    created_at: datetime

    @classmethod
    def of(cls, document: Document, group_slug: str) -> DocumentOut:
        return cls.model_validate(document.model_dump() | {"group": group_slug})


class ParagraphTextOut(Shape):
    revision_id: int | None
    text: str
    source: str | None


class ParagraphOut(Shape):
    """A paragraph (a ``ParagraphView``); the counters are those of a ``ParagraphOverview``."""

    id: int
    number: int
    position: int
    kind: ParagraphKind
    texts: dict[str, ParagraphTextOut]
    alignment: str | None = Field(
        default=None, description="Alignment status; null until alignment is recorded."
    )
    evidence_count: int = 0
    open_comments: int = 0
    open_amendments: int = 0


class DocumentDetailOut(DocumentOut):
    paragraphs: list[ParagraphOut]

    @classmethod
    def of_access(
        cls, access: DocumentAccess, paragraphs: list[ParagraphOverview]
    ) -> DocumentDetailOut:
        summary = DocumentOut.of(access.document, access.group.slug)
        return cls.model_validate(summary.model_dump() | {"paragraphs": paragraphs})


ParagraphKindName = Literal["heading", "text", "recommendation"]


class NewParagraph(Body):
    kind: ParagraphKindName = "text"
    de: ParagraphText = ""
    fr: ParagraphText = ""
    after_id: PositiveId | None = None


class ParagraphChange(Body):
    kind: ParagraphKindName | None = None
    position: ParagraphPosition | None = None


class PhaseChange(Body):
    phase: PhaseName
    reason: ReasonInput = ""
