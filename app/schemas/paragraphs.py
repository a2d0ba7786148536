"""JSON shapes of paragraph texts: saves, conflicts, revisions and diffs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.fields import MAX_ID, PositiveId
from app.queries.revisions import RevisionView
from app.schemas.common import Body


class SaveText(Body):
    text: str = Field(max_length=400_000)
    base_revision_id: PositiveId
    conflict_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The caller's conflict draft this resolves"
    )


class ConflictOut(BaseModel):
    id: int
    paragraph_id: int
    lang: str
    text: str
    state: str = "open"


class SavedText(BaseModel):
    revision_id: int
    text: str
    merged: bool
    source: str


class RestoreText(Body):
    revision_id: PositiveId


class RevisionOut(BaseModel):
    id: int
    parent_id: int | None
    lang: str
    author: str | None
    created_at: datetime
    source: str
    text: str

    @classmethod
    def of(cls, view: RevisionView) -> RevisionOut:
        return cls(
            id=view.id,
            parent_id=view.parent_id,
            lang=view.lang,
            author=view.author,
            created_at=view.created_at,
            source=view.source,
            text=view.text,
        )


class DiffOut(BaseModel):
    ops: list[tuple[Literal[-1, 0, 1], str]]
