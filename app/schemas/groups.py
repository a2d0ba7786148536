"""JSON shapes of working groups and their members."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.models import Membership, WorkingGroup
from app.queries.groups import MemberView
from app.schemas.common import Body


class NewGroup(Body):
    slug: str = Field(max_length=200)
    name_de: str = Field(max_length=2000)
    name_fr: str = Field(max_length=2000)


class MemberOut(BaseModel):
    username: str
    display_name: str
    role: str
    government: str | None

    @classmethod
    def of(cls, member: MemberView) -> MemberOut:
        return cls(**member.__dict__)


class GroupOut(BaseModel):
    id: int
    slug: str
    name_de: str
    name_fr: str
    role: str | None = None

    @classmethod
    def of(cls, group: WorkingGroup, membership: Membership | None = None) -> GroupOut:
        assert group.id is not None
        return cls(
            id=group.id,
            slug=group.slug,
            name_de=group.name_de,
            name_fr=group.name_fr,
            role=membership.role if membership else None,
        )


class GroupDetailOut(GroupOut):
    members: list[MemberOut]


class MembershipIn(Body):
    role: Literal["member", "moderator", "liaison"]
    government: Literal["DE", "FR"] | None = None


class MembershipOut(BaseModel):
    group: str
    username: str
    role: str
    government: str | None
