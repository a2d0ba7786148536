"""JSON shapes of evidence links and of a document's evidence coverage."""

from __future__ import annotations

from datetime import datetime

from app.fields import EvidenceNoteInput, InitiativeKeyInput
from app.schemas.common import Body, Shape


class NewEvidenceLink(Body):
    initiative_key: InitiativeKeyInput
    note: EvidenceNoteInput = ""


class EvidenceLinkOut(Shape):
    id: int
    paragraph_id: int
    initiative_key: str
    country: str
    note: str
    author: str
    created_at: datetime


class CitedInitiativeOut(Shape):
    key: str
    count: int


class CoverageOut(Shape):
    recommendations: int
    with_evidence: int
    without: list[int]
    per_country: dict[int, dict[str, int]]
    least_cited: list[CitedInitiativeOut]
