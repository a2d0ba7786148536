"""Moving a document through drafting → amendments → consolidation → review → adopted."""

from __future__ import annotations

from sqlmodel import Session

from app import validation
from app.errors import InvalidTransition, ValidationFailed
from app.events import DocumentEvent, publish
from app.models import Phase
from app.permissions import Action
from app.queries.access import DocumentAccess
from app.services import audit

ORDER = [Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION, Phase.REVIEW, Phase.ADOPTED]


def parse_phase(value: str) -> Phase:
    try:
        return Phase(value)
    except ValueError:
        raise ValidationFailed(
            "Unknown phase {phase}; choose drafting, amendments, consolidation or review.",
            details={"field": "phase"},
            phase=value,
        ) from None


def allowed_targets(current: Phase) -> list[Phase]:
    """The phases a moderator may move to from ``current``: one forward (not into adopted,
    which only the liaisons' approvals reach), or one back (never out of adopted)."""
    if current is Phase.ADOPTED:
        return []
    index = ORDER.index(current)
    targets = []
    if index > 0:
        targets.append(ORDER[index - 1])
    if ORDER[index + 1] is not Phase.ADOPTED:
        targets.append(ORDER[index + 1])
    return targets


def change_phase(session: Session, access: DocumentAccess, target: str, reason: str) -> Phase:
    current = access.phase
    if current is Phase.ADOPTED:
        raise InvalidTransition("The document is adopted: its phase can no longer change.")
    access.require_in_phase(Action.CHANGE_PHASE)
    wanted = parse_phase(target)
    reason = validation.text_field("reason", reason).strip()
    if wanted not in allowed_targets(current):
        raise InvalidTransition(
            "A document in {current} can move to {allowed}, not to {wanted}.",
            details={"allowed": [phase.value for phase in allowed_targets(current)]},
            current=current.value,
            allowed=", ".join(phase.value for phase in allowed_targets(current)) or "-",
            wanted=wanted.value,
        )
    if ORDER.index(wanted) < ORDER.index(current) and not reason:
        raise ValidationFailed(
            "Moving a document back needs a reason.", details={"field": "reason"}
        )
    if wanted is Phase.REVIEW:
        # Entering review freezes a review version; that comes with the versions work.
        raise InvalidTransition("Review starts by freezing a review version.")
    access.document.phase = wanted.value
    session.add(access.document)
    audit.record(
        session,
        access.user,
        "document.phase",
        f"document:{access.document.id}",
        group_id=access.group.id,
        from_phase=current.value,
        to_phase=wanted.value,
        reason=reason,
    )
    session.commit()
    assert access.document.id is not None
    publish(
        session,
        DocumentEvent(
            document_id=access.document.id,
            kind="phase_changed",
            actor=access.user.username,
            data={"from": current.value, "to": wanted.value},
        ),
    )
    return wanted
