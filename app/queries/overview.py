"""A document's paragraphs with what each area counts of them (the API's document)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.queries import alignment, amendments, comments, evidence
from app.queries.access import DocumentAccess
from app.queries.documents import ParagraphView, paragraphs_of


@dataclass(frozen=True)
class ParagraphOverview(ParagraphView):
    alignment: str | None
    evidence_count: int
    open_comments: int
    open_amendments: int


def paragraphs_with_counts(session: Session, access: DocumentAccess) -> list[ParagraphOverview]:
    """Every live paragraph in order, with its counters, in a constant number of queries."""
    document_id = access.document.id
    assert document_id is not None
    statuses = alignment.counts(session, document_id)
    evidence_counts = evidence.counts(session, document_id)
    comment_counts = comments.counts(session, document_id)
    amendment_counts = amendments.counts(session, document_id)
    return [
        ParagraphOverview(
            **vars(view),
            alignment=statuses.get(view.id),
            evidence_count=evidence_counts.get(view.id, 0),
            open_comments=comment_counts.get(view.id, 0),
            open_amendments=amendment_counts.get(view.id, 0),
        )
        for view in paragraphs_of(session, document_id)
    ]
