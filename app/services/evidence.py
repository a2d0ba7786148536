"""Evidence links: a paragraph cites a local initiative, with a note on why."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app import validation
from app.db import unit_of_work
from app.errors import Forbidden, ValidationFailed
from app.events import DocumentEvent
from app.fields import EVIDENCE_NOTE_LENGTH, INITIATIVE_KEY_LENGTH
from app.models import EvidenceLink, Role, utcnow
from app.permissions import Action
from app.queries.access import DocumentAccess, ParagraphAccess
from app.queries.evidence import LinkAccess
from app.services import audit
from app.services.initiatives import by_key
from app.services.live_events import document_event
from drafting.text import normalise


def add_link(
    session: Session, access: ParagraphAccess, initiative_key: str, note: str
) -> EvidenceLink:
    access.require_in_phase(Action.LINK_EVIDENCE)
    paragraph = access.paragraph
    with validation.field("note"):
        note = normalise(note, max_length=EVIDENCE_NOTE_LENGTH).strip()
    key = validation.name_field("initiative_key", initiative_key, max_length=INITIATIVE_KEY_LENGTH)
    with unit_of_work(session) as uow:
        initiative = by_key(session, key)
        if initiative is None or initiative.archived_at is not None:
            raise ValidationFailed(
                "There is no initiative {key} in the library.",
                details={"field": "initiative_key"},
                key=key[:100],
            )
        duplicate = session.exec(
            select(EvidenceLink.id).where(
                EvidenceLink.paragraph_id == paragraph.id,
                EvidenceLink.initiative_id == initiative.id,
                col(EvidenceLink.removed_at).is_(None),
            )
        ).first()
        if duplicate is not None:
            raise ValidationFailed(
                "This paragraph already cites {key}.", details={"field": "initiative_key"}, key=key
            )
        assert paragraph.id is not None and initiative.id is not None
        link = EvidenceLink(
            paragraph_id=paragraph.id,
            document_id=paragraph.document_id,
            initiative_id=initiative.id,
            note=note,
            author_id=access.user.id,
        )
        session.add(link)
        session.flush()
        audit.record_in_group(
            session,
            access,
            "evidence.add",
            f"paragraph:{paragraph.id}",
            link_id=link.id,
            initiative=initiative.key,
        )
        uow.after_commit(_event(access, link, "evidence_added"))
    return link


def remove_link(session: Session, found: LinkAccess) -> EvidenceLink:
    """Soft delete: versions made before the removal still show the link."""
    access, link = found.paragraph, found.link
    if not can_remove(access, link):
        raise Forbidden()
    with unit_of_work(session) as uow:
        link.removed_at = utcnow()
        link.removed_by = access.user.id
        session.add(link)
        audit.record_in_group(
            session, access, "evidence.remove", f"paragraph:{link.paragraph_id}", link_id=link.id
        )
        uow.after_commit(_event(access, link, "evidence_removed"))
    return link


def can_remove(access: DocumentAccess, link: EvidenceLink) -> bool:
    if not access.can_in_phase(Action.LINK_EVIDENCE):
        return False
    return link.author_id == access.user.id or access.role is Role.MODERATOR


def _event(access: DocumentAccess, link: EvidenceLink, kind: str) -> DocumentEvent:
    return document_event(access, kind, link.paragraph_id, {"link_id": link.id})
