"""Counting the SQL statements a request runs, to show it does not grow with the document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event

from app.queries.access import document_for
from app.services import documents
from drafting.text import Lang
from tests.helpers.factories import World, session_of


@contextmanager
def recorded_statements(app: FastAPI) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(
        _connection: Any,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        statements.append(" ".join(statement.split()))

    engine = app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_of(app: FastAPI, request: Callable[[], Any]) -> list[str]:
    request()  # once before counting, so that nothing done only the first time is counted
    with recorded_statements(app) as statements:
        answer = request()
    assert answer.status_code == 200
    assert statements, "no statement was recorded: the counter is not listening"
    return statements


def lengthen_document(world: World, paragraphs: int) -> None:
    """Add paragraphs through the service until the document has ``paragraphs`` of them."""
    with session_of(world.app) as session:
        access = document_for(session, world.moderator, world.document_id)
        for number in range(len(world.paragraph_ids) + 1, paragraphs + 1):
            paragraph = documents.insert_paragraph(
                session,
                access,
                kind="recommendation" if number % 3 == 0 else "text",
                texts={
                    Lang.DE: f"Absatz {number}: Die Kommunen werden **verbindlich** beteiligt.",
                    Lang.FR: f"Paragraphe {number} : les collectivités doivent être associées.",
                },
            )
            assert paragraph.id is not None
            world.paragraph_ids.append(paragraph.id)
        session.commit()


def repeated(short: list[str], long: list[str]) -> str:
    """The statements the long document ran more often than the short one, with counts."""
    extra = Counter(long) - Counter(short)
    missing = Counter(short) - Counter(long)
    lines = [f"+{count} {statement}" for statement, count in extra.most_common()]
    lines += [f"-{count} {statement}" for statement, count in missing.most_common()]
    return "\n".join(lines)
