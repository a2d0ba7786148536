"""JSON shapes of a working group's audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.schemas.common import Shape


class AuditEntryOut(Shape):
    id: int
    created_at: datetime
    actor: str | None
    action: str
    target: str
    details: dict[str, Any]
