"""The audit trail: who did what, when. Written inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from app.models import AuditEntry, User
from app.queries.access import GroupAccess


def record(
    session: Session,
    actor: User | None,
    action: str,
    target: str,
    *,
    group_id: int | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditEntry(
            group_id=group_id,
            actor_id=actor.id if actor else None,
            action=action,
            target=target,
            details=json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
        )
    )


def record_in_group(
    session: Session, access: GroupAccess, action: str, target: str, **details: Any
) -> None:
    """What a member did in their working group: the entry is the group's, by that member."""
    record(session, access.user, action, target, group_id=access.group.id, **details)
