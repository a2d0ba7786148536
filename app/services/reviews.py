"""Government review: liaisons approve the review version or request changes.

When the DE and the FR liaison approved the same version, the document is adopted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app import validation
from app.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from app.events import DocumentEvent, publish
from app.models import Government, Phase, Review, Role, utcnow
from app.permissions import Action
from app.queries import versions as version_queries
from app.queries.access import DocumentAccess
from app.services import audit
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
    government = liaison_government(access)
    document_id = access.document.id
    assert document_id is not None and access.user.id is not None
    # Serialise the decisions on one document: two approvals arriving together must see
    # each other, or neither would adopt.
    document = lock_document(session, document_id)
    phase = Phase(document.phase)
    if phase is Phase.ADOPTED:
        raise InvalidTransition(ADOPTED_MESSAGE)
    if phase is not Phase.REVIEW:
        raise InvalidTransition(
            "The document is in {phase}, not in review: there is nothing to decide now.",
            phase=phase.value,
        )
    access.require_in_phase(Action.REVIEW)
    chosen = parse_decision(decision)
    clean_comment = validation.text_field("comment", comment).strip()
    if chosen == version_queries.REQUEST_CHANGES and not clean_comment:
        raise ValidationFailed(
            "Say which changes you request: the comment must not be empty.",
            details={"field": "comment"},
        )
    current = version_queries.latest_review_version(session, document_id)
    assert current is not None and current.id is not None
    if version_number != current.number:
        raise Conflict(
            "Version {number} is not under review; the review version is {current}.",
            details={"review_version": current.number},
            number=version_number,
            current=current.number,
        )
    already = {
        approval.government
        for approval in version_queries.approvals_of(session, current.id)
        if approval.username == access.user.username
    }
    if chosen == version_queries.APPROVE and government.value in already:
        raise Conflict("You already approved version {number}.", number=current.number)

    review = Review(
        document_id=document_id,
        version_id=current.id,
        liaison_id=access.user.id,
        government=government.value,
        decision=chosen,
        comment=clean_comment,
    )
    session.add(review)
    session.flush()
    audit.record(
        session,
        access.user,
        f"review.{chosen}",
        f"document:{document_id}",
        group_id=access.group.id,
        version=current.number,
        government=government.value,
        comment=clean_comment,
    )
    adopted = False
    back = False
    if chosen == version_queries.REQUEST_CHANGES:
        document.phase = Phase.CONSOLIDATION.value
        back = True
        audit.record(
            session,
            access.user,
            "document.phase",
            f"document:{document_id}",
            group_id=access.group.id,
            from_phase=Phase.REVIEW.value,
            to_phase=Phase.CONSOLIDATION.value,
            reason=clean_comment,
            version=current.number,
        )
    else:
        approved_by = {
            approval.government for approval in version_queries.approvals_of(session, current.id)
        }
        if {Government.DE.value, Government.FR.value} <= approved_by:
            document.phase = Phase.ADOPTED.value
            document.adopted_version_id = current.id
            document.adopted_at = utcnow()
            adopted = True
            audit.record(
                session,
                access.user,
                "document.adopt",
                f"document:{document_id}",
                group_id=access.group.id,
                from_phase=Phase.REVIEW.value,
                to_phase=Phase.ADOPTED.value,
                version=current.number,
            )
    session.add(document)
    session.commit()
    # The access object the caller holds shows the new phase too.
    access.document.phase = document.phase
    access.document.adopted_version_id = document.adopted_version_id
    access.document.adopted_at = document.adopted_at
    publish(
        session,
        DocumentEvent(
            document_id=document_id,
            kind="review_submitted",
            actor=access.user.username,
            data={"version": current.number, "decision": chosen, "government": government.value},
        ),
    )
    if adopted or back:
        publish(
            session,
            DocumentEvent(
                document_id=document_id,
                kind="phase_changed",
                actor=access.user.username,
                data={"from": Phase.REVIEW.value, "to": document.phase},
            ),
        )
    return ReviewOutcome(
        review=review, version_number=current.number, adopted=adopted, back_to_consolidation=back
    )
