"""What a rendered document page depends on, counted in the database.

The first ORM flush of a transaction that writes a row shown on a document page raises
that document's ``content_version``; a write to rows that many pages share (people,
groups, memberships, glossaries, the initiative library) raises the one ``site_version``.
Both are raised inside the flush, in the writer's own transaction: they commit with the
data or not at all, on every process and both databases. A reader that reads the
versions before the data can therefore never see data older than the versions claim,
which is what makes a page cached under them safe to reuse (app/page_cache.py).

Every table is classified below; a test fails when a new table is not, so a new feature
cannot silently serve stale pages. Bulk ``update()`` statements bypass the ORM and must
not change what pages show (today they renumber paragraphs in a flush that also adds one,
store relocated comment anchors, and mark notifications read: the unread count is part of
the page key).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction, sessionmaker
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


# Each row class that leads to its document through another row: that row's class.
_PARENT_OF: dict[type[Any], type[Any]] = {
    **dict.fromkeys(BY_PARAGRAPH_ID, Paragraph),
    **dict.fromkeys(BY_AMENDMENT_ID, Amendment),
    **dict.fromkeys(BY_VERSION_ID, DocumentVersion),
}
_PARENT_KEY: dict[type[Any], str] = {
    Paragraph: "paragraph_id",
    Amendment: "amendment_id",
    DocumentVersion: "version_id",
}
# What this session's open transaction has raised already, in ``session.info``.
_RAISED = "tandem_page_versions_raised"


def _documents_touched(session: Session, rows: list[object]) -> tuple[set[int], bool]:
    """The documents whose pages ``rows`` change, and whether a site-wide row changed."""
    documents: set[int] = set()
    parents: dict[type[Any], set[int]] = {}
    site = False
    for row in rows:
        if isinstance(row, Document):
            if row.id is not None:
                documents.add(row.id)
        elif isinstance(row, BY_DOCUMENT_ID):
            documents.add(row.document_id)
        elif type(row) in _PARENT_OF:
            parent = _PARENT_OF[type(row)]
            parents.setdefault(parent, set()).add(getattr(row, _PARENT_KEY[parent]))
        elif isinstance(row, SITE_WIDE):
            site = True
    for parent, ids in parents.items():
        # Usually loaded already (the service read it to check access); else one query.
        missing = set()
        for parent_id in ids:
            loaded = session.identity_map.get(identity_key(parent, parent_id))
            if loaded is None:
                missing.add(parent_id)
            else:
                documents.add(loaded.document_id)
        if missing:
            statement = select(col(parent.document_id)).where(col(parent.id).in_(missing))
            documents.update(session.connection().execute(statement).scalars())
    return documents, site


def _raise_document_versions(session: Session, document_ids: set[int]) -> None:
    document_id = col(Document.id)
    version = col(Document.content_version)
    statement = (
        update(Document)
        .where(document_id.in_(document_ids))
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


def _count_page_changes(session: Session, _flush: UOWTransaction) -> None:
    # Once per transaction is enough: no reader sees a transaction's flushes before its
    # commit, and the commit makes them visible together with the one raised version.
    raised: dict[str, Any] = session.info.setdefault(_RAISED, {"documents": set(), "site": False})
    documents, site = _documents_touched(session, [*session.new, *session.dirty, *session.deleted])
    documents -= raised["documents"]
    if documents:
        _raise_document_versions(session, documents)
        raised["documents"] |= documents
    if site and not raised["site"]:
        _raise_site_version(session)
        raised["site"] = True


def _forget_raised(session: Session, transaction: SessionTransaction) -> None:
    # At the end of the real transaction, also after a rollback (the raise is undone), and
    # after any savepoint (to be safe: a raise too many costs a render, one too few would
    # serve a stale page); not after the subtransaction each flush runs in.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_RAISED, None)


def install(sessions: sessionmaker[Any]) -> None:
    """Count page changes in every session that ``sessions`` makes (idempotent).

    Installed on the application's session factory by ``create_app`` and the command line,
    not process-wide: a session made elsewhere (Alembic's, a test's raw engine) is left
    alone.
    """
    for name, listener in (
        ("after_flush", _count_page_changes),
        ("after_transaction_end", _forget_raised),
    ):
        if not event.contains(sessions, name, listener):
            event.listen(sessions, name, listener)


def site_version(session: Session) -> int:
    statement = select(col(SiteVersion.version)).where(col(SiteVersion.id) == 1)
    return session.execute(statement).scalar() or 0
