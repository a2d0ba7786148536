"""Reading comments for the document page and the API."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.queries.access import DocumentAccess
from app.queries.documents import ParagraphView


def for_document(
    session: Session, access: DocumentAccess, paragraphs: list[ParagraphView]
) -> dict[str, Any]:
    """Template context for the document page, in a constant number of queries."""
    del session, access, paragraphs  # not shown on the document page yet
    return {}


def counts(session: Session, document_id: int) -> dict[int, Any]:  # noqa: ARG001
    """Per paragraph id, the figure the document API reports for this area."""
    return {}
