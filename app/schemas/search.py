"""JSON shape of a search."""

from __future__ import annotations

from app.schemas.common import Shape


class SearchHitOut(Shape):
    kind: str
    id: int
    title: str
    snippet: str
    snippet_html: str
    url: str
    lang: str | None
    group: str | None
    document_id: int | None
    paragraph_id: int | None


class SearchOut(Shape):
    query: str
    hits: list[SearchHitOut]
