"""Fifty simulated editors on one document for a bounded time, on loopback.

The editors save for TANDEM_LOAD_SECONDS (45 by default, so that a run with its server
start-up stays near a minute per database).

Reported, not asserted: the save latencies (var/bench/load-<database>.json). Asserted: no
server error; no lost update — per paragraph and language the revisions read from the
database form one linear chain and every acknowledged save is on it, written on the revision
its editor had read; at least one save is acknowledged; and in the contended round, where
every editor has read its base before anyone saves, exactly one editor per paragraph and
language wins and the others get 409 edit_conflict with their text kept. On PostgreSQL the
editors are spread over two server processes on the same database.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from app.config import Settings
from app.queries.access import document_for
from app.services import auth, documents
from drafting.text import Lang
from tests.helpers.factories import World, session_of
from tests.helpers.live import ServerProcess
from tests.helpers.revision_chains import Acknowledged, Refused, assert_no_update_lost

EDITORS = 50
SECONDS = float(os.environ.get("TANDEM_LOAD_SECONDS", "45"))
PARAGRAPHS = 10
REPORTS = Path(__file__).resolve().parents[2] / "var" / "bench"

Slot = tuple[int, str]


@dataclass(frozen=True)
class Attempt:
    editor: int
    contended: bool
    slot: Slot
    base: int
    text: str
    status: int
    seconds: float
    body: dict[str, Any]


def _add_paragraphs(world: World) -> list[int]:
    with session_of(world.app) as session:
        access = document_for(session, world.moderator, world.document_id)
        ids = []
        for number in range(PARAGRAPHS):
            paragraph = documents.insert_paragraph(
                session,
                access,
                kind="text",
                texts={Lang.DE: f"Absatz {number} auf Deutsch.", Lang.FR: f"Paragraphe {number}."},
            )
            assert paragraph.id is not None
            ids.append(paragraph.id)
        session.commit()
    return ids


async def _read_current(
    client: httpx2.AsyncClient, document_id: int, slot: Slot
) -> tuple[int, str]:
    paragraph, lang = slot
    document = (await client.get(f"/api/v1/documents/{document_id}")).json()
    current = next(p for p in document["paragraphs"] if p["id"] == paragraph)["texts"][lang]
    return int(current["revision_id"]), str(current["text"])


async def _save(
    client: httpx2.AsyncClient, editor: int, slot: Slot, base: int, text: str, contended: bool
) -> Attempt:
    paragraph, lang = slot
    started = time.monotonic()
    answer = await client.patch(
        f"/api/v1/paragraphs/{paragraph}/texts/{lang}",
        json={"text": text, "base_revision_id": base},
    )
    seconds = time.monotonic() - started
    return Attempt(editor, contended, slot, base, text, answer.status_code, seconds, answer.json())


async def _editor(
    index: int,
    client: httpx2.AsyncClient,
    document_id: int,
    slot: Slot,
    everyone_has_read: asyncio.Barrier,
    deadline: float,
    attempts: list[Attempt],
) -> None:
    generator = random.Random(index)
    # The contended round: no one saves before every editor has read its base, and each
    # rewrites the whole text, so all but the first save on a paragraph conflict.
    base, _ = await _read_current(client, document_id, slot)
    async with asyncio.timeout(60):
        await everyone_has_read.wait()
    text = f"Bearbeitung {index}: {generator.random():.6f}"
    attempts.append(await _save(client, index, slot, base, text, contended=True))
    # Then each editor changes a word of its own (the editors of a paragraph and language
    # choose different words), so saves on a stale base merge or conflict.
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        base, current = await _read_current(client, document_id, slot)
        words = current.split(" ")
        words[index % len(words)] = f"e{index}.{attempt}"
        text = " ".join(words)
        attempts.append(await _save(client, index, slot, base, text, contended=False))


def _acknowledged(attempt: Attempt) -> Acknowledged:
    paragraph, lang = attempt.slot
    return Acknowledged(
        paragraph_id=paragraph,
        lang=lang,
        base_revision_id=attempt.base,
        revision_id=attempt.body["revision_id"],
        text=attempt.body["text"],
        merged=attempt.body["merged"],
    )


def _refused(attempt: Attempt) -> Refused:
    paragraph, lang = attempt.slot
    assert attempt.body["error"]["code"] == "edit_conflict", attempt.body
    details = attempt.body["error"]["details"]
    return Refused(
        paragraph_id=paragraph,
        lang=lang,
        base_revision_id=attempt.base,
        text=attempt.text,
        conflict_id=details["conflict_id"],
        theirs_revision_id=details["theirs"]["revision_id"],
    )


def test_fifty_editors_on_two_processes_lose_no_update_and_cause_no_server_error(
    world: World, settings: Settings
) -> None:
    paragraphs = _add_paragraphs(world)
    slots = [(paragraph, lang) for paragraph in paragraphs for lang in ("de", "fr")]
    with session_of(world.app) as session:
        tokens = [auth.issue_api_token(session, user) for user in (world.member, world.moderator)]
    # SQLite serves one process (README); PostgreSQL serves several on one database.
    postgresql = settings.database_url.startswith("postgresql")
    servers = [ServerProcess(settings.database_url) for _ in range(2 if postgresql else 1)]
    attempts: list[Attempt] = []

    async def run() -> None:
        limits = httpx2.Limits(max_connections=EDITORS)
        clients = [
            httpx2.AsyncClient(
                base_url=servers[i % len(servers)].url,
                headers={"Authorization": f"Bearer {tokens[i // 2 % 2]}"},
                timeout=60,
                limits=limits,
            )
            for i in range(EDITORS)
        ]
        everyone_has_read = asyncio.Barrier(EDITORS)
        deadline = time.monotonic() + SECONDS
        try:
            await asyncio.gather(
                *(
                    _editor(
                        i,
                        clients[i],
                        world.document_id,
                        slots[i % len(slots)],
                        everyone_has_read,
                        deadline,
                        attempts,
                    )
                    for i in range(EDITORS)
                )
            )
        finally:
            for client in clients:
                await client.aclose()

    try:
        # One after the other: on two busy cores, starting both at once is slower.
        for server in servers:
            server.start()
        # On a thread of its own: a browser test in the same worker process may have left
        # its event loop running on this one (Playwright's sync API).
        with ThreadPoolExecutor(max_workers=1) as runner:
            runner.submit(asyncio.run, run()).result()
    finally:
        for server in servers:
            server.stop()

    statuses = Counter(attempt.status for attempt in attempts)
    assert set(statuses) <= {200, 409}, statuses
    acknowledged = [_acknowledged(a) for a in attempts if a.status == 200]
    refused = [_refused(a) for a in attempts if a.status == 409]
    assert acknowledged, f"no save was acknowledged: {statuses}"
    assert_no_update_lost(world.app.state.engine, acknowledged, refused, paragraphs=slots)
    winners = Counter(a.slot for a in attempts if a.contended and a.status == 200)
    assert all(winners[slot] == 1 for slot in slots), (
        f"in the contended round, saves on the same base won per paragraph and language: {winners}"
    )
    assert refused, "editors saving on the same base got no 409 edit_conflict"

    latencies = sorted(attempt.seconds * 1000 for attempt in attempts)
    report = {
        "database": settings.database_url.split(":")[0].split("+")[0],
        "editors": EDITORS,
        "server_processes": len(servers),
        "seconds": SECONDS,
        "saves_attempted": len(attempts),
        "saves_acknowledged": len(acknowledged),
        "saves_merged": sum(save.merged for save in acknowledged),
        "conflicts": len(refused),
        "save_latency_ms": {
            "p50": round(statistics.median(latencies), 2),
            "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
            "max": round(latencies[-1], 2),
        },
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"load-{report['database']}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report))
