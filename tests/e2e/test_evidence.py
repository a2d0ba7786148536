from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import log_in
from tests.helpers.corpus import CORPUS

pytestmark = pytest.mark.e2e


def coverage_counts(page: Page) -> tuple[int, int]:
    summary = page.locator("#coverage-summary").inner_text()
    numbers = [int(n) for n in re.findall(r"\d+", summary)]
    return numbers[0], numbers[1]


def test_member_imports_initiatives_links_evidence_and_sees_the_coverage_change(
    page: Page, live_server: str
) -> None:
    log_in(page, live_server, "jonas")

    # the library: preview the corpus file, then import it
    page.goto(f"{live_server}/initiatives/import")
    page.set_input_files("#import-file", str(CORPUS / "local-initiatives.csv"))
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("tr.import-row--create, tr.import-row--unchanged")).to_have_count(23)
    # The confirming form carries the previewed file (the interface language may vary).
    page.locator("form:has(textarea[name=csv_text]) button[type=submit]").click()
    page.goto(f"{live_server}/initiatives?country=FR")
    expect(page.locator("table.initiatives tbody tr").first).to_be_visible()

    # the document and its coverage before
    page.goto(f"{live_server}/groups/waerme-grenzregion")
    page.locator("table.list a[lang], td[lang=de] a").first.click()
    expect(page.locator("article.paragraph").first).to_be_visible()
    document_url = page.url.split("#")[0]
    page.goto(f"{document_url}/coverage")
    with_before, total = coverage_counts(page)
    assert total >= 1
    missing = page.locator("tr.coverage--missing a").first
    paragraph_id = missing.get_attribute("href").split("#p-")[1]  # type: ignore[union-attr]

    # link evidence in place (HTMX swaps the paragraph)
    page.goto(document_url)
    article = page.locator(f"#p-{paragraph_id}")
    article.locator(".evidence__add summary").click()
    article.locator("input[name=initiative_key]").fill("ungersheim-21-actions")
    article.locator("input[name=note]").fill("Beteiligung der Bürgerinnen und Bürger")
    article.locator(".evidence__add button[type=submit]").click()
    linked = page.locator(f"#p-{paragraph_id} .evidence__link")
    expect(linked).to_have_count(1)
    expect(linked).to_contain_text("Ungersheim")
    assert page.url.split("#")[0] == document_url, "the link was added in place"

    # the coverage changed
    page.locator(".evidence-summary a[href$='/coverage']").click()
    expect(page.locator("#coverage-summary")).to_be_visible()
    assert coverage_counts(page) == (with_before + 1, total)
    expect(page.locator(f"#coverage-{paragraph_id}")).to_have_class(re.compile("coverage--backed"))
