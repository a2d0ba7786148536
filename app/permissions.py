"""Who may do what, by role and document phase (docs/lifecycle.md)."""

from __future__ import annotations

from enum import StrEnum

from app.models import Phase, Role


class Action(StrEnum):
    READ = "read"
    EDIT_TEXT = "edit_text"
    ADD_PARAGRAPH = "add_paragraph"
    MANAGE_PARAGRAPHS = "manage_paragraphs"
    CREATE_DOCUMENT = "create_document"
    MANAGE_MEMBERS = "manage_members"
    CHANGE_PHASE = "change_phase"
    VIEW_AUDIT = "view_audit"
    PROPOSE_AMENDMENT = "propose_amendment"
    SUPPORT_AMENDMENT = "support_amendment"
    DECIDE_AMENDMENT = "decide_amendment"
    COMMENT = "comment"
    RESOLVE_ANY_COMMENT = "resolve_any_comment"
    LINK_EVIDENCE = "link_evidence"
    EDIT_INITIATIVES = "edit_initiatives"
    CONFIRM_ALIGNMENT = "confirm_alignment"
    MANAGE_GLOSSARY = "manage_glossary"
    CREATE_VERSION = "create_version"
    REVIEW = "review"


_MODERATOR_EDIT_PHASES = {Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION}
_OPEN_PHASES = {Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION, Phase.REVIEW}
# What members and moderators may do in each phase besides editing texts.
_CONTRIBUTOR_ACTIONS_BY_PHASE: dict[Action, set[Phase]] = {
    Action.PROPOSE_AMENDMENT: {Phase.AMENDMENTS},
    Action.SUPPORT_AMENDMENT: {Phase.AMENDMENTS},
    Action.LINK_EVIDENCE: _MODERATOR_EDIT_PHASES,
    Action.EDIT_INITIATIVES: set(Phase),
    Action.CONFIRM_ALIGNMENT: _MODERATOR_EDIT_PHASES,
}
_MODERATOR_ACTIONS_BY_PHASE: dict[Action, set[Phase]] = {
    Action.DECIDE_AMENDMENT: {Phase.AMENDMENTS, Phase.CONSOLIDATION},
    Action.CREATE_VERSION: _OPEN_PHASES,
    Action.CHANGE_PHASE: _OPEN_PHASES,
    Action.MANAGE_GLOSSARY: set(Phase),
    Action.RESOLVE_ANY_COMMENT: set(Phase),
    Action.CREATE_DOCUMENT: set(Phase),
    Action.MANAGE_MEMBERS: set(Phase),
    Action.VIEW_AUDIT: set(Phase),
}


def allowed(role: Role | None, action: Action, phase: Phase | None = None) -> bool:
    """Whether a member of a group with ``role`` may do ``action`` in a document ``phase``.

    ``role`` is None for a site admin who is not a member of the group: such an admin may
    manage the group's members but reads none of its documents.
    """
    if role is None:
        return action is Action.MANAGE_MEMBERS
    if action is Action.READ:
        return True
    if action is Action.COMMENT:
        return phase is None or phase in _OPEN_PHASES
    if role is Role.LIAISON:
        return action is Action.REVIEW and phase is Phase.REVIEW
    if action is Action.REVIEW:
        return False
    if action in (Action.EDIT_TEXT, Action.ADD_PARAGRAPH):
        if role is Role.MODERATOR:
            return phase in _MODERATOR_EDIT_PHASES
        return phase is Phase.DRAFTING
    if action is Action.MANAGE_PARAGRAPHS:
        return role is Role.MODERATOR and phase in _MODERATOR_EDIT_PHASES
    if action in _CONTRIBUTOR_ACTIONS_BY_PHASE:
        return phase is None or phase in _CONTRIBUTOR_ACTIONS_BY_PHASE[action]
    if role is not Role.MODERATOR:
        return False
    return phase is None or phase in _MODERATOR_ACTIONS_BY_PHASE.get(action, set(Phase))
