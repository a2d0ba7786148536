"""JSON shapes of document versions and of comparisons between them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.fields import NameInput
from app.models import DocumentVersion, VersionParagraph
from app.queries.versions import DocumentSnapshot, SnapshotParagraph
from app.schemas.common import Body, Shape


class NewVersion(Body):
    label: NameInput


class VersionParagraphOut(Shape):
    paragraph_id: int
    position: int
    kind: str
    de_revision_id: int
    fr_revision_id: int
    alignment: str


class VersionOut(Shape):
    number: int
    label: str
    created_at: datetime
    is_review: bool
    override_reason: str
    paragraphs: list[VersionParagraphOut]

    @classmethod
    def of(cls, version: DocumentVersion, rows: list[VersionParagraph]) -> VersionOut:
        return cls.model_validate(version.model_dump() | {"paragraphs": rows})


class VersionTextOut(Shape):
    revision_id: int | None
    text: str


class VersionEvidenceOut(Shape):
    initiative_key: str
    name_de: str
    name_fr: str
    country: str
    note: str


class SnapshotParagraphOut(Shape):
    paragraph_id: int = Field(validation_alias="id")
    number: int
    position: int
    kind: str
    texts: dict[str, VersionTextOut]
    alignment: str
    evidence: list[VersionEvidenceOut]

    @classmethod
    def of(cls, paragraph: SnapshotParagraph) -> SnapshotParagraphOut:
        texts = {
            "de": {"revision_id": paragraph.de_revision_id, "text": paragraph.de},
            "fr": {"revision_id": paragraph.fr_revision_id, "text": paragraph.fr},
        }
        return cls.model_validate(vars(paragraph) | {"texts": texts})


class ApprovalOut(Shape):
    government: str
    username: str
    display_name: str
    version: int = Field(validation_alias="version_number")
    approved_at: datetime


class VersionDetailOut(Shape):
    number: int = Field(validation_alias="version_number")
    label: str = Field(validation_alias="version_label")
    created_at: datetime = Field(validation_alias="version_created_at")
    is_review: bool
    override_reason: str
    adopted: bool
    approvals: list[ApprovalOut]
    paragraphs: list[SnapshotParagraphOut]

    @classmethod
    def of(cls, snapshot: DocumentSnapshot) -> VersionDetailOut:
        paragraphs = [SnapshotParagraphOut.of(p) for p in snapshot.paragraphs]
        return cls.model_validate(vars(snapshot) | {"paragraphs": paragraphs})


class ComparisonOut(Shape):
    paragraph_id: int
    change: Literal["added", "removed", "changed", "moved", "same"]
    from_number: int | None = Field(validation_alias="old_number")
    to_number: int | None = Field(validation_alias="new_number")
    kind_changed: bool
    diffs: dict[str, list[tuple[int, str]]]
