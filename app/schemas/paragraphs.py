"""JSON shapes of paragraph texts: saves, conflicts, revisions, diffs and presence."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.fields import ParagraphText, PositiveId
from app.models import Revision
from app.schemas.common import Body, Shape
from drafting.text import Lang


class SaveText(Body):
    text: ParagraphText
    base_revision_id: PositiveId
    conflict_id: PositiveId | None = Field(
        default=None, description="The caller's conflict draft this resolves"
    )


class ConflictDraftOut(Shape):
    id: int
    paragraph_id: int
    lang: str
    text: str
    state: str = "open"


class SavedText(Shape):
    revision_id: int
    text: str
    merged: bool
    source: str

    @classmethod
    def of(cls, revision: Revision, *, merged: bool) -> SavedText:
        assert revision.id is not None
        return cls(
            revision_id=revision.id, text=revision.text, merged=merged, source=revision.source
        )


class RestoreText(Body):
    revision_id: PositiveId


class RevisionOut(Shape):
    id: int
    parent_id: int | None
    lang: str
    author: str | None
    created_at: datetime
    source: str
    text: str


class DiffOut(Shape):
    ops: list[tuple[Literal[-1, 0, 1], str]]


class Presence(Body):
    lang: Lang
    state: str = Field(description="editing or stopped; anything else counts as stopped")
