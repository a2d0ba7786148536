"""Kill the server in the middle of conflicting saves: whatever it acknowledged is there.

What a process kill can and cannot prove
----------------------------------------
SIGKILL ends the server without running any shutdown code, so these tests catch an answer
sent before its transaction committed: a save acknowledged with 200, or a conflict draft
announced by a 409 with a ``conflict_id``, that is not in the database afterwards.

They cannot catch a commit that reached the operating system but not the disk. A killed
process leaves the kernel's page cache behind, and the restarted server reads the
committed pages from there: with ``PRAGMA synchronous=OFF`` (or ``NORMAL``) these tests
still pass, although a power loss would lose the last commits. That promise — a committed
transaction survives power loss — is the ``synchronous=FULL`` setting, and the second test
here checks that every SQLite connection of the app runs with it. On PostgreSQL the
server's own ``fsync``/``synchronous_commit`` settings carry it; they are the operator's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import httpx2
import pytest
from sqlalchemy import Engine

from app.config import Settings
from app.db import is_sqlite, make_engine
from app.models import User
from app.services import auth
from tests.helpers.factories import World, session_of
from tests.helpers.live import ServerProcess

EDITORS_PER_PARAGRAPH = 3
PARAGRAPHS = 2
ACKNOWLEDGED_BEFORE_KILL = 40
CONFLICTS_BEFORE_KILL = 20
SECONDS_TO_GET_GOING = 90


@dataclass
class Acknowledged:
    """What the killed server answered, as the clients saw it, gathered from their threads."""

    revisions: dict[int, str] = field(default_factory=dict)  # revision id -> text
    conflicts: list[tuple[str, int, str]] = field(default_factory=list)  # author, id, text
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)

    def count(self) -> tuple[int, int]:
        return len(self.revisions), len(self.conflicts)

    def saved(self, revision_id: int, text: str) -> None:
        with self.lock:
            self.revisions[revision_id] = text
            self._check()

    def conflicted(self, author: str, conflict_id: int, text: str) -> None:
        with self.lock:
            self.conflicts.append((author, conflict_id, text))
            self._check()

    def _check(self) -> None:
        revisions, conflicts = self.count()
        if revisions >= ACKNOWLEDGED_BEFORE_KILL and conflicts >= CONFLICTS_BEFORE_KILL:
            self.enough.set()


def test_acknowledged_saves_and_conflict_drafts_survive_a_kill_during_conflicting_saves(
    world: World, settings: Settings
) -> None:
    """Three editors per paragraph save whole new texts, each on top of the revision it
    last saw, so most saves conflict (409 and a kept draft) and some succeed (200). The
    server is killed with SIGKILL while they keep saving; after a restart, every
    acknowledged revision and every acknowledged conflict draft is there with its text."""
    # The moderator and a member may edit; the third editor of each paragraph is the
    # moderator again, in a browser of its own.
    authors: list[User] = [world.moderator, world.member]
    with session_of(world.app) as session:
        tokens = {user.username: auth.issue_api_token(session, user) for user in authors}
    editors = [world.moderator.username, world.member.username, world.moderator.username]
    acknowledged = Acknowledged()
    stop = threading.Event()
    server = ServerProcess(settings.database_url).start()

    def editor(paragraph_id: int, author: str, index: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[author]}"}
        with httpx2.Client(base_url=server.url, headers=headers, timeout=10) as client:
            try:
                document = client.get(f"/api/v1/documents/{world.document_id}").json()
                paragraph = next(p for p in document["paragraphs"] if p["id"] == paragraph_id)
                base = paragraph["texts"]["de"]["revision_id"]
                attempt = 0
                while not stop.is_set():
                    attempt += 1
                    # A text no other editor writes: two saves on the same base mostly
                    # overlap, so the later one is a conflict (a few merge).
                    text = f"Fassung-{paragraph_id}-{author}-{index}-{attempt}"
                    answer = client.patch(
                        f"/api/v1/paragraphs/{paragraph_id}/texts/de",
                        json={"text": text, "base_revision_id": base},
                    )
                    if answer.status_code == 200:  # saved, or merged with theirs
                        saved = answer.json()
                        base = saved["revision_id"]
                        acknowledged.saved(base, saved["text"])
                    elif answer.status_code == 409:
                        details = answer.json()["error"]["details"]
                        acknowledged.conflicted(author, details["conflict_id"], text)
                        base = details["theirs"]["revision_id"]  # try again on top of theirs
                    else:
                        acknowledged.unexpected.append(f"{answer.status_code} {answer.text}")
                        return
            except httpx2.HTTPError:
                return  # the server died under us: the save in flight was never answered

    threads = [
        threading.Thread(target=editor, args=(paragraph_id, editors[index], index))
        for paragraph_id in world.paragraph_ids[:PARAGRAPHS]
        for index in range(EDITORS_PER_PARAGRAPH)
    ]
    try:
        for thread in threads:
            thread.start()
        acknowledged.enough.wait(SECONDS_TO_GET_GOING)
        server.kill()  # while every editor still has a save in flight or about to be
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.stop()

    assert acknowledged.unexpected == []
    revisions, conflicts = acknowledged.count()
    assert revisions >= ACKNOWLEDGED_BEFORE_KILL, f"only {revisions} saves were acknowledged"
    assert conflicts >= CONFLICTS_BEFORE_KILL, f"only {conflicts} conflicts were acknowledged"

    with ServerProcess(settings.database_url) as restarted:
        stored_revisions: dict[int, str] = {}
        stored_conflicts: dict[str, dict[int, str]] = {}
        for author, token in tokens.items():
            with httpx2.Client(
                base_url=restarted.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
            ) as client:
                for paragraph_id in world.paragraph_ids[:PARAGRAPHS]:
                    history = client.get(f"/api/v1/paragraphs/{paragraph_id}/revisions")
                    assert history.status_code == 200, history.text
                    stored_revisions |= {r["id"]: r["text"] for r in history.json()}
                drafts = client.get(f"/api/v1/documents/{world.document_id}/conflicts")
                assert drafts.status_code == 200, drafts.text
                stored_conflicts[author] = {d["id"]: d["text"] for d in drafts.json()}

    lost_revisions = {
        revision_id: text
        for revision_id, text in acknowledged.revisions.items()
        if stored_revisions.get(revision_id) != text
    }
    lost_conflicts = [  # a list: a lost draft's id may be handed out again
        (author, conflict_id, text)
        for author, conflict_id, text in acknowledged.conflicts
        if stored_conflicts[author].get(conflict_id) != text
    ]
    assert lost_revisions == {}, f"{len(lost_revisions)} of {revisions} acknowledged saves lost"
    assert lost_conflicts == [], f"{len(lost_conflicts)} of {conflicts} conflict drafts lost"


def test_sqlite_commits_are_synced_to_disk_before_they_are_acknowledged(
    settings: Settings,
) -> None:
    """``synchronous=FULL`` (2) in WAL mode: each commit is on disk when it returns, so a
    committed transaction survives power loss, not only a killed process."""
    if not is_sqlite(settings.database_url):
        pytest.skip("PRAGMA synchronous is SQLite's; PostgreSQL syncs by its own settings")
    engine: Engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    finally:
        engine.dispose()
    assert (journal, synchronous) == ("wal", 2)
