"""Database tables (SQLModel). Migrations in ``migrations/`` are generated from these."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - the same for every database
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(UTC)

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - the same for every database
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)


class Role(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    LIAISON = "liaison"


class Government(StrEnum):
    DE = "DE"
    FR = "FR"


class Phase(StrEnum):
    DRAFTING = "drafting"
    AMENDMENTS = "amendments"
    CONSOLIDATION = "consolidation"
    REVIEW = "review"
    ADOPTED = "adopted"


class ParagraphKind(StrEnum):
    HEADING = "heading"
    TEXT = "text"
    RECOMMENDATION = "recommendation"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=300)
    locale: str = Field(default="en", max_length=8)
    is_admin: bool = False
    created_at: datetime = _timestamp()


class WorkingGroup(SQLModel, table=True):
    __tablename__ = "working_group"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    name_de: str = Field(max_length=500)
    name_fr: str = Field(max_length=500)
    created_at: datetime = _timestamp()


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=16)
    government: str | None = Field(default=None, max_length=2)
    created_at: datetime = _timestamp()


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    title_de: str = Field(max_length=500)
    title_fr: str = Field(max_length=500)
    phase: str = Field(default=Phase.DRAFTING.value, max_length=16)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = _timestamp()


class Paragraph(SQLModel, table=True):
    __table_args__ = (Index("ix_paragraph_document_position", "document_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id")
    position: int
    kind: str = Field(max_length=16)
    # The current revision per language; the history lives in ``revision``. Keeping the
    # pointer here makes reading a document cost one row per paragraph whatever the history.
    de_revision_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("revision.id", use_alter=True, name="fk_paragraph_de_revision")
        ),
    )
    fr_revision_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("revision.id", use_alter=True, name="fk_paragraph_fr_revision")
        ),
    )
    created_at: datetime = _timestamp()
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def current_revision_id(self, lang: str) -> int | None:
        return self.de_revision_id if lang == "de" else self.fr_revision_id

    def set_current_revision_id(self, lang: str, revision_id: int) -> None:
        if lang == "de":
            self.de_revision_id = revision_id
        else:
            self.fr_revision_id = revision_id


class Revision(SQLModel, table=True):
    __table_args__ = (Index("ix_revision_paragraph_lang", "paragraph_id", "lang", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    paragraph_id: int = Field(foreign_key="paragraph.id")
    lang: str = Field(max_length=2)
    text: str = Field(sa_column=Column(Text, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="revision.id")
    author_id: int | None = Field(default=None, foreign_key="user.id")
    source: str = Field(max_length=16)
    created_at: datetime = _timestamp()


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: int = Field(foreign_key="user.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = _timestamp()


class LoginFailure(SQLModel, table=True):
    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, index=True)
    created_at: datetime = _timestamp()


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int | None = Field(default=None, foreign_key="working_group.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=64)
    target: str = Field(max_length=200)
    details: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = _timestamp()


class ConflictDraft(SQLModel, table=True):
    """Text whose save conflicted, kept for its author until resolved or discarded."""

    __tablename__ = "conflict_draft"

    id: int | None = Field(default=None, primary_key=True)
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    lang: str = Field(max_length=2)
    author_id: int = Field(foreign_key="user.id", index=True)
    base_revision_id: int = Field(foreign_key="revision.id")
    theirs_revision_id: int = Field(foreign_key="revision.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _timestamp()
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "open" until the author resolves it (a new revision) or discards it
    state: str = Field(default="open", max_length=16)


class DocumentEventRow(SQLModel, table=True):
    """Published document events, kept for a while so that reconnecting pages can resume
    from ``Last-Event-ID`` on any server process."""

    __tablename__ = "document_event"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    kind: str = Field(max_length=32)
    paragraph_id: int | None = None
    actor: str | None = Field(default=None, max_length=64)
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    created_at: datetime = _timestamp()
