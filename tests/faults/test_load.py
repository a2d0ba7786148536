"""Fifty simulated editors on one document for a bounded time, on loopback.

Reported, not asserted: the p95 save latency (var/bench/load-<database>.json). Asserted:
no server error, and no lost update — every acknowledged save is in the history.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
from pathlib import Path

import httpx2

from app.config import Settings
from app.queries.access import document_for
from app.services import auth, documents
from drafting.text import Lang
from tests.helpers.factories import World, session_of
from tests.helpers.live import ServerProcess

EDITORS = 50
SECONDS = float(os.environ.get("TANDEM_LOAD_SECONDS", "60"))
PARAGRAPHS = 10
REPORTS = Path(__file__).resolve().parents[2] / "var" / "bench"


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


async def _editor(
    index: int,
    client: httpx2.AsyncClient,
    document_id: int,
    slots: list[tuple[int, str]],
    deadline: float,
    results: list[tuple[int, float, dict[str, object]]],
) -> None:
    paragraph, lang = slots[index % len(slots)]
    generator = random.Random(index)
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        document = (await client.get(f"/api/v1/documents/{document_id}")).json()
        current = next(p for p in document["paragraphs"] if p["id"] == paragraph)
        base = current["texts"][lang]["revision_id"]
        text = f"Bearbeitung {index}.{attempt}: {generator.random():.6f}"
        started = time.monotonic()
        answer = await client.patch(
            f"/api/v1/paragraphs/{paragraph}/texts/{lang}",
            json={"text": text, "base_revision_id": base},
        )
        results.append((answer.status_code, time.monotonic() - started, answer.json()))


def test_fifty_editors_lose_no_update_and_cause_no_server_error(
    world: World, settings: Settings
) -> None:
    paragraphs = _add_paragraphs(world)
    slots = [(paragraph, lang) for paragraph in paragraphs for lang in ("de", "fr")]
    with session_of(world.app) as session:
        tokens = [auth.issue_api_token(session, user) for user in (world.member, world.moderator)]
    results: list[tuple[int, float, dict[str, object]]] = []

    async def run(url: str) -> None:
        limits = httpx2.Limits(max_connections=EDITORS)
        clients = [
            httpx2.AsyncClient(
                base_url=url,
                headers={"Authorization": f"Bearer {tokens[i % 2]}"},
                timeout=60,
                limits=limits,
            )
            for i in range(EDITORS)
        ]
        deadline = time.monotonic() + SECONDS
        try:
            await asyncio.gather(
                *(
                    _editor(i, clients[i], world.document_id, slots, deadline, results)
                    for i in range(EDITORS)
                )
            )
        finally:
            for client in clients:
                await client.aclose()

    with ServerProcess(settings.database_url) as server:
        asyncio.run(run(server.url))
        history: dict[int, str] = {}
        for paragraph in paragraphs:
            revisions = httpx2.get(
                f"{server.url}/api/v1/paragraphs/{paragraph}/revisions",
                headers={"Authorization": f"Bearer {tokens[0]}"},
                timeout=30,
            ).json()
            history |= {revision["id"]: revision["text"] for revision in revisions}

    statuses = [status for status, _, _ in results]
    assert statuses, "no save was attempted"
    assert set(statuses) <= {200, 409}, sorted(set(statuses))
    saved = [body for status, _, body in results if status == 200]
    assert all(history.get(body["revision_id"]) == body["text"] for body in saved)
    latencies = sorted(seconds * 1000 for _, seconds, _ in results)
    report = {
        "database": settings.database_url.split(":")[0].split("+")[0],
        "editors": EDITORS,
        "seconds": SECONDS,
        "saves_attempted": len(results),
        "saves_acknowledged": len(saved),
        "conflicts": statuses.count(409),
        "save_latency_ms": {
            "p50": round(statistics.median(latencies), 2),
            "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
            "max": round(latencies[-1], 2),
        },
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"load-{report['database']}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report))
