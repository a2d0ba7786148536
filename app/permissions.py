"""Who may do what, by role and document phase (DESIGN.md, "People and roles")."""

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


_MODERATOR_EDIT_PHASES = {Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION}


def allowed(role: Role | None, action: Action, phase: Phase | None = None) -> bool:
    """Whether a member of a group with ``role`` may do ``action`` in a document ``phase``.

    ``role`` is None for a site admin who is not a member of the group: such an admin may
    manage the group's members but reads none of its documents.
    """
    if role is None:
        return action is Action.MANAGE_MEMBERS
    if action is Action.READ:
        return True
    if role is Role.LIAISON:
        return False
    if action in (Action.EDIT_TEXT, Action.ADD_PARAGRAPH):
        if role is Role.MODERATOR:
            return phase in _MODERATOR_EDIT_PHASES
        return phase is Phase.DRAFTING
    if action is Action.MANAGE_PARAGRAPHS:
        return role is Role.MODERATOR and phase in _MODERATOR_EDIT_PHASES
    return role is Role.MODERATOR
