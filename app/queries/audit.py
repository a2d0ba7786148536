"""Reading a working group's audit trail: who did what, when."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app import validation
from app.errors import ValidationFailed
from app.models import AuditEntry, User

PAGE_SIZE = 200
MAX_ROWS = 10_000


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # an action ("review.approve") or its area ("review")
    actor: str = ""  # a user name
    since: date | None = None
    until: date | None = None  # inclusive

    @classmethod
    def of(
        cls, action: str | None, actor: str | None, since: date | None, until: date | None
    ) -> AuditFilter:
        """The filter as a request gives it: text checked, user names in lower case."""
        return cls(
            action=validation.text_field("action", action or "").strip(),
            actor=validation.text_field("actor", actor or "").strip().lower(),
            since=since,
            until=until,
        )

    @classmethod
    def of_text(
        cls, action: str | None, actor: str | None, since: str | None, until: str | None
    ) -> AuditFilter:
        """The filter as a page's form gives it, the dates as YYYY-MM-DD text."""
        return cls.of(action, actor, _day(since, "since"), _day(until, "until"))

    def as_query(self) -> dict[str, str]:
        """The filter's fields as the form shows them (and as links carry them on)."""
        return {
            "action": self.action,
            "actor": self.actor,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("Give the date as YYYY-MM-DD.", details={"field": field}) from None


@dataclass(frozen=True)
class AuditView:
    id: int
    created_at: datetime
    actor: str | None  # user name; None for the system
    actor_name: str | None
    action: str
    target: str
    details: dict[str, Any]

    def details_text(self) -> str:
        return "; ".join(f"{key}: {value}" for key, value in self.details.items())


def _details(raw: str) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {"details": raw}
    return parsed if isinstance(parsed, dict) else {"details": parsed}


def entries(
    session: Session,
    group_id: int,
    filters: AuditFilter | None = None,
    *,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[AuditView]:
    """The group's audit entries, newest first, in one query."""
    filters = filters or AuditFilter()
    statement = (
        select(AuditEntry, User)
        .outerjoin(User, col(User.id) == col(AuditEntry.actor_id))
        .where(AuditEntry.group_id == group_id)
    )
    if filters.action:
        statement = statement.where(
            (col(AuditEntry.action) == filters.action)
            | col(AuditEntry.action).startswith(filters.action + ".", autoescape=True)
        )
    if filters.actor:
        statement = statement.where(col(User.username) == filters.actor)
    if filters.since is not None:
        start = datetime.combine(filters.since, time.min, tzinfo=UTC)
        statement = statement.where(col(AuditEntry.created_at) >= start)
    if filters.until is not None:
        end = datetime.combine(filters.until, time.min, tzinfo=UTC) + timedelta(days=1)
        statement = statement.where(col(AuditEntry.created_at) < end)
    statement = (
        statement.order_by(col(AuditEntry.created_at).desc(), col(AuditEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    views = []
    for entry, user in session.exec(statement).all():
        assert entry.id is not None
        views.append(
            AuditView(
                id=entry.id,
                created_at=entry.created_at,
                actor=user.username if user else None,
                actor_name=user.display_name if user else None,
                action=entry.action,
                target=entry.target,
                details=_details(entry.details),
            )
        )
    return views


def actions_of(session: Session, group_id: int) -> list[str]:
    """The distinct actions recorded for the group (for the filter)."""
    return sorted(
        session.exec(
            select(AuditEntry.action).where(AuditEntry.group_id == group_id).distinct()
        ).all()
    )


# --- The log as a spreadsheet -----------------------------------------------------------------

# Cells starting like a formula are run by spreadsheets; a leading apostrophe keeps them text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def as_csv(found: list[AuditView]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["time", "actor", "action", "target", "details"])
    for entry in found:
        writer.writerow(
            [
                csv_cell(entry.created_at.isoformat()),
                csv_cell(entry.actor or ""),
                csv_cell(entry.action),
                csv_cell(entry.target),
                csv_cell(entry.details_text()),
            ]
        )
    return buffer.getvalue()
