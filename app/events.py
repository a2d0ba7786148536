"""Document events, published after the transaction that caused them commits.

The broker behind ``publish`` is in-memory for one process; the co-editing work replaces it
with PostgreSQL LISTEN/NOTIFY when several processes share a database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocumentEvent:
    document_id: int
    kind: str
    paragraph_id: int | None = None
    actor: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[DocumentEvent], None]


class InMemoryBroker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[int, list[Subscriber]] = {}

    def subscribe(self, document_id: int, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.setdefault(document_id, []).append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                subscribers = self._subscribers.get(document_id, [])
                if subscriber in subscribers:
                    subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: DocumentEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers.get(event.document_id, []))
        for subscriber in subscribers:
            subscriber(event)


broker = InMemoryBroker()


def publish(event: DocumentEvent) -> None:
    """Call only after the transaction that made ``event`` true has committed."""
    broker.publish(event)
