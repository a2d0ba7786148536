"""The events a write queues for the document's open pages (published after commit)."""

from __future__ import annotations

from typing import Any

from app.events import DocumentEvent
from app.queries.access import DocumentAccess


def document_event(
    access: DocumentAccess,
    kind: str,
    paragraph_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> DocumentEvent:
    """What the caller just did to the document (about one paragraph, when it names one)."""
    assert access.document.id is not None
    return DocumentEvent(
        document_id=access.document.id,
        kind=kind,
        paragraph_id=paragraph_id,
        actor=access.user.username,
        data=data or {},
    )
