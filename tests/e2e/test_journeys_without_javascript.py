"""Core steps of each role with JavaScript switched off: plain forms and links must do.

Each journey works on a document of its own, in the person's own interface language, and
leaves screenshots of its key pages in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_amendment_round import api_as
from tests.e2e.test_editing_in_browser import log_in

pytestmark = pytest.mark.e2e


def new_document(base_url: str, de: str, fr: str) -> tuple[int, int]:
    with api_as(base_url, "mona") as api:
        document = api.post(
            "/api/v1/groups/waerme-grenzregion/documents",
            json={"title_de": "Ohne JavaScript", "title_fr": "Sans JavaScript"},
        ).json()
        paragraph = api.post(
            f"/api/v1/documents/{document['id']}/paragraphs",
            json={"kind": "recommendation", "de": de, "fr": fr},
        ).json()
    return document["id"], paragraph["id"]


def page_without_javascript(chromium: Browser) -> Page:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    return context.new_page()


def snapshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"nojs-{name}.png"), full_page=True)


def test_member_edits_and_reads_the_history_without_javascript_in_german(
    chromium: Browser, live_server: str
) -> None:
    document_id, paragraph_id = new_document(
        live_server, "Wärmepläne bis 2028.", "Des plans de chaleur d'ici 2028."
    )
    page = page_without_javascript(chromium)
    try:
        log_in(page, live_server, "jonas")
        page.goto(f"{live_server}/documents/{document_id}")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        german = page.locator(f"#p-{paragraph_id} .paragraph__side[lang=de]")
        german.locator("details.editor > summary").click()
        german.locator("details.editor textarea").fill("Verbindliche Wärmepläne bis 2026.")
        german.locator("details.editor button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/documents/{document_id}#p-{paragraph_id}$"))
        expect(german.locator(".paragraph__text")).to_have_text("Verbindliche Wärmepläne bis 2026.")
        snapshot(page, "member-document")
        german.locator("a[href*=history]").click()
        expect(page.locator("#diff ins").first).to_contain_text("Verbindliche")
        snapshot(page, "member-history")
    finally:
        page.context.close()


def test_moderator_runs_an_amendment_round_without_javascript_in_french(
    chromium: Browser, live_server: str
) -> None:
    document_id, paragraph_id = new_document(
        live_server, "Die Kommunen planen.", "Les communes planifient."
    )
    moderator, member = page_without_javascript(chromium), page_without_javascript(chromium)
    try:
        log_in(moderator, live_server, "mona")
        moderator.goto(f"{live_server}/documents/{document_id}")
        moderator.locator("details.phase-change > summary").click()
        moderator.select_option("#phase-target", "amendments")
        moderator.locator("details.phase-change button[type=submit]").click()
        expect(moderator.locator(".badge.phase")).to_contain_text(
            re.compile("Änderungsanträge|amendments")
        )

        log_in(member, live_server, "claire")  # French interface
        member.goto(f"{live_server}/documents/{document_id}")
        expect(member.locator("html")).to_have_attribute("lang", "fr")
        article = member.locator(f"#p-{paragraph_id}")
        article.locator("details.amendment-propose > summary").click()
        article.locator(f"#amend-{paragraph_id}-fr").fill("Les communes planifient ensemble.")
        article.locator(f"#amend-{paragraph_id}-justification").fill("Ensemble, c’est mieux.")
        article.locator("details.amendment-propose button[type=submit]").click()
        expect(member.locator(f"#p-{paragraph_id} .amendment ins").first).to_contain_text(
            "ensemble"
        )
        snapshot(member, "member-amendment-fr")

        moderator.goto(f"{live_server}/documents/{document_id}")
        decide = moderator.locator(
            f"#p-{paragraph_id} form[action$='/decision']:has(input[value=accept])"
        )
        decide.locator("button[type=submit]").first.click()
        expect(
            moderator.locator(f"#p-{paragraph_id} .paragraph__side[lang=fr] .paragraph__text")
        ).to_have_text("Les communes planifient ensemble.")
        snapshot(moderator, "moderator-accepted")
    finally:
        moderator.context.close()
        member.context.close()
