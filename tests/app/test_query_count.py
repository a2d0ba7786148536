"""Reading a document costs a constant number of SQL statements, however long it is.

The statements are counted on the real engine (SQLite, and PostgreSQL when configured)
while the page, one paragraph's block or the API answer is produced; a query per paragraph
shows up as a difference between a document of 3 and one of 60 paragraphs.

The page cache is switched off here: a page served from the cache is not rendered, and
its statements would say nothing about rendering. What the cache saves is shown in
tests/app/test_page_cache.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.config import Settings
from tests.helpers.factories import World
from tests.helpers.statements import lengthen_document, repeated, statements_of

SHORT = 3
LONG = 60


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings with the page cache off: every page below is rendered."""
    return settings.model_copy(update={"page_cache_mb": 0})


def numbers_on(html: str) -> int:
    return len(re.findall(r'class="paragraph__number"', html))


def test_the_page_cache_is_off_so_every_counted_page_is_rendered(world: World) -> None:
    cache = world.app.state.page_cache
    browser = world.browser("member")
    path = f"/documents/{world.document_id}"
    first = statements_of(world.app, lambda: browser.get(path))
    again = statements_of(world.app, lambda: browser.get(path))
    assert cache is None or cache.size == 0
    # A page sent from the cache reads no paragraph; a rendered one does, every time.
    for statements in (first, again):
        assert any(re.search(r"\bFROM paragraph\b", s) for s in statements), statements


def test_rendering_the_document_page_runs_as_many_queries_for_60_paragraphs_as_for_3(
    world: World,
) -> None:
    browser = world.browser("member")
    path = f"/documents/{world.document_id}"

    def page() -> Any:
        return browser.get(path)

    short = statements_of(world.app, page)
    assert numbers_on(page().text) == SHORT

    lengthen_document(world, LONG)
    long = statements_of(world.app, page)
    assert numbers_on(page().text) == LONG

    assert len(long) == len(short), repeated(short, long)


def test_rendering_one_paragraph_block_runs_as_many_queries_in_60_paragraphs_as_in_3(
    world: World,
) -> None:
    browser = world.browser("member")
    paragraph_id = world.paragraph_ids[1]
    path = f"/paragraphs/{paragraph_id}"

    def block() -> Any:
        return browser.get(path, headers={"HX-Request": "true"})

    short = statements_of(world.app, block)
    assert f'id="p-{paragraph_id}"' in block().text and numbers_on(block().text) == 1

    lengthen_document(world, LONG)
    long = statements_of(world.app, block)
    assert numbers_on(block().text) == 1

    assert len(long) == len(short), repeated(short, long)


def test_the_api_document_runs_as_many_queries_for_60_paragraphs_as_for_3(
    world: World,
) -> None:
    api = world.api("member")
    path = f"/api/v1/documents/{world.document_id}"

    def document() -> Any:
        return api.get(path)

    short = statements_of(world.app, document)
    assert len(document().json()["paragraphs"]) == SHORT

    lengthen_document(world, LONG)
    long = statements_of(world.app, document)
    assert len(document().json()["paragraphs"]) == LONG

    assert len(long) == len(short), repeated(short, long)
