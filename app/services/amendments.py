"""Amendments: propose, support, withdraw, resolve a rebase, decide, merge several.

Every write first persists the rebase of the open amendments of the paragraph it touches
(see :mod:`drafting.amendments`), so that a decision is taken on the text as it stands
and never applied blindly. Accepting writes new revisions with source ``amendment`` through
the editing service's helper, then rebases the competing amendments of the paragraph: the
ones that now conflict need a rebase, the ones that no longer change anything are obsolete.

Rules chosen where the contract leaves room:

- supporting is idempotent for members (a second support changes nothing); authors cannot
  support their own amendment (409 ``conflict``);
- withdrawing is for the author only (403 for anybody else), while the amendment is open;
- accept with modifications applies the moderator's texts as they are (the moderator wrote
  them on the current text), so it is also how a moderator settles an amendment that needs
  a rebase; a plain accept of such an amendment is refused with 409 ``conflict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import validation
from app.db import unit_of_work
from app.errors import AppError, Conflict, Forbidden, NotFound, ValidationFailed
from app.events import DocumentEvent
from app.fields import MAX_ID
from app.models import (
    Amendment,
    AmendmentStatus,
    AmendmentSupport,
    Paragraph,
    Revision,
    User,
    utcnow,
)
from app.permissions import Action
from app.queries import amendments as queries
from app.queries.access import DocumentAccess, ParagraphAccess
from app.queries.revisions import current_revision, revision_of
from app.services import audit
from app.services.choices import parse_choice
from app.services.editing import new_revision
from app.services.live_events import document_event
from drafting.amendments import MergePreview, RebaseState, merge_several
from drafting.revisions import Source
from drafting.text import Lang

OPEN = AmendmentStatus.OPEN.value


class Decision(StrEnum):
    ACCEPT = "accept"
    ACCEPT_MODIFIED = "accept_modified"
    REJECT = "reject"


def _current_of(session: Session, paragraph: Paragraph) -> queries.Current:
    revisions = {lang: current_revision(session, paragraph, lang) for lang in Lang}
    return queries.Current(
        revision_ids={lang.value: revision.id for lang, revision in revisions.items()},
        texts={lang.value: revision.text for lang, revision in revisions.items()},
    )


def _base_texts(session: Session, amendments: list[Amendment]) -> dict[int, str]:
    ids = {
        revision_id
        for amendment in amendments
        for revision_id in (amendment.de_base_revision_id, amendment.fr_base_revision_id)
        if revision_id is not None
    }
    if not ids:
        return {}
    rows = session.exec(select(Revision.id, Revision.text).where(col(Revision.id).in_(ids)))
    return {revision_id: text for revision_id, text in rows.all() if revision_id is not None}


def _set_side(amendment: Amendment, lang: str, text: str | None, base: int | None) -> None:
    if lang == "de":
        amendment.de_text, amendment.de_base_revision_id = text, base
    else:
        amendment.fr_text, amendment.fr_base_revision_id = text, base


def _rebase_open(
    session: Session, access: DocumentAccess, paragraph: Paragraph, *, reason: str
) -> dict[int, RebaseState]:
    """Persist the rebase of the paragraph's open amendments onto its current texts.

    Returns the state of each open amendment; obsolete ones are closed here.
    """
    open_amendments = list(
        session.exec(
            select(Amendment)
            .where(Amendment.paragraph_id == paragraph.id, Amendment.status == OPEN)
            .order_by(col(Amendment.id))
        ).all()
    )
    if not open_amendments:
        return {}
    current = _current_of(session, paragraph)
    base_texts = _base_texts(session, open_amendments)
    states = {}
    for amendment in open_amendments:
        assert amendment.id is not None
        result = queries.rebase_of(amendment, current, base_texts)
        changed = False
        for lang, side in result.sides.items():
            if side.clean and side.moved:
                _set_side(amendment, lang, side.text, current.revision_ids[lang])
                changed = True
        if result.state is RebaseState.OBSOLETE:
            amendment.status = AmendmentStatus.OBSOLETE
            amendment.rebase_state = RebaseState.CLEAN.value
            amendment.decided_at = utcnow()
            amendment.decision_reason = reason
            changed = True
        elif amendment.rebase_state != result.state.value:
            amendment.rebase_state = result.state.value
            changed = True
        if changed:
            amendment.updated_at = utcnow()
            session.add(amendment)
            audit.record_in_group(
                session,
                access,
                "amendment.rebase",
                f"amendment:{amendment.id}",
                state=result.state.value,
                reason=reason,
            )
        states[amendment.id] = result.state
    session.flush()
    return states


def _event(
    access: DocumentAccess, kind: str, amendment: Amendment, **data: object
) -> DocumentEvent:
    about = {"amendment_id": amendment.id, **data}
    return document_event(access, kind, amendment.paragraph_id, about)


def _locked(session: Session, access: ParagraphAccess) -> Paragraph:
    """The paragraph, its row locked (PostgreSQL) so that writes to its amendments and
    texts take turns; 404 when it was deleted meanwhile."""
    session.refresh(access.paragraph, with_for_update=True)
    if access.paragraph.deleted_at is not None:
        raise NotFound()
    return access.paragraph


def _justification(value: str) -> str:
    text = validation.text_field("justification", value).strip()
    if not text:
        raise ValidationFailed(
            "An amendment needs a justification.", details={"field": "justification"}
        )
    return text


def _texts(values: dict[Lang, str | None], field: str = "texts") -> dict[Lang, str]:
    return {
        lang: validation.text_field(f"{field}.{lang.value}", text)
        for lang, text in values.items()
        if text is not None
    }


def _base_revision(
    session: Session, paragraph: Paragraph, lang: Lang, revision_id: int | None
) -> Revision:
    assert paragraph.id is not None
    if revision_id is None:
        raise ValidationFailed(
            "Give the {lang} revision the amendment was written on.",
            details={"field": f"base_revision_ids.{lang.value}"},
            lang=lang.value.upper(),
        )
    try:
        if revision_id > MAX_ID:
            raise NotFound()
        return revision_of(session, paragraph.id, revision_id, lang.value)
    except NotFound:
        raise ValidationFailed(
            "base_revision_id {revision_id} is not a {lang} revision of this paragraph.",
            details={"field": f"base_revision_ids.{lang.value}"},
            revision_id=revision_id,
            lang=lang.value.upper(),
        ) from None


def _sides(
    session: Session,
    paragraph: Paragraph,
    texts: dict[Lang, str | None],
    base_revision_ids: dict[Lang, int | None],
) -> dict[Lang, tuple[str, Revision]]:
    """The languages an amendment changes, with the revision each was written on."""
    normalised = _texts(texts)
    sides = {}
    for lang, text in normalised.items():
        base = _base_revision(session, paragraph, lang, base_revision_ids.get(lang))
        if text != base.text:  # a language left as it was is not part of the amendment
            sides[lang] = (text, base)
    if not sides:
        raise ValidationFailed(
            "The amendment changes nothing: change the text in at least one language.",
            details={"field": "texts"},
        )
    return sides


def propose(
    session: Session,
    access: ParagraphAccess,
    texts: dict[Lang, str | None],
    base_revision_ids: dict[Lang, int | None],
    justification: str,
) -> Amendment:
    user = access.user
    with unit_of_work(session) as uow:
        paragraph = _locked(session, access)
        access.require_in_phase(Action.PROPOSE_AMENDMENT)
        reason = _justification(justification)
        sides = _sides(session, paragraph, texts, base_revision_ids)
        assert paragraph.id is not None and access.document.id is not None
        assert user.id is not None
        amendment = Amendment(
            paragraph_id=paragraph.id,
            document_id=access.document.id,
            author_id=user.id,
            justification=reason,
        )
        for lang, (text, base) in sides.items():
            _set_side(amendment, lang.value, text, base.id)
        session.add(amendment)
        session.flush()
        audit.record_in_group(
            session,
            access,
            "amendment.propose",
            f"amendment:{amendment.id}",
            paragraph_id=paragraph.id,
            langs=[lang.value for lang in sides],
        )
        # Written on an older revision: rebase it now, like any other open amendment.
        _rebase_open(session, access, paragraph, reason="proposed on an older revision")
        uow.after_commit(_event(access, "amendment_proposed", amendment))
    return amendment


def _open_amendment(
    session: Session, user: User, amendment_id: int
) -> tuple[DocumentAccess, Paragraph, Amendment]:
    """The amendment and its paragraph, both rows locked: the route cannot load them for
    us, because the lock must be taken inside the write's transaction."""
    return queries.amendment_for(session, user, amendment_id, for_update=True)


def _require_open(amendment: Amendment) -> None:
    refusal = _not_open(amendment)
    if refusal is not None:
        raise refusal


def _not_open(amendment: Amendment) -> Conflict | None:
    if amendment.status == OPEN:
        return None
    return Conflict(
        "This amendment is {status}; only open amendments can be changed.",
        details={"status": amendment.status},
        status=amendment.status,
    )


def support(session: Session, user: User, amendment_id: int) -> Amendment:
    refusal: AppError | None = None
    with unit_of_work(session) as uow:
        access, paragraph, amendment = _open_amendment(session, user, amendment_id)
        access.require_in_phase(Action.SUPPORT_AMENDMENT)
        _rebase_open(session, access, paragraph, reason="paragraph changed")
        refusal = _not_open(amendment)
        if refusal is None and amendment.author_id == user.id:
            refusal = Conflict("You cannot support your own amendment.")
        if refusal is None and _add_support(session, access, amendment):
            uow.after_commit(_event(access, "amendment_supported", amendment))
    if refusal is not None:
        raise refusal  # only now: the rebase it was found on stays stored
    return amendment


def _add_support(session: Session, access: DocumentAccess, amendment: Amendment) -> bool:
    """Record the support; False when the person supports it already."""
    user = access.user
    assert amendment.id is not None and user.id is not None
    existing = session.exec(
        select(AmendmentSupport).where(
            AmendmentSupport.amendment_id == amendment.id, AmendmentSupport.user_id == user.id
        )
    ).first()
    if existing is not None:
        return False
    try:
        with session.begin_nested():
            session.add(AmendmentSupport(amendment_id=amendment.id, user_id=user.id))
            audit.record_in_group(session, access, "amendment.support", f"amendment:{amendment.id}")
    except IntegrityError:  # the same person's support arrived twice at once: it counts once
        return False
    return True


def withdraw(session: Session, user: User, amendment_id: int) -> Amendment:
    with unit_of_work(session) as uow:
        access, _, amendment = _open_amendment(session, user, amendment_id)
        if amendment.author_id != user.id:
            raise Forbidden("Only the author can withdraw an amendment.")
        _require_open(amendment)
        amendment.status = AmendmentStatus.WITHDRAWN
        amendment.updated_at = amendment.decided_at = utcnow()
        session.add(amendment)
        audit.record_in_group(session, access, "amendment.withdraw", f"amendment:{amendment.id}")
        uow.after_commit(_event(access, "amendment_withdrawn", amendment))
    return amendment


def resolve(
    session: Session,
    user: User,
    amendment_id: int,
    texts: dict[Lang, str | None],
    base_revision_ids: dict[Lang, int | None],
) -> Amendment:
    """The author rewrites an open amendment (typically one that needs a rebase) on top of
    the given revisions, normally the current ones."""
    with unit_of_work(session) as uow:
        access, paragraph, amendment = _open_amendment(session, user, amendment_id)
        if amendment.author_id != user.id:
            raise Forbidden("Only the author can rewrite an amendment.")
        access.require_in_phase(Action.PROPOSE_AMENDMENT)
        _require_open(amendment)
        sides = _sides(session, paragraph, texts, base_revision_ids)
        for lang in Lang:
            side = sides.get(lang)
            text, base = (side[0], side[1].id) if side else (None, None)
            _set_side(amendment, lang.value, text, base)
        amendment.rebase_state = RebaseState.CLEAN.value
        amendment.updated_at = utcnow()
        session.add(amendment)
        session.flush()
        audit.record_in_group(
            session,
            access,
            "amendment.resolve",
            f"amendment:{amendment.id}",
            langs=[lang.value for lang in sides],
        )
        _rebase_open(session, access, paragraph, reason="rewritten on an older revision")
        uow.after_commit(_event(access, "amendment_rebased", amendment))
    return amendment


@dataclass(frozen=True)
class Outcome:
    amendment: Amendment
    revisions: list[Revision]


def _apply(
    session: Session,
    access: DocumentAccess,
    paragraph: Paragraph,
    texts: dict[str, str],
) -> list[Revision]:
    revisions = []
    for lang in Lang:
        text = texts.get(lang.value)
        if text is None:
            continue
        current = current_revision(session, paragraph, lang)
        if text == current.text:
            continue
        revisions.append(
            new_revision(session, access, paragraph, lang, text, current, Source.AMENDMENT)
        )
    return revisions


def _parse_decision(value: str) -> Decision:
    return parse_choice(
        Decision,
        "decision",
        value,
        "Unknown decision {decision}; choose accept, accept_modified or reject.",
    )


def decide(
    session: Session,
    user: User,
    amendment_id: int,
    decision: str,
    reason: str,
    texts: dict[Lang, str | None] | None = None,
) -> Outcome:
    refusal: AppError | None = None
    with unit_of_work(session) as uow:
        access, paragraph, amendment = _open_amendment(session, user, amendment_id)
        access.require_in_phase(Action.DECIDE_AMENDMENT)
        chosen = _parse_decision(decision)
        reason = validation.text_field("reason", reason).strip()
        modified = _texts(texts or {})
        if chosen is Decision.REJECT and not reason:
            raise ValidationFailed(
                "Rejecting an amendment needs a reason.", details={"field": "reason"}
            )
        if chosen is Decision.ACCEPT_MODIFIED and not modified:
            raise ValidationFailed(
                "Accepting with modifications needs the modified text in at least one language.",
                details={"field": "texts"},
            )
        _require_open(amendment)
        states = _rebase_open(session, access, paragraph, reason="paragraph changed")
        refusal = _refused_after_rebase(chosen, states.get(amendment.id or 0))
        applied: dict[str, str] = {}
        if refusal is None and chosen is Decision.ACCEPT_MODIFIED:
            current = _current_of(session, paragraph).texts
            # A language the moderator left as it stands is not part of the decision.
            applied = {
                lang.value: text for lang, text in modified.items() if text != current[lang.value]
            }
            if not applied:
                refusal = ValidationFailed(
                    "The modified text is the current text; reject the amendment instead.",
                    details={"field": "texts"},
                )
        if refusal is None:
            outcome = _settle(session, access, paragraph, amendment, chosen, reason, applied)
            uow.after_commit(_event(access, "amendment_decided", amendment, decision=chosen.value))
    if refusal is not None:
        raise refusal  # only now: the rebase it was found on stays stored
    return outcome


def _refused_after_rebase(chosen: Decision, state: RebaseState | None) -> AppError | None:
    if chosen is not Decision.REJECT and state is RebaseState.OBSOLETE:
        return Conflict(
            "This amendment no longer changes the text (the paragraph already says this);"
            " it was marked obsolete."
        )
    if chosen is Decision.ACCEPT and state is RebaseState.NEEDS_REBASE:
        return Conflict(
            "The paragraph changed in the same place as this amendment: it needs a rebase"
            " before it can be accepted. Ask the author to resolve it, or accept it with"
            " modifications.",
            details={"rebase_state": RebaseState.NEEDS_REBASE.value},
        )
    return None


def _settle(
    session: Session,
    access: DocumentAccess,
    paragraph: Paragraph,
    amendment: Amendment,
    chosen: Decision,
    reason: str,
    applied: dict[str, str],
) -> Outcome:
    """Record the decision; accepting applies the proposal (or the moderator's ``applied``
    texts) as new revisions and rebases the amendments competing with it."""
    revisions: list[Revision] = []
    if chosen is Decision.ACCEPT:
        revisions = _apply(session, access, paragraph, queries.proposed_texts(amendment))
        amendment.status = AmendmentStatus.ACCEPTED
    elif chosen is Decision.ACCEPT_MODIFIED:
        revisions = _apply(session, access, paragraph, applied)
        amendment.applied_de_text = applied.get("de")
        amendment.applied_fr_text = applied.get("fr")
        amendment.status = AmendmentStatus.ACCEPTED_MODIFIED
    else:
        amendment.status = AmendmentStatus.REJECTED
    amendment.decided_by = access.user.id
    amendment.decided_at = amendment.updated_at = utcnow()
    amendment.decision_reason = reason
    session.add(amendment)
    audit.record_in_group(
        session,
        access,
        f"amendment.{chosen.value}",
        f"amendment:{amendment.id}",
        reason=reason,
        revision_ids=[revision.id for revision in revisions],
    )
    session.flush()
    if revisions:
        _rebase_open(session, access, paragraph, reason=f"amendment {amendment.id} accepted")
    return Outcome(amendment=amendment, revisions=revisions)


# --- merging several amendments of one paragraph ------------------------------------------


@dataclass(frozen=True)
class MergePlan:
    access: DocumentAccess
    paragraph: Paragraph
    amendments: list[Amendment]
    current: queries.Current
    preview: MergePreview


def _merge_plan(
    session: Session, access: ParagraphAccess, amendment_ids: list[int], *, write: bool
) -> MergePlan:
    paragraph = _locked(session, access) if write else access.paragraph
    access.require_in_phase(Action.DECIDE_AMENDMENT)
    wanted = list(dict.fromkeys(amendment_ids))
    if len(wanted) < 2:
        raise ValidationFailed(
            "Choose at least two amendments to merge.", details={"field": "amendment_ids"}
        )
    if write:
        _rebase_open(session, access, paragraph, reason="paragraph changed")
    found = {
        amendment.id: amendment
        for amendment in session.exec(
            select(Amendment).where(
                col(Amendment.id).in_(wanted), Amendment.paragraph_id == paragraph.id
            )
        ).all()
    }
    missing = [amendment_id for amendment_id in wanted if amendment_id not in found]
    if missing:
        raise ValidationFailed(
            "Amendments {ids} are not amendments of this paragraph.",
            details={"field": "amendment_ids", "ids": missing},
            ids=", ".join(str(i) for i in missing),
        )
    amendments = [found[amendment_id] for amendment_id in wanted]
    current = _current_of(session, paragraph)
    base_texts = _base_texts(session, amendments)
    proposals = []
    for amendment in amendments:
        assert amendment.id is not None
        if amendment.status != OPEN:
            raise Conflict(
                "Amendment {id} is {status}; only open amendments can be merged.",
                id=amendment.id,
                status=amendment.status,
            )
        result = queries.rebase_of(amendment, current, base_texts)
        if result.state is RebaseState.NEEDS_REBASE:
            raise Conflict(
                "Amendment {id} needs a rebase before it can be merged.",
                details={"amendment_id": amendment.id},
                id=amendment.id,
            )
        proposals.append((amendment.id, {lang: side.text for lang, side in result.sides.items()}))
    preview = merge_several(current.texts, proposals)
    return MergePlan(access, paragraph, amendments, current, preview)


def merge_preview(session: Session, access: ParagraphAccess, amendment_ids: list[int]) -> MergePlan:
    """What the paragraph would read after merging the amendments (nothing is written)."""
    plan = _merge_plan(session, access, amendment_ids, write=False)
    # End the read at once: a preview asked for by POST holds SQLite's write lock.
    session.rollback()
    return plan


def merge_apply(
    session: Session, access: ParagraphAccess, amendment_ids: list[int], reason: str
) -> MergePlan:
    """Apply several amendments in one pass: one new revision per language, each accepted."""
    refusal: AppError | None = None
    with unit_of_work(session) as uow:
        reason = validation.text_field("reason", reason).strip()
        plan = _merge_plan(session, access, amendment_ids, write=True)
        if plan.preview.clean:
            _accept_merged(session, plan, reason)
            uow.after_commit(
                _event(access, "amendment_decided", plan.amendments[0], decision="merge")
            )
        else:
            refusal = Conflict(
                "Amendments {ids} conflict with the ones before them; leave them out or"
                " resolve them first.",
                details={"conflicting": plan.preview.conflicting_ids},
                ids=", ".join(str(i) for i in plan.preview.conflicting_ids),
            )
    if refusal is not None:
        raise refusal  # only now: the rebase it was found on stays stored
    return plan


def _accept_merged(session: Session, plan: MergePlan, reason: str) -> None:
    user = plan.access.user
    changed = {
        lang: text
        for lang, text in plan.preview.texts.items()
        if text != plan.current.texts.get(lang)
    }
    revisions = _apply(session, plan.access, plan.paragraph, changed)
    now = utcnow()
    for amendment in plan.amendments:
        amendment.status = AmendmentStatus.ACCEPTED
        amendment.decided_by = user.id
        amendment.decided_at = amendment.updated_at = now
        amendment.decision_reason = reason
        session.add(amendment)
    audit.record_in_group(
        session,
        plan.access,
        "amendment.merge",
        f"paragraph:{plan.paragraph.id}",
        amendment_ids=[a.id for a in plan.amendments],
        revision_ids=[revision.id for revision in revisions],
        reason=reason,
    )
    session.flush()
    _rebase_open(
        session, plan.access, plan.paragraph, reason="amendments merged into the paragraph"
    )
