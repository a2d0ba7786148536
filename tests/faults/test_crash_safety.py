"""Kill the server in the middle of a burst of saves: every acknowledged save survives."""

from __future__ import annotations

import threading
import time

import httpx2

from app.config import Settings
from app.services import auth
from tests.helpers.factories import World, session_of
from tests.helpers.live import ServerProcess

EDITORS = 6


def test_every_acknowledged_save_is_there_after_the_server_is_killed(
    world: World, settings: Settings
) -> None:
    with session_of(world.app) as session:
        token = auth.issue_api_token(session, world.moderator)
    headers = {"Authorization": f"Bearer {token}"}
    acknowledged: list[tuple[int, int, str]] = []  # (paragraph, revision, text)
    lock = threading.Lock()
    stop = threading.Event()
    server = ServerProcess(settings.database_url).start()

    def editor(index: int) -> None:
        paragraph = world.paragraph_ids[index % len(world.paragraph_ids)]
        lang = "de" if index < len(world.paragraph_ids) else "fr"
        with httpx2.Client(base_url=server.url, headers=headers, timeout=5) as client:
            try:
                document = client.get(f"/api/v1/documents/{world.document_id}").json()
            except httpx2.HTTPError:
                return
            base = next(p for p in document["paragraphs"] if p["id"] == paragraph)
            revision = base["texts"][lang]["revision_id"]
            for attempt in range(10_000):
                if stop.is_set():
                    return
                text = f"Editor {index}, Fassung {attempt}."
                try:
                    answer = client.patch(
                        f"/api/v1/paragraphs/{paragraph}/texts/{lang}",
                        json={"text": text, "base_revision_id": revision},
                    )
                except httpx2.HTTPError:
                    return  # the server died under us: this save was never acknowledged
                assert answer.status_code == 200, answer.text
                revision = answer.json()["revision_id"]
                with lock:
                    acknowledged.append((paragraph, revision, text))

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(EDITORS)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.stop()

    assert len(acknowledged) >= 60, "the burst did not get going"
    stored: dict[int, str] = {}
    with ServerProcess(settings.database_url) as restarted:
        for paragraph in {p for p, _, _ in acknowledged}:
            history = httpx2.get(
                f"{restarted.url}/api/v1/paragraphs/{paragraph}/revisions",
                headers=headers,
                timeout=10,
            ).json()
            stored |= {revision["id"]: revision["text"] for revision in history}
    lost = [(revision, text) for _, revision, text in acknowledged if stored.get(revision) != text]
    assert lost == []
