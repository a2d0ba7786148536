"""Restores and saves racing on one paragraph, served by a real server on the real database:
the revisions stay one chain (see tests/helpers/revision_chains.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import httpx2

from app.services import auth
from tests.helpers.factories import World, session_of
from tests.helpers.live import serving
from tests.helpers.revision_chains import Acknowledged, Refused, assert_no_update_lost

RESTORES = 8
SAVES = 4


def test_concurrent_restores_and_saves_keep_one_revision_chain(world: World) -> None:
    """Eight restores of different old texts and four saves on the current text start at
    once: every restore makes its text current as a revision of its own, on top of the one
    before it, and every save is acknowledged on the chain or refused with a conflict."""
    paragraph = world.paragraph_ids[1]
    old = [world.current(paragraph)["revision_id"]]
    for number in range(RESTORES):
        answer = world.api("member").patch(
            f"/api/v1/paragraphs/{paragraph}/texts/de",
            json={"text": f"Fassung {number} des Absatzes.", "base_revision_id": old[-1]},
        )
        assert answer.status_code == 200, answer.text
        old.append(answer.json()["revision_id"])
    *restorable, base = old
    with session_of(world.app) as session:
        tokens = [auth.issue_api_token(session, u) for u in (world.member, world.moderator)]
    everyone_is_ready = Barrier(RESTORES + SAVES, timeout=30)

    def restore(index: int) -> httpx2.Response:
        everyone_is_ready.wait()
        return httpx2.post(
            f"{url}/api/v1/paragraphs/{paragraph}/texts/de/restore",
            json={"revision_id": restorable[index]},
            headers={"Authorization": f"Bearer {tokens[index % 2]}"},
            timeout=30,
        )

    def save(index: int) -> httpx2.Response:
        everyone_is_ready.wait()
        return httpx2.patch(
            f"{url}/api/v1/paragraphs/{paragraph}/texts/de",
            json={"text": f"Neu geschrieben von Nummer {index}.", "base_revision_id": base},
            headers={"Authorization": f"Bearer {tokens[index % 2]}"},
            timeout=30,
        )

    with serving(world.app) as url, ThreadPoolExecutor(max_workers=RESTORES + SAVES) as pool:
        restoring = [pool.submit(restore, index) for index in range(RESTORES)]
        saving = [pool.submit(save, index) for index in range(SAVES)]
        restored = [future.result() for future in restoring]
        saved = [future.result() for future in saving]

    assert [answer.status_code for answer in restored] == [200] * RESTORES
    assert all(answer.json()["source"] == "restore" for answer in restored)
    assert {answer.status_code for answer in saved} <= {200, 409}
    acknowledged = [
        Acknowledged(paragraph, "de", None, body["revision_id"], body["text"], False)
        for body in (answer.json() for answer in restored)
    ] + [
        Acknowledged(paragraph, "de", base, body["revision_id"], body["text"], body["merged"])
        for body in (answer.json() for answer in saved if answer.status_code == 200)
    ]
    refused = [
        _refused(paragraph, base, f"Neu geschrieben von Nummer {index}.", answer.json())
        for index, answer in enumerate(saved)
        if answer.status_code == 409
    ]
    assert_no_update_lost(world.app.state.engine, acknowledged, refused)


def _refused(paragraph: int, base: int, text: str, body: dict[str, Any]) -> Refused:
    assert body["error"]["code"] == "edit_conflict", body
    details = body["error"]["details"]
    return Refused(
        paragraph, "de", base, text, details["conflict_id"], details["theirs"]["revision_id"]
    )
