"""Reading a document costs a constant number of SQL statements, however long it is.

The statements are counted on the real engine (SQLite, and PostgreSQL when configured)
while the page or the API answer is produced; a query per paragraph would show up as a
difference between a document of 3 and one of 60 paragraphs.
"""

from __future__ import annotations

import re
from typing import Any

from tests.helpers.factories import World
from tests.helpers.statements import lengthen_document, repeated, statements_of

SHORT = 3
LONG = 60


def test_document_page_runs_the_same_number_of_queries_for_3_and_60_paragraphs(
    world: World,
) -> None:
    browser = world.browser("member")
    path = f"/documents/{world.document_id}"

    def page() -> Any:
        return browser.get(path)

    short = statements_of(world.app, page)
    assert len(re.findall(r'class="paragraph__number"', page().text)) == SHORT

    lengthen_document(world, LONG)
    long = statements_of(world.app, page)
    assert len(re.findall(r'class="paragraph__number"', page().text)) == LONG

    assert len(long) == len(short), repeated(short, long)


def test_document_api_runs_the_same_number_of_queries_for_3_and_60_paragraphs(
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
