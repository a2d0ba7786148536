"""Engine, sessions and the unit of work, for SQLite (the embedded default) and PostgreSQL.

Writes go through :func:`unit_of_work`: it commits when the block ends and rolls back
when it raises. Events a write produces are queued on the session with
``uow.after_commit(event)`` and leave only once the transaction committed; a rollback
drops them. Both behaviours come from listeners installed on the application's session
factory (:func:`session_factory`), never process-wide.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import SessionTransaction, sessionmaker
from sqlmodel import Session, create_engine

from app import events, page_versions


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


WRITE_OPTION = "tandem_write"


def for_writes(engine: Engine) -> Engine:
    """The same engine (and pool) whose SQLite transactions take the write lock at BEGIN.

    A transaction that reads first and writes later cannot upgrade its lock when another
    writer committed in between (SQLite answers "database is locked" at once), so
    requests that may write start with BEGIN IMMEDIATE and simply wait their turn. Reads
    use a plain BEGIN and never wait for writers in WAL mode. PostgreSQL ignores this.
    """
    return engine.execution_options(**{WRITE_OPTION: True})


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE for the write engine (see for_writes).

    ``synchronous=FULL`` syncs the write-ahead log at every commit, so a transaction the
    app acknowledged survives a power loss too; ``NORMAL`` would sync only at checkpoints
    and could lose the last commits then.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


# --- Sessions -------------------------------------------------------------------------

_PENDING_EVENTS = "tandem_pending_events"
_COMMITTED_EVENTS = "tandem_committed_events"
_UNIT_DEPTH = "tandem_unit_of_work_depth"

Sessions = sessionmaker[Session]


def session_factory(engine: Engine) -> Sessions:
    """The sessions of the app, the command line and the tests: objects stay loaded after
    a commit, page versions are counted, and queued events leave after commit."""
    sessions: Sessions = sessionmaker(bind=engine, class_=Session, expire_on_commit=False)
    page_versions.install(sessions)
    event.listen(sessions, "after_commit", _publish_pending_events)
    event.listen(sessions, "after_transaction_end", _end_of_transaction)
    return sessions


def _publish_pending_events(session: Session) -> None:
    # Committed, but the session still holds its connection (and on SQLite the write
    # lock) until the transaction ends: publish then, or every event would take a second
    # connection while the first is still checked out.
    session.info[_COMMITTED_EVENTS] = session.info.pop(_PENDING_EVENTS, [])


def _end_of_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    # Events of a transaction that ended without a commit are dropped.
    session.info.pop(_PENDING_EVENTS, None)
    for committed in session.info.pop(_COMMITTED_EVENTS, []):
        events.publish(session, committed)


class UnitOfWork:
    """What a service writes in one transaction, and the events that follow its commit."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def after_commit(self, *pending: events.DocumentEvent) -> None:
        """Publish ``pending`` once the transaction commits; a rollback drops them."""
        self.session.info.setdefault(_PENDING_EVENTS, []).extend(pending)


@contextmanager
def unit_of_work(session: Session) -> Iterator[UnitOfWork]:
    """Commit when the block ends, roll back when it raises.

    A unit of work opened inside another (a service calling a service) joins the outer
    one: only the outermost commits, so a composed write stays one transaction.
    """
    depth = session.info.get(_UNIT_DEPTH, 0)
    session.info[_UNIT_DEPTH] = depth + 1
    try:
        yield UnitOfWork(session)
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
            # A block that failed before its first statement had no transaction to roll
            # back, so no listener saw it end: drop its events here.
            session.info.pop(_PENDING_EVENTS, None)
        raise
    finally:
        session.info[_UNIT_DEPTH] = depth
