"""What a rendered document page depends on, counted in the database.

Every ORM flush that writes a row shown on a document page raises that document's
``content_version``; a write to rows that many pages share (people, groups, memberships,
glossaries, the initiative library) raises the one ``site_version``. Both are raised inside
the flush, in the writer's own transaction: they commit with the data or not at all, on
every process and both databases. A reader that reads the versions before the data can
therefore never see data older than the versions claim, which is what makes a page cached
under them safe to reuse (app/page_cache.py).

Every table is classified below; a test fails when a new table is not, so a new feature
cannot silently serve stale pages. Bulk ``update()`` statements bypass the ORM and must
not change what pages show (today they renumber paragraphs in a flush that also adds one,
store relocated comment anchors, and mark notifications read: the unread count is part of
the page key).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import col

from app.models import (
    Alignment,
    Amendment,
    AmendmentSupport,
    ApiToken,
    AuditEntry,
    Comment,
    ConflictDraft,
    Document,
    DocumentEventRow,
    DocumentVersion,
    EvidenceLink,
    GlossaryTerm,
    Initiative,
    InitiativeRevision,
    LoginFailure,
    Membership,
    Notification,
    Paragraph,
    Review,
    Revision,
    SiteVersion,
    User,
    UserSession,
    VersionEvidence,
    VersionParagraph,
    WorkingGroup,
)

# Rows of one document, by the column that leads to it.
BY_DOCUMENT_ID: tuple[type[Any], ...] = (
    Paragraph,
    Amendment,
    Comment,
    EvidenceLink,
    DocumentVersion,
    Review,
)
BY_PARAGRAPH_ID: tuple[type[Any], ...] = (Revision, ConflictDraft, Alignment)
BY_AMENDMENT_ID: tuple[type[Any], ...] = (AmendmentSupport,)
BY_VERSION_ID: tuple[type[Any], ...] = (VersionParagraph, VersionEvidence)
# Rows that many pages show.
SITE_WIDE: tuple[type[Any], ...] = (
    User,
    WorkingGroup,
    Membership,
    GlossaryTerm,
    Initiative,
    InitiativeRevision,
)
# Rows no cached page shows: sessions, tokens, the audit trail, the event log, the
# counters themselves, and notifications (their unread count is part of the page key).
NOT_SHOWN: tuple[type[Any], ...] = (
    UserSession,
    ApiToken,
    LoginFailure,
    AuditEntry,
    DocumentEventRow,
    Notification,
    SiteVersion,
)


class _Touched:
    def __init__(self) -> None:
        self.document_ids: set[int] = set()
        self.paragraph_ids: set[int] = set()
        self.amendment_ids: set[int] = set()
        self.version_ids: set[int] = set()
        self.site = False

    def add(self, row: object) -> None:
        if isinstance(row, Document):
            if row.id is not None:
                self.document_ids.add(row.id)
        elif isinstance(row, BY_DOCUMENT_ID):
            self.document_ids.add(row.document_id)
        elif isinstance(row, BY_PARAGRAPH_ID):
            self.paragraph_ids.add(row.paragraph_id)
        elif isinstance(row, BY_AMENDMENT_ID):
            self.amendment_ids.add(row.amendment_id)
        elif isinstance(row, BY_VERSION_ID):
            self.version_ids.add(row.version_id)
        elif isinstance(row, SITE_WIDE):
            self.site = True

    @property
    def any_document(self) -> bool:
        return any((self.document_ids, self.paragraph_ids, self.amendment_ids, self.version_ids))


def _raise_document_versions(session: Session, touched: _Touched) -> None:
    def documents_of(model: type[Any], ids: set[int]) -> Any:
        return select(col(model.document_id)).where(col(model.id).in_(ids))

    document_id = col(Document.id)
    version = col(Document.content_version)
    statement = (
        update(Document)
        .where(
            or_(
                document_id.in_(touched.document_ids),
                document_id.in_(documents_of(Paragraph, touched.paragraph_ids)),
                document_id.in_(documents_of(Amendment, touched.amendment_ids)),
                document_id.in_(documents_of(DocumentVersion, touched.version_ids)),
            )
        )
        .values(content_version=version + 1)
        .returning(document_id, version)
    )
    for row_id, new_version in session.connection().execute(statement):
        # Keep the loaded row in step, so this session never reads its own old version.
        loaded = session.identity_map.get(identity_key(Document, row_id))
        if loaded is not None:
            set_committed_value(loaded, "content_version", new_version)


def _raise_site_version(session: Session) -> None:
    connection = session.connection()
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(SiteVersion)
        .values(id=1, version=1)
        .on_conflict_do_update(index_elements=["id"], set_={"version": SiteVersion.version + 1})
    )
    connection.execute(statement)


@event.listens_for(Session, "after_flush")
def _count_page_changes(session: Session, _flush: UOWTransaction) -> None:
    touched = _Touched()
    for row in (*session.new, *session.dirty, *session.deleted):
        touched.add(row)
    if touched.any_document:
        _raise_document_versions(session, touched)
    if touched.site:
        _raise_site_version(session)


def site_version(session: Session) -> int:
    statement = select(col(SiteVersion.version)).where(col(SiteVersion.id) == 1)
    return session.execute(statement).scalar() or 0
