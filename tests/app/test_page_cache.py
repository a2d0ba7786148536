"""The document page is reused while nothing it shows has changed, and never after.

Every write below goes through the real routes on the real database; the page fetched
afterwards must show it, whatever was cached before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import SQLModel

from app import page_versions
from app.models import Document, Revision
from app.page_cache import PageCache
from drafting.revisions import Source
from drafting.text import Lang
from tests.helpers.evidence import link
from tests.helpers.factories import BrowserClient, World, session_of
from tests.helpers.initiatives import import_corpus
from tests.helpers.statements import recorded_statements


def page_of(browser: BrowserClient, world: World, **headers: str) -> tuple[str, str]:
    answer = browser.get(f"/documents/{world.document_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.text, answer.headers["etag"]


def test_every_table_is_classified_for_page_versions() -> None:
    classified: list[type[Any]] = [
        Document,
        *page_versions.BY_DOCUMENT_ID,
        *page_versions.BY_PARAGRAPH_ID,
        *page_versions.BY_AMENDMENT_ID,
        *page_versions.BY_VERSION_ID,
        *page_versions.SITE_WIDE,
        *page_versions.NOT_SHOWN,
    ]
    names = [model.__tablename__ for model in classified]
    assert len(names) == len(set(names)), "a table is classified twice"
    assert set(names) == set(SQLModel.metadata.tables)


def test_an_unchanged_page_is_sent_again_with_the_same_etag_and_revalidates_to_304(
    world: World,
) -> None:
    mona = world.browser("moderator")
    first, etag = page_of(mona, world)
    again, same_etag = page_of(mona, world)
    assert again == first and same_etag == etag
    revalidated = mona.get(f"/documents/{world.document_id}", headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert "no-cache" in revalidated.headers["cache-control"]


def test_each_person_gets_their_own_page_and_an_outsider_still_gets_404(world: World) -> None:
    mona, jonas = world.browser("moderator"), world.browser("member")
    moderator_page, moderator_etag = page_of(mona, world)
    member_page, member_etag = page_of(jonas, world)
    assert moderator_etag != member_etag
    assert mona.csrf_token in moderator_page and mona.csrf_token not in member_page
    stolen = jonas.get(f"/documents/{world.document_id}", headers={"If-None-Match": moderator_etag})
    assert stolen.status_code == 200
    olaf = world.browser("outsider")
    assert olaf.get(f"/documents/{world.document_id}").status_code == 404


def reads_paragraphs(statements: list[str]) -> bool:
    """Rendering the page reads its paragraphs; sending a cached page does not."""
    return any(re.search(r"\bFROM paragraph\b", statement) for statement in statements)


def test_an_unchanged_page_is_sent_from_the_cache_unrendered_and_rendered_again_after_a_save(
    world: World,
) -> None:
    mona = world.browser("moderator")
    with recorded_statements(world.app) as rendered:
        first, etag = page_of(mona, world)
    with recorded_statements(world.app) as cached:
        again, same_etag = page_of(mona, world)
    assert again == first and same_etag == etag
    assert reads_paragraphs(rendered), rendered
    assert not reads_paragraphs(cached), cached
    assert len(cached) < len(rendered)

    save(world, "Nach der Sitzung geändert.")
    with recorded_statements(world.app) as after_the_save:
        changed, new_etag = page_of(mona, world)
    assert reads_paragraphs(after_the_save), after_the_save
    assert "Nach der Sitzung geändert." in changed and new_etag != etag


def save(world: World, text: str) -> None:
    current = world.current(world.paragraph_ids[1])
    answer = world.api("member").patch(
        f"/api/v1/paragraphs/{world.paragraph_ids[1]}/texts/de",
        json={"text": text, "base_revision_id": current["revision_id"]},
    )
    assert answer.status_code == 200, answer.text


def a_saved_text(world: World) -> str:
    save(world, "Neuer Text aus der Sitzung.")
    return "Neuer Text"


def comment(world: World) -> str:
    answer = world.api("member").post(
        f"/api/v1/paragraphs/{world.paragraph_ids[1]}/comments",
        json={"lang": "de", "body": "Quelle fehlt noch."},
    )
    assert answer.status_code == 201, answer.text
    return "Quelle fehlt noch."


def amendment_and_support(world: World) -> str:
    pid = world.paragraph_ids[2]
    current = world.current(pid)
    phase = world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/phase", json={"phase": "amendments"}
    )
    assert phase.status_code == 200, phase.text
    answer = world.api("member").post(
        f"/api/v1/paragraphs/{pid}/amendments",
        json={
            "texts": {"de": "Bund und Länder müssen handeln."},
            "base_revision_ids": {"de": current["revision_id"]},
            "justification": "Klarer für beide Regierungen.",
        },
    )
    assert answer.status_code == 201, answer.text
    # Supporting only adds an amendment_support row: the count on the page must follow.
    support = world.api("moderator").post(f"/api/v1/amendments/{answer.json()['id']}/support")
    assert support.status_code == 200, support.text
    return "Klarer für beide Regierungen."


def glossary_term(world: World) -> str:
    answer = world.api("moderator").post(
        f"/api/v1/groups/{world.slug}/glossary",
        json={"term_de": "Klimanotstand", "term_fr": "zzurgence-climatique", "note": ""},
    )
    assert answer.status_code == 201, answer.text
    return "zzurgence-climatique"


def demote_the_moderator(world: World) -> str:
    # The group keeps a moderator: Jonas takes over first.
    promoted = world.api("admin").put(
        f"/api/v1/groups/{world.slug}/members/jonas", json={"role": "moderator"}
    )
    assert promoted.status_code == 200, promoted.text
    answer = world.api("admin").put(
        f"/api/v1/groups/{world.slug}/members/mona", json={"role": "member"}
    )
    assert answer.status_code == 200, answer.text
    # Only moderators may change the phase: the form goes with the role.
    return f'!action="/documents/{world.document_id}/phase"'


def evidence_link(world: World) -> str:
    import_corpus(world)
    assert link(world, "member", world.paragraph_ids[2], "saerbeck-klimakommune").status_code == 201
    return "/initiatives/saerbeck-klimakommune"


def frozen_version(world: World) -> str:
    answer = world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/versions", json={"label": "Erster Stand"}
    )
    assert answer.status_code == 201, answer.text
    return "Versions (latest: 1)"


WRITES: dict[str, Callable[[World], str]] = {
    "a saved text": a_saved_text,
    "a comment": comment,
    "an amendment and its support": amendment_and_support,
    "a glossary term of the group": glossary_term,
    "a changed role": demote_the_moderator,
    "an evidence link": evidence_link,
    "a frozen version": frozen_version,
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_the_cached_page_follows_every_kind_of_write(world: World, write: str) -> None:
    mona = world.browser("moderator")
    before, etag = page_of(mona, world)
    expected = WRITES[write](world)
    after, new_etag = page_of(mona, world)
    assert new_etag != etag
    if expected.startswith("!"):
        assert expected[1:] in before and expected[1:] not in after
    else:
        assert expected not in before and expected in after


def test_a_renamed_initiative_shows_on_every_page_citing_it(world: World) -> None:
    evidence_link(world)
    mona = world.browser("moderator")
    before, _etag = page_of(mona, world)
    answer = world.api("member").patch(
        "/api/v1/initiatives/saerbeck-klimakommune", json={"name_de": "Saerbeck umbenannt"}
    )
    assert answer.status_code == 200, answer.text
    after, _etag = page_of(mona, world)
    assert "Saerbeck umbenannt" not in before and "Saerbeck umbenannt" in after


def test_a_new_notification_changes_the_page_header(world: World) -> None:
    mona = world.browser("moderator")
    _page, etag = page_of(mona, world)
    answer = world.api("member").post(
        f"/api/v1/paragraphs/{world.paragraph_ids[1]}/comments",
        json={"lang": "de", "body": "@mona bitte ansehen"},
    )
    assert answer.status_code == 201, answer.text
    _page, new_etag = page_of(mona, world)
    assert new_etag != etag


def version_of(world: World) -> int:
    with session_of(world.app) as session:
        document = session.get(Document, world.document_id)
        assert document is not None
        return document.content_version


def test_a_rolled_back_write_leaves_the_version_alone_and_a_save_raises_it_once(
    world: World,
) -> None:
    before = version_of(world)
    with world.app.state.sessions() as session:
        revision = Revision(
            paragraph_id=world.paragraph_ids[0], lang=Lang.DE, text="x", source=Source.HUMAN
        )
        session.add(revision)
        session.flush()
        session.rollback()
    assert version_of(world) == before
    save(world, "Gespeichert und gezählt.")
    assert version_of(world) == before + 1  # once per transaction, however many flushes


def test_the_cache_keeps_the_most_recent_pages_within_its_bytes() -> None:
    cache = PageCache(max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    assert cache.get("a") == b"12345"  # now the most recently used
    cache.put("c", b"123")
    assert cache.get("b") is None
    assert cache.get("a") == b"12345" and cache.get("c") == b"123"
    assert cache.size == 8
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None and cache.size == 8


def test_switched_off_the_page_is_rendered_every_time(world: World) -> None:
    world.app.state.page_cache = None
    mona = world.browser("moderator")
    first, etag = page_of(mona, world)
    second, same_etag = page_of(mona, world)
    assert first == second and etag == same_etag
