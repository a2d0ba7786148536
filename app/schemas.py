"""JSON shapes of the API (DESIGN.md, "JSON API — the contract")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import Document, Membership, User, WorkingGroup
from app.queries.access import MAX_ID
from app.queries.documents import ParagraphView, TextView
from app.queries.groups import MemberView
from app.queries.revisions import RevisionView

Identifier = Field(ge=1, le=MAX_ID)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(Body):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1024)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    locale: str
    is_admin: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        assert user.id is not None
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            locale=user.locale,
            is_admin=user.is_admin,
        )


class TokenOut(BaseModel):
    token: str
    user: UserOut


class NewUser(Body):
    username: str = Field(max_length=200)
    display_name: str = Field(max_length=1000)
    password: str = Field(max_length=1024)
    locale: Literal["de", "fr", "en"] = "en"
    is_admin: bool = False


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


class NewDocument(Body):
    title_de: str = Field(max_length=2000)
    title_fr: str = Field(max_length=2000)


class DocumentOut(BaseModel):
    id: int
    group: str
    title_de: str
    title_fr: str
    phase: str
    created_at: datetime

    @classmethod
    def of(cls, document: Document, group_slug: str) -> DocumentOut:
        assert document.id is not None
        return cls(
            id=document.id,
            group=group_slug,
            title_de=document.title_de,
            title_fr=document.title_fr,
            phase=document.phase,
            created_at=document.created_at,
        )


class TextOut(BaseModel):
    revision_id: int | None
    text: str
    source: str | None

    @classmethod
    def of(cls, view: TextView) -> TextOut:
        return cls(revision_id=view.revision_id, text=view.text, source=view.source)


class ParagraphOut(BaseModel):
    id: int
    number: int
    position: int
    kind: str
    texts: dict[str, TextOut]
    alignment: str | None = Field(
        default=None, description="Alignment status; null until alignment is recorded."
    )
    evidence_count: int = 0
    open_comments: int = 0
    open_amendments: int = 0

    @classmethod
    def of(cls, view: ParagraphView) -> ParagraphOut:
        return cls(
            id=view.id,
            number=view.number,
            position=view.position,
            kind=view.kind,
            texts={"de": TextOut.of(view.de), "fr": TextOut.of(view.fr)},
        )


class DocumentDetailOut(DocumentOut):
    paragraphs: list[ParagraphOut]


class NewParagraph(Body):
    kind: Literal["heading", "text", "recommendation"] = "text"
    de: str = Field(default="", max_length=400_000)
    fr: str = Field(default="", max_length=400_000)
    after_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class ParagraphChange(Body):
    kind: Literal["heading", "text", "recommendation"] | None = None
    position: int | None = Field(default=None, ge=1, le=2**31)


class SaveText(Body):
    text: str = Field(max_length=400_000)
    base_revision_id: int = Identifier
    conflict_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The caller's conflict draft this resolves"
    )


class ConflictOut(BaseModel):
    id: int
    paragraph_id: int
    lang: str
    text: str
    state: str = "open"


class SavedText(BaseModel):
    revision_id: int
    text: str
    merged: bool
    source: str


class RestoreText(Body):
    revision_id: int = Identifier


class RevisionOut(BaseModel):
    id: int
    parent_id: int | None
    lang: str
    author: str | None
    created_at: datetime
    source: str
    text: str

    @classmethod
    def of(cls, view: RevisionView) -> RevisionOut:
        return cls(
            id=view.id,
            parent_id=view.parent_id,
            lang=view.lang,
            author=view.author,
            created_at=view.created_at,
            source=view.source,
            text=view.text,
        )


class DiffOut(BaseModel):
    ops: list[tuple[Literal[-1, 0, 1], str]]
