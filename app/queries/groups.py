"""Reading users, working groups and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Membership, User, WorkingGroup
from app.validation import USERNAME


@dataclass(frozen=True)
class MemberView:
    username: str
    display_name: str
    role: str
    government: str | None


def user_by_name(session: Session, username: str) -> User | None:
    # A name no user can have is not looked up (PostgreSQL refuses NUL in a query).
    if not USERNAME.fullmatch(username):
        return None
    return session.exec(select(User).where(User.username == username)).first()


def groups_of(session: Session, user: User) -> list[tuple[WorkingGroup, Membership]]:
    statement = (
        select(WorkingGroup, Membership)
        .join(Membership, col(Membership.group_id) == col(WorkingGroup.id))
        .where(Membership.user_id == user.id)
        .order_by(col(WorkingGroup.slug))
    )
    return [(group, membership) for group, membership in session.exec(statement).all()]


def all_groups(session: Session) -> list[WorkingGroup]:
    return list(session.exec(select(WorkingGroup).order_by(col(WorkingGroup.slug))).all())


def all_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.username))).all())


def members_of(session: Session, group_id: int) -> list[MemberView]:
    statement = (
        select(Membership, User)
        .join(User, col(User.id) == col(Membership.user_id))
        .where(Membership.group_id == group_id)
        .order_by(col(User.username))
    )
    return [
        MemberView(
            username=user.username,
            display_name=user.display_name,
            role=membership.role,
            government=membership.government,
        )
        for membership, user in session.exec(statement).all()
    ]
