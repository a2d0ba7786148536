"""What every exporter prints: a plain, frozen picture of one document version.

The exporters are pure functions of :class:`ExportDocument` to bytes; :func:`load` builds
it from the database through ``app.queries.versions.snapshot`` (the current text when
``version`` is None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.queries import versions as version_queries

LANGS = ("de", "fr")
KINDS = ("heading", "text", "recommendation")

# Characters XML 1.0 cannot carry (stored text never has C0 controls but TAB and LF, yet
# lone surrogates and the non-characters U+FFFE/U+FFFF would make a file unreadable).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class ExportEvidence:
    initiative_key: str
    name_de: str
    name_fr: str
    country: str
    note: str

    def name(self, lang: str) -> str:
        return self.name_de if lang == "de" else self.name_fr


@dataclass(frozen=True)
class ExportParagraph:
    id: int
    number: int
    kind: str
    de: str
    fr: str
    alignment: str = ""
    evidence: tuple[ExportEvidence, ...] = ()

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.fr


@dataclass(frozen=True)
class ExportApproval:
    government: str
    name: str
    at: datetime


@dataclass(frozen=True)
class ExportDocument:
    id: int
    title_de: str
    title_fr: str
    phase: str
    paragraphs: tuple[ExportParagraph, ...]
    version_number: int | None = None
    version_label: str | None = None
    version_created_at: datetime | None = None
    adopted: bool = False
    approvals: tuple[ExportApproval, ...] = ()

    def title(self, lang: str) -> str:
        return self.title_de if lang == "de" else self.title_fr

    @property
    def version_text(self) -> str:
        """ "Version 3 — label" or "Current text", in English (file metadata)."""
        if self.version_number is None:
            return "Current text"
        return f"Version {self.version_number} — {self.version_label or ''}".rstrip(" —")

    def approval_status(self, lang: str) -> str:
        """A one-line approval status in ``lang`` (de/fr) for title pages."""
        if self.adopted:
            return "Angenommen" if lang == "de" else "Adopté"
        if self.approvals:
            governments = ", ".join(approval.government for approval in self.approvals)
            return (
                f"Genehmigt von: {governments}" if lang == "de" else f"Approuvé par : {governments}"
            )
        return "Nicht genehmigt" if lang == "de" else "Non approuvé"

    @property
    def evidence_notes(self) -> list[tuple[int, ExportParagraph, ExportEvidence]]:
        """Every evidence link in document order, numbered from 1 (endnotes)."""
        notes: list[tuple[int, ExportParagraph, ExportEvidence]] = []
        for paragraph in self.paragraphs:
            for evidence in paragraph.evidence:
                notes.append((len(notes) + 1, paragraph, evidence))
        return notes


def from_snapshot(snapshot: version_queries.DocumentSnapshot) -> ExportDocument:
    return ExportDocument(
        id=snapshot.document_id,
        title_de=snapshot.title_de,
        title_fr=snapshot.title_fr,
        phase=snapshot.phase,
        version_number=snapshot.version_number,
        version_label=snapshot.version_label,
        version_created_at=snapshot.version_created_at,
        adopted=snapshot.adopted,
        approvals=tuple(
            ExportApproval(
                government=approval.government,
                name=approval.display_name,
                at=approval.approved_at,
            )
            for approval in snapshot.approvals
        ),
        paragraphs=tuple(
            ExportParagraph(
                id=paragraph.id,
                number=paragraph.number,
                kind=paragraph.kind,
                de=paragraph.de,
                fr=paragraph.fr,
                alignment=paragraph.alignment,
                evidence=tuple(
                    ExportEvidence(
                        initiative_key=evidence.initiative_key,
                        name_de=evidence.name_de,
                        name_fr=evidence.name_fr,
                        country=evidence.country,
                        note=evidence.note,
                    )
                    for evidence in paragraph.evidence
                ),
            )
            for paragraph in snapshot.paragraphs
        ),
    )


def load(session: Session, document_id: int, version: int | None) -> ExportDocument:
    """Version ``version`` of the document, or its current text (no permission check:
    load the document through ``app.queries.access`` first). NotFound for a missing
    version."""
    return from_snapshot(version_queries.snapshot(session, document_id, version))
