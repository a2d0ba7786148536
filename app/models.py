"""Database tables (SQLModel). Migrations in ``migrations/`` are generated from these."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

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

from app.fields import (
    COUNTRY_LENGTH,
    INITIATIVE_KEY_LENGTH,
    NAME_LENGTH,
    SHORT_NAME_LENGTH,
    THEMES_LENGTH,
)
from drafting.revisions import Source
from drafting.text import Lang

E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E], Generic[E]):
    """An enum column stored as its plain value in a VARCHAR: readable in SQL, portable
    between SQLite and PostgreSQL (no native enum type to migrate), and loaded back as
    the enum member, so code compares and matches on ``Phase.REVIEW``, not on strings."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(
        self,
        value: E | str | None,
        dialect: Dialect,  # noqa: ARG002 - the same for every database
    ) -> str | None:
        # A refused value fails here, before it reaches the database.
        return None if value is None else self.enum(value).value

    def process_result_value(
        self,
        value: str | None,
        dialect: Dialect,  # noqa: ARG002 - the same for every database
    ) -> E | None:
        return None if value is None else self.enum(value)

    @property
    def python_type(self) -> type[E]:
        return self.enum


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
    role: Role = Field(sa_type=EnumText(Role, 16))
    government: Government | None = Field(default=None, sa_type=EnumText(Government, 2))
    created_at: datetime = _timestamp()


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    title_de: str = Field(max_length=500)
    title_fr: str = Field(max_length=500)
    phase: Phase = Field(default=Phase.DRAFTING, sa_type=EnumText(Phase, 16))
    # Set when the DE and the FR liaison approved the same version: the final text.
    adopted_version_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("document_version.id", use_alter=True, name="fk_document_adopted")
        ),
    )
    adopted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = _timestamp()
    # Raised in the same transaction as every write that changes what the document page
    # shows (app/page_versions.py): a rendered page is reused while it stays the same.
    content_version: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )


class Paragraph(SQLModel, table=True):
    __table_args__ = (Index("ix_paragraph_document_position", "document_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id")
    position: int
    kind: ParagraphKind = Field(sa_type=EnumText(ParagraphKind, 16))
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
    lang: Lang = Field(sa_type=EnumText(Lang, 2))
    text: str = Field(sa_column=Column(Text, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="revision.id")
    author_id: int | None = Field(default=None, foreign_key="user.id")
    source: Source = Field(sa_type=EnumText(Source, 16))
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
    lang: Lang = Field(sa_type=EnumText(Lang, 2))
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


# --- Amendments, comments, notifications (issue: amendments and comments) ---------------


class AmendmentStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    ACCEPTED_MODIFIED = "accepted_modified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    OBSOLETE = "obsolete"


class Amendment(SQLModel, table=True):
    """Proposed new text for one paragraph, in one or both languages."""

    id: int | None = Field(default=None, primary_key=True)
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    author_id: int = Field(foreign_key="user.id", index=True)
    justification: str = Field(sa_column=Column(Text, nullable=False))
    # The proposed texts (None: this language is not touched) and the revisions they were
    # written against; a rebase moves the base to the current revision and updates the text.
    de_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    fr_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    de_base_revision_id: int | None = Field(default=None, foreign_key="revision.id")
    fr_base_revision_id: int | None = Field(default=None, foreign_key="revision.id")
    status: AmendmentStatus = Field(
        default=AmendmentStatus.OPEN, sa_type=EnumText(AmendmentStatus, 20), index=True
    )
    rebase_state: str = Field(default="clean", max_length=16)
    # With accept_modified, the texts the moderator applied (the proposal stays as it was).
    applied_de_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    applied_fr_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_reason: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class AmendmentSupport(SQLModel, table=True):
    __tablename__ = "amendment_support"
    __table_args__ = (UniqueConstraint("amendment_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    amendment_id: int = Field(foreign_key="amendment.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    created_at: datetime = _timestamp()


class Comment(SQLModel, table=True):
    """A comment on a paragraph's text in one language; replies have a parent."""

    id: int | None = Field(default=None, primary_key=True)
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    lang: Lang = Field(sa_type=EnumText(Lang, 2))
    author_id: int = Field(foreign_key="user.id")
    parent_id: int | None = Field(default=None, foreign_key="comment.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    # The quoted passage and where it stands in the revision ``anchor_revision_id``.
    quote: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    anchor_start: int | None = None
    anchor_end: int | None = None
    anchor_state: str | None = Field(default=None, max_length=16)
    anchor_revision_id: int | None = Field(default=None, foreign_key="revision.id")
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _timestamp()


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    document_id: int | None = Field(default=None, foreign_key="document.id")
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")
    comment_id: int | None = Field(default=None, foreign_key="comment.id")
    text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = _timestamp()
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- Two languages as equal originals ----------------------------------------------------


class Alignment(SQLModel, table=True):
    """A pair of revisions a person confirmed as saying the same thing; the newest row per
    paragraph is the current alignment."""

    id: int | None = Field(default=None, primary_key=True)
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    de_revision_id: int = Field(foreign_key="revision.id")
    fr_revision_id: int = Field(foreign_key="revision.id")
    confirmed_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _timestamp()


class GlossaryTerm(SQLModel, table=True):
    __tablename__ = "glossary_term"
    __table_args__ = (UniqueConstraint("group_id", "term_de", "term_fr"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    term_de: str = Field(max_length=200)
    term_fr: str = Field(max_length=200)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    false_friend: bool = False
    created_at: datetime = _timestamp()


# --- Evidence from local initiatives -----------------------------------------------------


class Initiative(SQLModel, table=True):
    """A local initiative in the shared library of all working groups."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(INITIATIVE_KEY_LENGTH), unique=True, nullable=False))
    name_de: str = Field(max_length=NAME_LENGTH)
    name_fr: str = Field(max_length=NAME_LENGTH)
    municipality: str = Field(max_length=SHORT_NAME_LENGTH)
    country: str = Field(max_length=COUNTRY_LENGTH, index=True)
    region: str = Field(default="", max_length=SHORT_NAME_LENGTH)
    themes: str = Field(default="", max_length=THEMES_LENGTH)  # ";"-separated, as in the CSV
    since: int | None = None
    summary_de: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    summary_fr: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    links: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    contact_notes: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    latitude: float | None = None
    longitude: float | None = None
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InitiativeRevision(SQLModel, table=True):
    """The fields of an initiative before an edit (JSON), so edits can be traced."""

    __tablename__ = "initiative_revision"

    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    data: str = Field(sa_column=Column(Text, nullable=False))
    author_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _timestamp()


class EvidenceLink(SQLModel, table=True):
    __tablename__ = "evidence_link"

    id: int | None = Field(default=None, primary_key=True)
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    author_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _timestamp()
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_by: int | None = Field(default=None, foreign_key="user.id")


# --- Versions and review -----------------------------------------------------------------


class DocumentVersion(SQLModel, table=True):
    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    number: int
    label: str = Field(max_length=500)
    is_review: bool = False
    # Entering review without every paragraph in sync needs a reason, shown to liaisons.
    override_reason: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _timestamp()


class VersionParagraph(SQLModel, table=True):
    __tablename__ = "version_paragraph"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="document_version.id", index=True)
    position: int
    paragraph_id: int = Field(foreign_key="paragraph.id")
    kind: ParagraphKind = Field(sa_type=EnumText(ParagraphKind, 16))
    de_revision_id: int = Field(foreign_key="revision.id")
    fr_revision_id: int = Field(foreign_key="revision.id")
    alignment: str = Field(default="", max_length=16)


class VersionEvidence(SQLModel, table=True):
    __tablename__ = "version_evidence"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="document_version.id", index=True)
    paragraph_id: int = Field(foreign_key="paragraph.id")
    initiative_id: int = Field(foreign_key="initiative.id")
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Review(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    version_id: int = Field(foreign_key="document_version.id")
    liaison_id: int = Field(foreign_key="user.id")
    government: str = Field(max_length=2)
    decision: str = Field(max_length=20)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = _timestamp()


class SiteVersion(SQLModel, table=True):
    """One row: raised by every write to what many pages share (people, groups, memberships,
    glossaries, the initiative library), in the same transaction as the write."""

    __tablename__ = "site_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
