from __future__ import annotations

from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect

from app.demo.seed import DEMO_PASSWORD
from tests.e2e.event_stream import wait_until_event_stream_open, watch_event_stream
from tests.helpers.browser import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e

ORIGINAL_DE = "Die Kommunen erstellen Wärmepläne bis 2028."
AMENDED_DE = "Die Kommunen erstellen verbindliche Wärmepläne bis 2026."


def api_as(base_url: str, username: str) -> httpx2.Client:
    token = httpx2.post(
        f"{base_url}/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD}
    ).json()["token"]
    return httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})


def document_in_amendments(base_url: str) -> tuple[int, int]:
    """A document of its own, so that the demo document stays in drafting for other tests."""
    with api_as(base_url, "mona") as api:
        document: dict[str, Any] = api.post(
            "/api/v1/groups/waerme-grenzregion/documents",
            json={"title_de": "Änderungsrunde", "title_fr": "Tour d'amendements"},
        ).json()
        paragraph = api.post(
            f"/api/v1/documents/{document['id']}/paragraphs",
            json={
                "kind": "recommendation",
                "de": ORIGINAL_DE,
                "fr": "Les communes établissent des plans de chaleur d'ici 2028.",
            },
        ).json()
        answer = api.post(f"/api/v1/documents/{document['id']}/phase", json={"phase": "amendments"})
        assert answer.status_code == 200, answer.text
    return document["id"], paragraph["id"]


def test_member_proposes_another_supports_and_the_moderator_accepts_for_everyone(
    chromium: Browser, live_server: str
) -> None:
    document_id, paragraph_id = document_in_amendments(live_server)
    contexts = [chromium.new_context(viewport={"width": 1280, "height": 900}) for _ in range(3)]
    jonas, claire, mona = (context.new_page() for context in contexts)
    pages: list[tuple[Page, str]] = [(jonas, "jonas"), (claire, "claire"), (mona, "mona")]
    try:
        for page, username in pages:
            watch_event_stream(page)
            log_in(page, live_server, username)
            page.goto(f"{live_server}/documents/{document_id}")
            expect(page.locator(f"#p-{paragraph_id}")).to_be_visible()
        for page, _ in pages:
            wait_until_event_stream_open(page)

        # Jonas proposes new German text with a justification.
        article = jonas.locator(f"#p-{paragraph_id}")
        article.locator("details.amendment-propose summary").click()
        article.locator(f"#amend-{paragraph_id}-de").fill(AMENDED_DE)
        article.locator(f"#amend-{paragraph_id}-justification").fill("Früher und verbindlich.")
        article.locator("details.amendment-propose button[type=submit]").click()
        expect(jonas.locator(f"#p-{paragraph_id} .amendment ins").first).to_be_visible()

        # Claire sees it arrive live and supports it.
        amendment = claire.locator(f"#p-{paragraph_id} .amendment")
        expect(amendment).to_be_visible(timeout=15000)
        expect(amendment.locator("ins").first).to_contain_text("verbindliche")
        # Claire's interface is French: find the button by its form, not its wording.
        amendment.locator("form[action$='/support'] button[type=submit]").click()
        expect(claire.locator(f"#p-{paragraph_id} .amendment .supporters")).to_contain_text("1")

        # Mona sees the support live and accepts.
        expect(mona.locator(f"#p-{paragraph_id} .amendment .supporters")).to_contain_text(
            "1", timeout=15000
        )
        ARTIFACTS.mkdir(exist_ok=True)
        mona.locator(f"#p-{paragraph_id}").screenshot(
            path=str(ARTIFACTS / "amendment-round-before-decision.png")
        )
        mona.locator(
            f"#p-{paragraph_id} .amendment form[action$='/decision']:has(input[value=accept])"
            " button[type=submit]"
        ).first.click()

        # The text changes for everyone, without reloading.
        for page, _ in pages:
            expect(
                page.locator(f"#p-{paragraph_id} .paragraph__side[lang=de] .paragraph__text")
            ).to_have_text(AMENDED_DE, timeout=15000)
            expect(page.locator(f"#p-{paragraph_id} .amendment")).to_have_count(0)
        expect(jonas.locator(f"#p-{paragraph_id} [data-not-updated]")).to_contain_text("FR")
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        for page, username in pages:
            page.screenshot(path=str(ARTIFACTS / f"amendment-round-{username}.png"))
        for context in contexts:
            context.close()
