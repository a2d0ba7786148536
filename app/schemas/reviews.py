"""JSON shapes of the government review."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from app.fields import NoteInput, PositiveId
from app.queries.access import DocumentAccess
from app.schemas.common import Body, Shape
from app.services.reviews import ReviewOutcome


class NewReview(Body):
    version: PositiveId
    decision: str = Field(max_length=40)
    comment: NoteInput = ""


class ReviewOut(Shape):
    id: int
    version: int = Field(validation_alias="version_number")
    government: str
    username: str
    display_name: str
    decision: str
    comment: str
    created_at: datetime


class ReviewResultOut(ReviewOut):
    document_phase: str
    adopted: bool

    @classmethod
    def of(cls, outcome: ReviewOutcome, access: DocumentAccess) -> ReviewResultOut:
        return cls.model_validate(
            outcome.review.model_dump()
            | {
                "version_number": outcome.version_number,
                "username": access.user.username,
                "display_name": access.user.display_name,
                "document_phase": access.document.phase,
                "adopted": outcome.adopted,
            }
        )
