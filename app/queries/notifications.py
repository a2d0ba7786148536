"""Reading a person's notifications and the members they may mention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from app.models import Document, Membership, Notification, User

PAGE_SIZE = 200


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    actor: str | None
    actor_name: str | None
    document_id: int | None
    document_title_de: str | None
    document_title_fr: str | None
    paragraph_id: int | None
    comment_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None

    @property
    def read(self) -> bool:
        return self.read_at is not None

    @property
    def url(self) -> str | None:
        if self.document_id is None:
            return None
        anchor = f"#p-{self.paragraph_id}" if self.paragraph_id is not None else ""
        return f"/documents/{self.document_id}{anchor}"


def unread_count_of(user_id: Any) -> Any:
    """The unread count as a scalar subquery of ``user_id`` (a column or a value), so that
    the page's session lookup brings the header's badge in the same query."""
    return (
        select(func.count())
        .where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
        .scalar_subquery()
    )


def unread_count(session: Session, user_id: int) -> int:
    return int(session.exec(select(unread_count_of(user_id))).one())


def notifications_of(
    session: Session, user_id: int, limit: int = PAGE_SIZE
) -> list[NotificationView]:
    """The person's notifications, newest first, in one query."""
    actor = aliased(User)
    statement = (
        select(Notification, actor, Document)
        .outerjoin(actor, col(actor.id) == col(Notification.actor_id))
        .outerjoin(Document, col(Document.id) == col(Notification.document_id))
        .where(Notification.user_id == user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    )
    views = []
    for notification, who, document in session.exec(statement).all():
        assert notification.id is not None
        views.append(
            NotificationView(
                id=notification.id,
                kind=notification.kind,
                actor=who.username if who else None,
                actor_name=who.display_name if who else None,
                document_id=notification.document_id,
                document_title_de=document.title_de if document else None,
                document_title_fr=document.title_fr if document else None,
                paragraph_id=notification.paragraph_id,
                comment_id=notification.comment_id,
                text=notification.text,
                created_at=notification.created_at,
                read_at=notification.read_at,
            )
        )
    return views


def members_named(session: Session, group_id: int, usernames: set[str]) -> list[User]:
    """The members of the group among ``usernames`` (unknown names and outsiders dropped)."""
    if not usernames:
        return []
    statement = (
        select(User)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.group_id == group_id, col(User.username).in_(usernames))
        .order_by(col(User.username))
    )
    return list(session.exec(statement).all())
