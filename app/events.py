"""Live document events: recorded, then fanned out to every open page of the document.

Services call :func:`publish` only after their transaction committed. Each event is stored
in ``document_event`` (so a reconnecting page resumes from ``Last-Event-ID`` on any server
process) and then delivered:

- on SQLite (one process), straight to this process's subscribers;
- on PostgreSQL, through ``NOTIFY`` in the same transaction as the stored row; every
  process (this one included) LISTENs and delivers to its own subscribers, so any number
  of ``tandem serve`` processes or hosts on one database see the same events.

Presence ("who is editing which paragraph") is ephemeral: it travels the same way but is
not stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import weakref
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlmodel import Session, col, delete, select

from app.models import DocumentEventRow, utcnow

logger = logging.getLogger("tandem.events")

CHANNEL = "tandem_events"
RETENTION = timedelta(days=2)
QUEUE_LIMIT = 1000


@dataclass(frozen=True)
class DocumentEvent:
    document_id: int
    kind: str
    paragraph_id: int | None = None
    actor: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    ephemeral: bool = False

    @property
    def name(self) -> str:
        """The SSE event name: one per paragraph, so each paragraph listens to its own."""
        if self.kind == "presence":
            return "presence"
        if self.paragraph_id is not None and self.kind in ("paragraph_saved", "paragraph_changed"):
            return f"p{self.paragraph_id}"
        if self.paragraph_id is not None and self.kind.startswith(
            ("comment", "amendment", "evidence")
        ):
            return f"p{self.paragraph_id}"
        return "structure"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, payload: str) -> DocumentEvent:
        return cls(**json.loads(payload))

    def as_sse(self) -> str:
        lines = [f"event: {self.name}"]
        if self.id is not None:
            lines.append(f"id: {self.id}")
        lines.append(f"data: {self.to_json()}")
        return "\n".join(lines) + "\n\n"


@dataclass
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[DocumentEvent]


class EventHub:
    """One per engine: this process's subscribers, and the PostgreSQL listener if any."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.uses_notify = engine.dialect.name == "postgresql"
        self._lock = threading.Lock()
        self._subscribers: dict[int, list[_Subscriber]] = {}
        self._listener: threading.Thread | None = None
        self._stopping = threading.Event()
        self._listening = threading.Event()

    # --- subscribing --------------------------------------------------------------------

    def subscribe(self, document_id: int) -> asyncio.Queue[DocumentEvent]:
        self.start()
        subscriber = _Subscriber(asyncio.get_running_loop(), asyncio.Queue(QUEUE_LIMIT))
        with self._lock:
            self._subscribers.setdefault(document_id, []).append(subscriber)
        return subscriber.queue

    def unsubscribe(self, document_id: int, queue: asyncio.Queue[DocumentEvent]) -> None:
        with self._lock:
            remaining = [s for s in self._subscribers.get(document_id, []) if s.queue is not queue]
            if remaining:
                self._subscribers[document_id] = remaining
            else:
                self._subscribers.pop(document_id, None)

    def deliver(self, event: DocumentEvent) -> None:
        """Hand ``event`` to this process's subscribers of its document (any thread)."""
        with self._lock:
            subscribers = list(self._subscribers.get(event.document_id, []))
        for subscriber in subscribers:
            with contextlib.suppress(RuntimeError):  # the subscriber's loop has closed
                subscriber.loop.call_soon_threadsafe(_offer, subscriber.queue, event)

    # --- publishing ---------------------------------------------------------------------

    def publish(self, event: DocumentEvent) -> DocumentEvent:
        with Session(self.engine) as session:
            if not event.ephemeral:
                row = DocumentEventRow(
                    document_id=event.document_id,
                    kind=event.kind,
                    paragraph_id=event.paragraph_id,
                    actor=event.actor,
                    data=json.dumps(event.data, ensure_ascii=False),
                )
                session.add(row)
                session.flush()
                event = DocumentEvent(**(asdict(event) | {"id": row.id}))
            if self.uses_notify:
                # Delivered to every listener when this transaction commits.
                session.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": CHANNEL, "payload": event.to_json()[:7900]},
                )
            session.commit()
        if not self.uses_notify:
            self.deliver(event)
        return event

    def since(self, document_id: int, last_event_id: int) -> list[DocumentEvent]:
        """Stored events after ``last_event_id``, for a page that reconnects."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(DocumentEventRow)
                .where(
                    DocumentEventRow.document_id == document_id,
                    col(DocumentEventRow.id) > last_event_id,
                )
                .order_by(col(DocumentEventRow.id))
                .limit(500)
            ).all()
        return [
            DocumentEvent(
                document_id=row.document_id,
                kind=row.kind,
                paragraph_id=row.paragraph_id,
                actor=row.actor,
                data=json.loads(row.data),
                id=row.id,
            )
            for row in rows
        ]

    def prune(self) -> None:
        with Session(self.engine) as session:
            session.exec(
                delete(DocumentEventRow).where(
                    col(DocumentEventRow.created_at) < utcnow() - RETENTION
                )
            )
            session.commit()

    # --- PostgreSQL LISTEN --------------------------------------------------------------

    def start(self) -> None:
        if not self.uses_notify or self._listener is not None:
            return
        self._stopping.clear()
        self._listener = threading.Thread(target=self._listen, name="tandem-listen", daemon=True)
        self._listener.start()
        self._listening.wait(timeout=10)

    def stop(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
            self._listener = None

    def _listen(self) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stopping.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    while not self._stopping.is_set():
                        for notice in connection.notifies(timeout=0.5):
                            self._on_notify(notice.payload)
            except psycopg.Error:
                logger.exception("event listener lost its connection; reconnecting")
                self._stopping.wait(1.0)

    def _on_notify(self, payload: str) -> None:
        try:
            event = DocumentEvent.from_json(payload)
        except (ValueError, TypeError):
            logger.warning("ignored a malformed event notification")
            return
        self.deliver(event)


def _offer(queue: asyncio.Queue[DocumentEvent], event: DocumentEvent) -> None:
    # A page that stopped reading loses its oldest events rather than blocking everyone
    # (1000 behind is a page that is gone or frozen).
    if queue.full():
        with contextlib.suppress(asyncio.QueueEmpty):
            queue.get_nowait()
    queue.put_nowait(event)


# Keyed by the connection pool: an engine and its write variant (app.db.for_writes) share
# one pool and must share one hub.
_hubs: weakref.WeakKeyDictionary[Pool, EventHub] = weakref.WeakKeyDictionary()


def hub_for(engine: Engine) -> EventHub:
    hub = _hubs.get(engine.pool)
    if hub is None:
        hub = _hubs[engine.pool] = EventHub(engine)
    return hub


def publish(session: Session, event: DocumentEvent) -> DocumentEvent:
    """Call only after the transaction that made ``event`` true has committed."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    try:
        return hub_for(engine).publish(event)
    except Exception:  # noqa: BLE001 - the change is committed; a lost event must not undo it
        logger.exception("could not publish %s", event.kind)
        return event
