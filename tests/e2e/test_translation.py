"""A German edit makes the French side outdated; the translator sees what changed, updates
the French text and confirms; the badge turns back to in sync."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.event_stream import wait_until_event_stream_open, watch_event_stream
from tests.helpers.browser import ARTIFACTS, Api, log_in

pytestmark = pytest.mark.e2e

GERMAN = "Die Länder fördern grenzüberschreitende Wärmenetze."
FRENCH = "Les Länder soutiennent les réseaux de chaleur transfrontaliers."
NEW_GERMAN = "Die Länder fördern grenzüberschreitende Wärmenetze ab 2027 verbindlich."
NEW_FRENCH = (
    "Les Länder soutiennent obligatoirement dès 2027 les réseaux de chaleur transfrontaliers."
)


def test_translator_follows_a_german_edit_and_confirms_the_pair(
    chromium: Browser, live_server: str
) -> None:
    mona = Api(live_server, "mona")
    try:
        # A document of its own, so the demo document stays as other browser tests expect it.
        document = mona.call(
            "POST",
            "/api/v1/groups/waerme-grenzregion/documents",
            {"title_de": "Wärmenetze übersetzen", "title_fr": "Traduire les réseaux de chaleur"},
            201,
        )
        paragraph = mona.call(
            "POST",
            f"/api/v1/documents/{document['id']}/paragraphs",
            {"kind": "text", "de": GERMAN, "fr": FRENCH},
            201,
        )
        mona.call(
            "POST",
            f"/api/v1/paragraphs/{paragraph['id']}/alignment",
            {
                "de_revision_id": paragraph["texts"]["de"]["revision_id"],
                "fr_revision_id": paragraph["texts"]["fr"]["revision_id"],
            },
        )
    finally:
        mona.close()

    url = f"{live_server}/documents/{document['id']}"
    editor_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    translator_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    editor, translator = editor_context.new_page(), translator_context.new_page()
    try:
        for page in (editor, translator):
            watch_event_stream(page)
        log_in(editor, live_server, "jonas")
        log_in(translator, live_server, "claire")
        for page in (editor, translator):
            page.goto(url)
        article = translator.locator(f"#p-{paragraph['id']}")
        badge = article.locator("[data-alignment]")
        expect(badge).to_have_attribute("data-alignment", "in_sync")
        # Both pages listen before the German edit: each follows the other live.
        for page in (editor, translator):
            wait_until_event_stream_open(page)

        # The German editor changes the text.
        german = editor.locator(f"#p-{paragraph['id']} .paragraph__side[lang=de]")
        german.locator("details.editor summary").click()
        german.locator("details.editor textarea").fill(NEW_GERMAN)
        german.locator("details.editor button[type=submit]").click()
        expect(german.locator(".paragraph__text")).to_have_text(NEW_GERMAN)

        # The translator's page updates live: French is outdated, the German change is shown.
        expect(badge).to_have_attribute("data-alignment", "fr_outdated", timeout=15000)
        french = article.locator(".paragraph__side[lang=fr]")
        changes = french.locator(".alignment-changes")
        expect(changes).to_be_visible()
        expect(changes.locator("ins")).to_contain_text("ab 2027 verbindlich")

        # The translator updates the French text, then confirms the pair in one click.
        french.locator("details.editor summary").click()
        french.locator("details.editor textarea").fill(NEW_FRENCH)
        french.locator("details.editor button[type=submit]").click()
        expect(french.locator(".paragraph__text")).to_have_text(NEW_FRENCH)
        french.locator("form.alignment-confirm button").click()
        expect(badge).to_have_attribute("data-alignment", "in_sync")
        expect(badge).to_have_attribute("data-alignment", "in_sync")
        expect(french.locator(".alignment-changes")).to_have_count(0)

        # The editor's page follows live too.
        expect(editor.locator(f"#p-{paragraph['id']} [data-alignment]")).to_have_attribute(
            "data-alignment", "in_sync", timeout=15000
        )
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        translator.screenshot(path=str(ARTIFACTS / "translation-translator.png"), full_page=True)
        editor_context.close()
        translator_context.close()
