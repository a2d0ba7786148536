from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import log_in

pytestmark = pytest.mark.e2e


def test_member_edits_a_paragraph_in_place_and_sees_it_in_the_history(
    page: Page, live_server: str
) -> None:
    log_in(page, live_server, "jonas")
    page.goto(f"{live_server}/groups/waerme-grenzregion")
    page.locator("table.list a[lang], td[lang=de] a").first.click()
    expect(page.locator("article.paragraph").first).to_be_visible()
    document_url = page.url

    paragraph = page.locator("article.paragraph").nth(1)
    paragraph_id = paragraph.get_attribute("id")
    german = paragraph.locator(".paragraph__side[lang=de]")
    german.locator("details.editor > summary").click()
    german.locator("details.editor textarea").fill(
        "Heizen verursacht in Grenzregionen viele Emissionen."
    )
    german.locator("details.editor button[type=submit]").click()

    swapped = page.locator(f"#{paragraph_id} .paragraph__side[lang=de] .paragraph__text")
    expect(swapped).to_have_text("Heizen verursacht in Grenzregionen viele Emissionen.")
    assert page.url == document_url, "the save swapped the paragraph in place"

    page.locator(f"#{paragraph_id} .paragraph__side[lang=de] a[href*=history]").click()
    expect(page).to_have_url(re.compile(r"/paragraphs/\d+/history\?lang=de"))
    expect(page.locator("#diff ins").first).to_contain_text("viele")
    expect(page.locator("table.history tbody tr")).to_have_count(2)
