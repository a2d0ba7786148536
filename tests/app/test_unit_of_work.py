"""Writes commit as one unit, and their events leave only after the commit (app/db.py)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.db import unit_of_work
from app.events import DocumentEvent, hub_for
from app.models import Document
from tests.helpers.factories import World


def retitle(session: Session, document_id: int, title: str) -> Document:
    document = session.get(Document, document_id)
    assert document is not None
    document.title_de = title
    session.add(document)
    return document


def stored_events(world: World) -> list[str]:
    hub = hub_for(world.app.state.engine)
    return [event.kind for event in hub.since(world.document_id, 0)]


def title_seen_by_another_session(world: World) -> str:
    with world.app.state.sessions() as session:
        document = session.exec(select(Document).where(Document.id == world.document_id)).one()
        return document.title_de


def event(world: World, kind: str) -> DocumentEvent:
    return DocumentEvent(document_id=world.document_id, kind=kind)


def test_a_unit_of_work_commits_and_then_publishes_its_events(world: World) -> None:
    with world.app.state.sessions() as session, unit_of_work(session) as uow:
        retitle(session, world.document_id, "Neuer Titel")
        uow.after_commit(event(world, "document_retitled"))
        assert stored_events(world) == [], "an event left before its transaction committed"
    assert title_seen_by_another_session(world) == "Neuer Titel"
    assert stored_events(world) == ["document_retitled"]


def test_a_failed_unit_of_work_rolls_back_and_drops_its_events(world: World) -> None:
    with (
        pytest.raises(RuntimeError),
        world.app.state.sessions() as session,
        unit_of_work(session) as uow,
    ):
        retitle(session, world.document_id, "Nie gespeichert")
        session.flush()
        uow.after_commit(event(world, "never_happened"))
        raise RuntimeError("refused halfway")
    assert title_seen_by_another_session(world) == "Klimaneutrale Kommunen"
    assert stored_events(world) == []


def test_a_nested_unit_of_work_joins_the_outer_one(world: World) -> None:
    with world.app.state.sessions() as session:
        with unit_of_work(session) as outer:
            with unit_of_work(session) as inner:
                retitle(session, world.document_id, "Zusammen")
                inner.after_commit(event(world, "inner_step"))
            assert title_seen_by_another_session(world) == "Klimaneutrale Kommunen"
            assert stored_events(world) == []
            outer.after_commit(event(world, "outer_step"))
        assert stored_events(world) == ["inner_step", "outer_step"]
    assert title_seen_by_another_session(world) == "Zusammen"


def test_events_of_a_rolled_back_transaction_do_not_leak_into_the_next(world: World) -> None:
    with world.app.state.sessions() as session:
        with pytest.raises(RuntimeError), unit_of_work(session) as uow:
            uow.after_commit(event(world, "dropped"))
            raise RuntimeError("refused")
        with unit_of_work(session) as uow:
            retitle(session, world.document_id, "Danach")
            uow.after_commit(event(world, "kept"))
    assert stored_events(world) == ["kept"]


def test_page_versions_are_counted_by_the_apps_sessions_only(world: World) -> None:
    def version() -> int:
        with world.app.state.sessions() as session:
            document = session.get(Document, world.document_id)
            assert document is not None
            return document.content_version

    before = version()
    with world.app.state.sessions() as session, unit_of_work(session):
        retitle(session, world.document_id, "Gezählt")
    assert version() == before + 1
    # The listeners belong to the app's session factory, not to every SQLAlchemy session
    # in the process (a migration's or a tool's session is left alone).
    with Session(world.app.state.engine) as foreign:
        retitle(foreign, world.document_id, "Nicht gezählt")
        foreign.commit()
    assert version() == before + 1
