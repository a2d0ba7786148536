"""JSON shapes of working groups and their members."""

from __future__ import annotations

from typing import Any, Literal

from app.fields import HandleInput, NameInput
from app.models import Membership, WorkingGroup
from app.queries.access import GroupAccess
from app.queries.groups import MemberView
from app.schemas.common import Body, Shape


class NewGroup(Body):
    slug: HandleInput
    name_de: NameInput
    name_fr: NameInput


class MemberOut(Shape):
    username: str
    display_name: str
    role: str
    government: str | None


def _as_seen_by(group: WorkingGroup, membership: Membership | None) -> dict[str, Any]:
    """The group with the caller's role in it (none for a site admin who only manages it)."""
    return group.model_dump() | {"role": membership.role if membership else None}


class GroupOut(Shape):
    id: int
    slug: str
    name_de: str
    name_fr: str
    role: str | None = None

    @classmethod
    def of(cls, group: WorkingGroup, membership: Membership | None = None) -> GroupOut:
        return cls.model_validate(_as_seen_by(group, membership))


class GroupDetailOut(GroupOut):
    members: list[MemberOut]

    @classmethod
    def of_access(cls, access: GroupAccess, members: list[MemberView]) -> GroupDetailOut:
        return cls.model_validate(
            _as_seen_by(access.group, access.membership) | {"members": members}
        )


class MembershipIn(Body):
    role: Literal["member", "moderator", "liaison"]
    government: Literal["DE", "FR"] | None = None


class MembershipOut(Shape):
    group: str
    username: str
    role: str
    government: str | None

    @classmethod
    def of(cls, access: GroupAccess, username: str, membership: Membership) -> MembershipOut:
        return cls(
            group=access.group.slug,
            username=username,
            role=membership.role,
            government=membership.government,
        )
