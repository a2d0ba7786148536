from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from app.config import Settings
from app.services import auth
from tests.helpers.factories import World, session_of
from tests.helpers.live import EventReader, ServerProcess, serving
from tests.helpers.revision_chains import Acknowledged, Refused, assert_no_update_lost


def token_of(world: World, who: str) -> str:
    with session_of(world.app) as session:
        return auth.issue_api_token(session, getattr(world, who))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def save(base_url: str, token: str, paragraph_id: int, text: str, base: int) -> httpx2.Response:
    return httpx2.patch(
        f"{base_url}/api/v1/paragraphs/{paragraph_id}/texts/de",
        json={"text": text, "base_revision_id": base},
        headers=bearer(token),
        timeout=30,
    )


def test_a_save_reaches_every_open_stream_of_the_document(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    member, moderator = token_of(world, "member"), token_of(world, "moderator")
    with serving(world.app) as url:
        stream = f"{url}/api/v1/documents/{world.document_id}/events"
        with (
            EventReader(stream, bearer(moderator)) as first,
            EventReader(stream, bearer(member)) as second,
        ):
            answer = save(url, member, paragraph, "Live geändert.", base)
            assert answer.status_code == 200
            for reader in (first, second):
                event = reader.next_named(f"p{paragraph}")
                assert event.data["kind"] == "paragraph_saved"
                assert event.data["actor"] == "jonas"
                assert event.data["data"]["revision_id"] == answer.json()["revision_id"]
                assert event.id is not None


def test_an_outsider_cannot_open_the_event_stream(world: World) -> None:
    with serving(world.app) as url:
        answer = httpx2.get(
            f"{url}/api/v1/documents/{world.document_id}/events",
            headers=bearer(token_of(world, "outsider")),
            timeout=10,
        )
    assert answer.status_code == 404


def test_a_reconnecting_page_gets_the_events_it_missed(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    member = token_of(world, "member")
    with serving(world.app) as url:
        stream = f"{url}/api/v1/documents/{world.document_id}/events"
        with EventReader(stream, bearer(member)) as reader:
            first = save(
                url, member, paragraph, "Erste Fassung.", world.current(paragraph)["revision_id"]
            )
            seen = reader.next_named(f"p{paragraph}")
        # the page is closed while someone saves again
        second = save(url, member, paragraph, "Zweite Fassung.", first.json()["revision_id"])
        assert second.status_code == 200
        headers = bearer(member) | {"Last-Event-ID": str(seen.id)}
        with EventReader(stream, headers) as resumed:
            missed = resumed.next_named(f"p{paragraph}")
    assert missed.data["data"]["revision_id"] == second.json()["revision_id"]


def test_presence_tells_others_who_is_editing_which_paragraph(world: World) -> None:
    paragraph = world.paragraph_ids[2]
    with serving(world.app) as url:
        stream = f"{url}/api/v1/documents/{world.document_id}/events"
        with EventReader(stream, bearer(token_of(world, "moderator"))) as reader:
            answer = httpx2.post(
                f"{url}/api/v1/paragraphs/{paragraph}/presence",
                json={"lang": "fr", "state": "editing"},
                headers=bearer(token_of(world, "member")),
                timeout=10,
            )
            assert answer.status_code == 204
            event = reader.next_named("presence")
    assert event.data["paragraph_id"] == paragraph
    assert event.data["actor"] == "jonas"
    assert event.data["data"] == {"lang": "fr", "state": "editing", "display_name": "Jonas"}
    assert event.id is None, "presence is not stored"


def test_a_burst_of_concurrent_saves_loses_nothing(world: World) -> None:
    """Forty saves from eight threads: the first eight all read the same base before any of
    them saves, so exactly one of those wins and seven conflict; then the burst runs free.
    The revisions stay one chain and every acknowledged save is on it."""
    paragraph = world.paragraph_ids[1]
    tokens = [token_of(world, who) for who in ("member", "moderator")]
    workers = 8
    everyone_has_read = Barrier(workers, timeout=30)

    def attempt(index: int) -> tuple[int, int, str, dict[str, Any]]:
        token = tokens[index % 2]
        current = httpx2.get(
            f"{url}/api/v1/documents/{world.document_id}", headers=bearer(token), timeout=30
        ).json()
        base = next(p for p in current["paragraphs"] if p["id"] == paragraph)["texts"]["de"]
        if index < workers:
            everyone_has_read.wait()
        text = f"Fassung Nummer {index} von vielen."
        answer = save(url, token, paragraph, text, base["revision_id"])
        return answer.status_code, base["revision_id"], text, answer.json()

    with serving(world.app) as url, ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(attempt, range(40)))

    statuses = [status for status, _, _, _ in results]
    assert set(statuses) <= {200, 409}, statuses
    acknowledged = [
        Acknowledged(paragraph, "de", base, body["revision_id"], body["text"], body["merged"])
        for status, base, _, body in results
        if status == 200
    ]
    assert acknowledged, f"no save was acknowledged: {statuses}"
    refused = [
        Refused(
            paragraph,
            "de",
            base,
            text,
            body["error"]["details"]["conflict_id"],
            body["error"]["details"]["theirs"]["revision_id"],
        )
        for status, base, text, body in results
        if status == 409
    ]
    assert all(body["error"]["code"] == "edit_conflict" for s, _, _, body in results if s == 409)
    assert_no_update_lost(world.app.state.engine, acknowledged, refused)
    assert statuses[:workers].count(200) == 1, f"saves on one base: {statuses[:workers]}"


def test_events_cross_server_processes_on_postgresql(world: World, settings: Settings) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    member = token_of(world, "member")
    with (
        ServerProcess(settings.database_url) as first,
        ServerProcess(settings.database_url) as second,
    ):
        stream = f"{second.url}/api/v1/documents/{world.document_id}/events"
        with EventReader(stream, bearer(member)) as reader:
            answer = save(first.url, member, paragraph, "Über zwei Prozesse.", base)
            assert answer.status_code == 200
            event = reader.next_named(f"p{paragraph}")
    assert event.data["data"]["revision_id"] == answer.json()["revision_id"]


def test_conflict_draft_is_listed_resolved_and_closed(world: World, app: FastAPI) -> None:
    paragraph = world.paragraph_ids[2]
    base = world.current(paragraph)["revision_id"]
    world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={
            "text": "Bund und Länder müssen Klimaschutz zur Pflichtaufgabe machen.",
            "base_revision_id": base,
        },
    )
    conflict = (
        world.api("moderator")
        .patch(
            f"/api/v1/paragraphs/{paragraph}/texts/de",
            json={
                "text": "Bund und Länder dürfen Klimaschutz zur Pflichtaufgabe machen.",
                "base_revision_id": base,
            },
        )
        .json()["error"]["details"]
    )
    mine = world.api("moderator").get(f"/api/v1/documents/{world.document_id}/conflicts").json()
    assert [c["id"] for c in mine] == [conflict["conflict_id"]]
    assert world.api("member").get(f"/api/v1/documents/{world.document_id}/conflicts").json() == []
    page = world.browser("moderator").get(f"/documents/{world.document_id}")
    assert "Your unresolved edit conflicts" in page.text
    resolved = world.api("moderator").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={
            "text": "Bund und Länder müssen und dürfen Klimaschutz zur Pflichtaufgabe machen.",
            "base_revision_id": conflict["theirs"]["revision_id"],
            "conflict_id": conflict["conflict_id"],
        },
    )
    assert resolved.status_code == 200
    assert (
        world.api("moderator").get(f"/api/v1/documents/{world.document_id}/conflicts").json() == []
    )


def test_a_conflict_draft_can_be_discarded_only_by_its_author(world: World) -> None:
    paragraph = world.paragraph_ids[2]
    base = world.current(paragraph)["revision_id"]
    world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={"text": "Eins zwei.", "base_revision_id": base},
    )
    conflict_id = (
        world.api("moderator")
        .patch(
            f"/api/v1/paragraphs/{paragraph}/texts/de",
            json={"text": "Drei vier.", "base_revision_id": base},
        )
        .json()["error"]["details"]["conflict_id"]
    )
    assert world.api("member").post(f"/api/v1/conflicts/{conflict_id}/discard").status_code == 404
    answer = world.api("moderator").post(f"/api/v1/conflicts/{conflict_id}/discard")
    assert answer.status_code == 200
    assert answer.json()["state"] == "discarded"
    assert (
        world.api("moderator").get(f"/api/v1/documents/{world.document_id}/conflicts").json() == []
    )
