"""Document versions: numbered, immutable snapshots (ids only, so they are cheap)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import validation
from app.db import unit_of_work
from app.errors import Conflict, InvalidTransition
from app.events import DocumentEvent
from app.models import (
    Document,
    DocumentVersion,
    EvidenceLink,
    Phase,
    VersionEvidence,
    VersionParagraph,
)
from app.permissions import Action
from app.queries import alignment as alignment_queries
from app.queries import documents as document_queries
from app.queries.access import DocumentAccess
from app.services import audit
from app.services.live_events import document_event

IN_SYNC = "in_sync"
ADOPTED_MESSAGE = "The document is adopted: its final text can no longer change."


def lock_document(session: Session, document_id: int) -> Document:
    """Re-read the document row with a write lock (PostgreSQL; SQLite writers are serial),
    so that numbering versions and counting approvals never race."""
    document = session.exec(
        select(Document)
        .where(Document.id == document_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return document


def alignment_statuses(session: Session, document_id: int) -> dict[int, str]:
    """The alignment status per live paragraph ("" when the alignment is unknown)."""
    statuses = alignment_queries.counts(session, document_id)
    return {
        paragraph.id: str(statuses.get(paragraph.id) or "")
        for paragraph in document_queries.live_paragraphs(session, document_id)
        if paragraph.id is not None
    }


def not_in_sync(statuses: dict[int, str]) -> list[int]:
    """Paragraph ids whose two languages are not confirmed as saying the same thing."""
    return [paragraph_id for paragraph_id, status in statuses.items() if status != IN_SYNC]


def freeze(
    session: Session,
    access: DocumentAccess,
    label: str,
    *,
    is_review: bool = False,
    override_reason: str = "",
) -> DocumentVersion:
    """Snapshot the document as it stands.

    It runs inside the caller's unit of work and opens none itself: entering review freezes
    a version and changes the phase in one transaction.
    """
    document_id = access.document.id
    assert document_id is not None
    lock_document(session, document_id)
    last = session.exec(
        select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == document_id)
    ).one()
    version = DocumentVersion(
        document_id=document_id,
        number=(last or 0) + 1,
        label=label,
        is_review=is_review,
        override_reason=override_reason,
        created_by=access.user.id,
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    live_ids = _freeze_paragraphs(session, document_id, version.id)
    _freeze_evidence(session, document_id, version.id, live_ids)
    session.flush()
    audit.record_in_group(
        session,
        access,
        "version.create",
        f"document:{document_id}",
        number=version.number,
        label=label,
        is_review=is_review,
        override_reason=override_reason,
    )
    return version


def _freeze_paragraphs(session: Session, document_id: int, version_id: int) -> set[int]:
    """Each live paragraph's current revisions and alignment; returns their ids."""
    statuses = alignment_queries.counts(session, document_id)
    live_ids = set()
    for paragraph in document_queries.live_paragraphs(session, document_id):
        assert paragraph.id is not None
        if paragraph.de_revision_id is None or paragraph.fr_revision_id is None:
            raise Conflict(
                "Paragraph {paragraph_id} has no text in one language yet; a version needs"
                " a revision per language.",
                paragraph_id=paragraph.id,
            )
        session.add(
            VersionParagraph(
                version_id=version_id,
                position=paragraph.position,
                paragraph_id=paragraph.id,
                kind=paragraph.kind,
                de_revision_id=paragraph.de_revision_id,
                fr_revision_id=paragraph.fr_revision_id,
                alignment=str(statuses.get(paragraph.id) or "")[:16],
            )
        )
        live_ids.add(paragraph.id)
    return live_ids


def _freeze_evidence(
    session: Session, document_id: int, version_id: int, live_ids: set[int]
) -> None:
    """The evidence links of the live paragraphs (a deleted paragraph's stay behind)."""
    links = session.exec(
        select(EvidenceLink)
        .where(EvidenceLink.document_id == document_id, col(EvidenceLink.removed_at).is_(None))
        .order_by(col(EvidenceLink.id))
    ).all()
    for link in links:
        if link.paragraph_id in live_ids:
            session.add(
                VersionEvidence(
                    version_id=version_id,
                    paragraph_id=link.paragraph_id,
                    initiative_id=link.initiative_id,
                    note=link.note,
                )
            )


def count_review_versions(session: Session, document_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(DocumentVersion)
        .where(DocumentVersion.document_id == document_id, col(DocumentVersion.is_review))
    ).one()


def version_event(access: DocumentAccess, version: DocumentVersion) -> DocumentEvent:
    data = {"number": version.number, "is_review": version.is_review}
    return document_event(access, "version_created", data=data)


def create_version(session: Session, access: DocumentAccess, label: str) -> DocumentVersion:
    """A moderator freezes a numbered, labelled version of the document."""
    access.require(Action.CREATE_VERSION)
    if access.phase is Phase.ADOPTED:
        raise InvalidTransition(ADOPTED_MESSAGE)
    access.require_in_phase(Action.CREATE_VERSION)
    clean_label = validation.name_field("label", label)
    with unit_of_work(session) as uow:
        version = freeze(session, access, clean_label)
        uow.after_commit(version_event(access, version))
    return version
