"""Government review: liaisons approve the review version or request changes.

When the DE and the FR liaison approved the same version, the document is adopted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app import validation
from app.db import unit_of_work
from app.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from app.events import DocumentEvent
from app.models import Document, DocumentVersion, Government, Phase, Review, Role, utcnow
from app.permissions import Action
from app.queries import versions as version_queries
from app.queries.access import DocumentAccess
from app.services import audit
from app.services.live_events import document_event
from app.services.versions import ADOPTED_MESSAGE, lock_document

DECISIONS = (version_queries.APPROVE, version_queries.REQUEST_CHANGES)


@dataclass(frozen=True)
class ReviewOutcome:
    review: Review
    version_number: int
    adopted: bool
    back_to_consolidation: bool


def parse_decision(value: str) -> str:
    if value not in DECISIONS:
        raise ValidationFailed(
            "Unknown decision {decision}; choose approve or request_changes.",
            details={"field": "decision"},
            decision=value,
        )
    return value


def liaison_government(access: DocumentAccess) -> Government:
    """The government this liaison reviews for; 403 for anyone else."""
    membership = access.membership
    if membership is None or membership.role != Role.LIAISON.value:
        raise Forbidden("Only the government liaisons review a document.")
    try:
        return Government(membership.government or "")
    except ValueError:
        raise Forbidden(
            "Only a liaison for the German or the French government can review."
        ) from None


def submit(
    session: Session,
    access: DocumentAccess,
    version_number: int,
    decision: str,
    comment: str,
) -> ReviewOutcome:
    """Record a liaison's decision on the review version: a request for changes sends the
    document back to consolidation; the second government's approval adopts it."""
    government = liaison_government(access)
    with unit_of_work(session) as uow:
        document = _lock_in_review(session, access)
        chosen = parse_decision(decision)
        clean_comment = _checked_comment(chosen, comment)
        version = _review_version(session, document, version_number)
        if chosen == version_queries.APPROVE:
            _refuse_a_second_approval(session, access, version, government)
        review = _record_review(session, access, version, government, chosen, clean_comment)
        if chosen == version_queries.REQUEST_CHANGES:
            _send_back_to_consolidation(session, access, document, version, clean_comment)
        else:
            _adopt_once_both_approved(session, access, document, version)
        session.add(document)
        uow.after_commit(*_events(access, version, review, document))
    _show_phase(access, document)
    return ReviewOutcome(
        review=review,
        version_number=version.number,
        adopted=document.phase == Phase.ADOPTED.value,
        back_to_consolidation=chosen == version_queries.REQUEST_CHANGES,
    )


def _lock_in_review(session: Session, access: DocumentAccess) -> Document:
    """The document, locked: two approvals arriving together must see each other, or
    neither would adopt."""
    assert access.document.id is not None
    document = lock_document(session, access.document.id)
    phase = Phase(document.phase)
    if phase is Phase.ADOPTED:
        raise InvalidTransition(ADOPTED_MESSAGE)
    if phase is not Phase.REVIEW:
        raise InvalidTransition(
            "The document is in {phase}, not in review: there is nothing to decide now.",
            phase=phase.value,
        )
    access.require_in_phase(Action.REVIEW)
    return document


def _checked_comment(decision: str, comment: str) -> str:
    clean = validation.text_field("comment", comment).strip()
    if decision == version_queries.REQUEST_CHANGES and not clean:
        raise ValidationFailed(
            "Say which changes you request: the comment must not be empty.",
            details={"field": "comment"},
        )
    return clean


def _review_version(session: Session, document: Document, number: int) -> DocumentVersion:
    """The version under review, which must be the one the liaison decided on."""
    assert document.id is not None
    current = version_queries.latest_review_version(session, document.id)
    assert current is not None and current.id is not None
    if number != current.number:
        raise Conflict(
            "Version {number} is not under review; the review version is {current}.",
            details={"review_version": current.number},
            number=number,
            current=current.number,
        )
    return current


def _refuse_a_second_approval(
    session: Session, access: DocumentAccess, version: DocumentVersion, government: Government
) -> None:
    assert version.id is not None
    already = {
        approval.government
        for approval in version_queries.approvals_of(session, version.id)
        if approval.username == access.user.username
    }
    if government.value in already:
        raise Conflict("You already approved version {number}.", number=version.number)


def _record_review(
    session: Session,
    access: DocumentAccess,
    version: DocumentVersion,
    government: Government,
    decision: str,
    comment: str,
) -> Review:
    assert version.id is not None and access.user.id is not None
    review = Review(
        document_id=version.document_id,
        version_id=version.id,
        liaison_id=access.user.id,
        government=government.value,
        decision=decision,
        comment=comment,
    )
    session.add(review)
    session.flush()
    audit.record_in_group(
        session,
        access,
        f"review.{decision}",
        f"document:{version.document_id}",
        version=version.number,
        government=government.value,
        comment=comment,
    )
    return review


def _send_back_to_consolidation(
    session: Session,
    access: DocumentAccess,
    document: Document,
    version: DocumentVersion,
    reason: str,
) -> None:
    document.phase = Phase.CONSOLIDATION
    audit.record_in_group(
        session,
        access,
        "document.phase",
        f"document:{document.id}",
        from_phase=Phase.REVIEW.value,
        to_phase=Phase.CONSOLIDATION.value,
        reason=reason,
        version=version.number,
    )


def _adopt_once_both_approved(
    session: Session, access: DocumentAccess, document: Document, version: DocumentVersion
) -> None:
    assert version.id is not None
    approved_by = {
        approval.government for approval in version_queries.approvals_of(session, version.id)
    }
    if not {Government.DE.value, Government.FR.value} <= approved_by:
        return
    document.phase = Phase.ADOPTED
    document.adopted_version_id = version.id
    document.adopted_at = utcnow()
    audit.record_in_group(
        session,
        access,
        "document.adopt",
        f"document:{document.id}",
        from_phase=Phase.REVIEW.value,
        to_phase=Phase.ADOPTED.value,
        version=version.number,
    )


def _events(
    access: DocumentAccess, version: DocumentVersion, review: Review, document: Document
) -> list[DocumentEvent]:
    reviewed = {
        "version": version.number,
        "decision": review.decision,
        "government": review.government,
    }
    events = [document_event(access, "review_submitted", data=reviewed)]
    if document.phase != Phase.REVIEW.value:
        moved = {"from": Phase.REVIEW.value, "to": document.phase}
        events.append(document_event(access, "phase_changed", data=moved))
    return events


def _show_phase(access: DocumentAccess, document: Document) -> None:
    """The access object the caller holds shows the new phase too."""
    access.document.phase = document.phase
    access.document.adopted_version_id = document.adopted_version_id
    access.document.adopted_at = document.adopted_at
