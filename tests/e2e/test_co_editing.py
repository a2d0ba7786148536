from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.event_stream import wait_until_event_stream_open, watch_event_stream
from tests.helpers.browser import ARTIFACTS, log_in

pytestmark = pytest.mark.e2e


def open_document(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/groups/waerme-grenzregion")
    page.locator("td[lang=de] a").first.click()
    expect(page.locator("article.paragraph").first).to_be_visible()


def german_side(page: Page, index: int):  # type: ignore[no-untyped-def]
    return page.locator("article.paragraph").nth(index).locator(".paragraph__side[lang=de]")


def test_second_editor_sees_the_first_editors_change_live_and_resolves_a_conflict(
    chromium: Browser, live_server: str
) -> None:
    first_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    second_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    first, second = first_context.new_page(), second_context.new_page()
    try:
        for page, username in ((first, "mona"), (second, "claire")):
            watch_event_stream(page)
            log_in(page, live_server, username)
            open_document(page, live_server)
        # Both pages listen before anyone saves: each must see the other's changes live.
        for page in (first, second):
            wait_until_event_stream_open(page)

        # A edits paragraph 5; B sees it change without reloading.
        german_side(first, 4).locator("details.editor > summary").click()
        german_side(first, 4).locator("details.editor textarea").fill(
            "Live: neue Ausgangslage für alle."
        )
        german_side(first, 4).locator("details.editor button[type=submit]").click()
        expect(german_side(second, 4).locator(".paragraph__text")).to_have_text(
            "Live: neue Ausgangslage für alle.", timeout=15000
        )

        # Both edit the first words of paragraph 6 at the same time.
        for page in (first, second):
            german_side(page, 5).locator("details.editor > summary").click()
        german_side(second, 5).locator("details.editor textarea").fill(
            "Die Datenlage ist überall gleich: Verbrauchsdaten liegen bei Stadtwerken."
        )
        german_side(first, 5).locator("details.editor textarea").fill(
            "Die Datenlage unterscheidet sich kaum: Verbrauchsdaten liegen bei Stadtwerken."
        )
        german_side(first, 5).locator("details.editor button[type=submit]").click()
        expect(german_side(first, 5).locator(".paragraph__text")).to_contain_text("kaum")

        # B's open editor was not overwritten; B is told instead.
        expect(
            second.locator("article.paragraph").nth(5).locator(".changed-under-you")
        ).to_be_visible(timeout=15000)
        expect(german_side(second, 5).locator("details.editor textarea")).to_have_value(
            "Die Datenlage ist überall gleich: Verbrauchsdaten liegen bei Stadtwerken."
        )

        # B saves: the overlapping change is a conflict with a resolution view.
        german_side(second, 5).locator("details.editor button[type=submit]").click()
        conflict = second.locator("article.paragraph").nth(5).locator(".conflict")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("kaum")
        conflict.locator("textarea").fill(
            "Die Datenlage unterscheidet sich kaum, ist aber nirgends gleich."
        )
        conflict.locator("button.primary").click()
        expect(german_side(second, 5).locator(".paragraph__text")).to_have_text(
            "Die Datenlage unterscheidet sich kaum, ist aber nirgends gleich."
        )
        expect(german_side(first, 5).locator(".paragraph__text")).to_have_text(
            "Die Datenlage unterscheidet sich kaum, ist aber nirgends gleich.", timeout=15000
        )
    finally:
        for page, name in ((first, "first"), (second, "second")):
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"co-editing-{name}.png"))
        first_context.close()
        second_context.close()
