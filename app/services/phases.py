"""Moving a document through drafting → amendments → consolidation → review → adopted."""

from __future__ import annotations

from sqlmodel import Session

from app import validation
from app.db import unit_of_work
from app.errors import InvalidTransition, ValidationFailed
from app.fields import REASON_LENGTH
from app.models import DocumentVersion, Phase
from app.permissions import Action
from app.queries.access import DocumentAccess
from app.services import audit, versions
from app.services.choices import parse_choice
from app.services.live_events import document_event

ORDER = [Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION, Phase.REVIEW, Phase.ADOPTED]


def parse_phase(value: str) -> Phase:
    return parse_choice(
        Phase,
        "phase",
        value,
        "Unknown phase {phase}; choose drafting, amendments, consolidation or review.",
    )


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
    """Move the document to ``target``; entering review freezes a review version.

    Review needs every paragraph in sync (``in_sync``); otherwise (or when the alignment is
    unknown) a moderator may still open it with a reason, which is kept on the review
    version and shown to the liaisons. Adopted is reached only through the approvals.
    """
    assert access.document.id is not None
    with unit_of_work(session) as uow:
        # Read the phase under a row lock: a liaison's approval may be adopting it right now.
        versions.lock_document(session, access.document.id)
        current = access.phase
        if current is Phase.ADOPTED:
            raise InvalidTransition("The document is adopted: its phase can no longer change.")
        access.require_in_phase(Action.CHANGE_PHASE)
        wanted = parse_phase(target)
        reason = validation.text_field("reason", reason, max_length=REASON_LENGTH).strip()
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
            review_version = _freeze_review_version(session, access, reason)
            uow.after_commit(versions.version_event(access, review_version))
        access.document.phase = wanted
        session.add(access.document)
        audit.record_in_group(
            session,
            access,
            "document.phase",
            f"document:{access.document.id}",
            from_phase=current.value,
            to_phase=wanted.value,
            reason=reason,
        )
        moved = {"from": current.value, "to": wanted.value}
        uow.after_commit(document_event(access, "phase_changed", data=moved))
    return wanted


def _freeze_review_version(
    session: Session, access: DocumentAccess, reason: str
) -> DocumentVersion:
    assert access.document.id is not None
    statuses = versions.alignment_statuses(session, access.document.id)
    if not statuses:
        raise InvalidTransition("A document without paragraphs cannot go into review.")
    pending = versions.not_in_sync(statuses)
    if pending and not reason:
        raise InvalidTransition(
            "{count} of {total} paragraphs are not confirmed as in sync in both languages."
            " Confirm their translations first, or give a reason to open the review anyway"
            " (the liaisons will see it).",
            details={"not_in_sync": pending, "field": "reason"},
            count=len(pending),
            total=len(statuses),
        )
    existing = versions.count_review_versions(session, access.document.id)
    return versions.freeze(
        session,
        access,
        # A label is data that both governments read, like the document's two titles.
        f"Prüffassung {existing + 1} · Version d’examen {existing + 1}",
        is_review=True,
        override_reason=reason if pending else "",
    )
