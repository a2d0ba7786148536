"""axe-core on every main page: no serious or critical violations, in German and French;
the document page's controls are all in the tab order, and a paragraph is edited by keyboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from app.demo.seed import DEMO_PASSWORD
from tests.helpers.browser import ARTIFACTS

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SERIOUS = {"serious", "critical"}


def violations(page: Page) -> list[dict[str, object]]:
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in SERIOUS]


def describe(found: list[dict[str, object]]) -> str:
    return "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])}x)" for v in found)  # type: ignore[arg-type]


@pytest.mark.parametrize("username", ["mona", "claire"])
def test_main_pages_have_no_serious_accessibility_violations(
    chromium: Browser, live_server: str, username: str
) -> None:
    # axe is injected as a script; the app's Content-Security-Policy would refuse it.
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/login")
        assert violations(page) == [], describe(violations(page))
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(re.compile(r"/$"))
        page.goto(f"{live_server}/groups/waerme-grenzregion")
        document_link = page.locator("td[lang=de] a").first.get_attribute("href")
        paragraph_id = None
        pages = ["/", "/groups/waerme-grenzregion", document_link, "/account"]
        for index, path in enumerate(pages):
            page.goto(f"{live_server}{path}")
            if paragraph_id is None and page.locator("article.paragraph").count():
                paragraph_id = page.locator("article.paragraph").first.get_attribute(
                    "data-paragraph-id"
                )
            found = violations(page)
            page.screenshot(path=str(ARTIFACTS / f"a11y-{username}-{index}.png"))
            assert found == [], f"{path}: {describe(found)}"
        page.goto(f"{live_server}/paragraphs/{paragraph_id}/history?lang=de")
        assert violations(page) == [], describe(violations(page))
    finally:
        context.close()


# Marks every visible control on the page (a native control even with tabindex=-1, since
# that is how one drops out of the tab order) and starts counting what Tab focuses.
MARK_CONTROLS = """() => {
    document.querySelectorAll('[data-keyboard-check]')
        .forEach((element) => { delete element.dataset.keyboardCheck; });
    const native = 'a[href], button, summary, input:not([type=hidden]), select, textarea';
    const all = [...document.querySelectorAll(native + ', [tabindex]:not([tabindex^="-"])')];
    const visible = all.filter((element) =>
        element.checkVisibility({ visibilityProperty: true })
        && !element.disabled
        && (element.tagName !== 'SUMMARY' || element.parentElement.tagName === 'DETAILS'));
    visible.forEach((element, index) => { element.dataset.keyboardCheck = String(index); });
    window.focusedByTab = new Set();
    if (!window.countingFocus) {
        document.addEventListener('focusin', (event) => {
            const index = event.target.dataset && event.target.dataset.keyboardCheck;
            if (index !== undefined) window.focusedByTab.add(index);
        });
        window.countingFocus = true;
    }
    document.activeElement?.blur();
    window.scrollTo(0, 0);
    return visible.length;
}"""
NOT_FOCUSED = """() => [...document.querySelectorAll('[data-keyboard-check]')]
    .filter((element) => !window.focusedByTab.has(element.dataset.keyboardCheck))
    .map((element) => element.outerHTML.slice(0, 160))"""


def controls_tab_does_not_reach(page: Page) -> list[str]:
    """Press Tab once per visible control (and a few more): what was never focused."""
    controls = page.evaluate(MARK_CONTROLS)
    assert controls > 0
    for _ in range(controls + 5):
        page.keyboard.press("Tab")
    missed: list[str] = page.evaluate(NOT_FOCUSED)
    return missed


def log_in_with_the_keyboard(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    page.keyboard.press("Tab")  # skip link
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))


def open_the_demo_document_with_the_keyboard(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/groups/waerme-grenzregion")
    page.locator("td[lang=de] a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("article.paragraph")


def test_tab_reaches_every_visible_control_of_the_document_page_with_its_forms_closed_and_open(
    chromium: Browser, live_server: str
) -> None:
    """Every link, button, summary and field a member sees on the document page is in the
    tab order: first as the page loads (forms folded), then with every form unfolded."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in_with_the_keyboard(page, live_server, "jonas")
        open_the_demo_document_with_the_keyboard(page, live_server)
        assert controls_tab_does_not_reach(page) == []
        page.evaluate(
            "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
        )
        assert controls_tab_does_not_reach(page) == []
    finally:
        context.close()


def test_a_paragraph_is_edited_and_saved_with_the_keyboard_alone(
    chromium: Browser, live_server: str
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in_with_the_keyboard(page, live_server, "jonas")
        open_the_demo_document_with_the_keyboard(page, live_server)
        # Tab to the first "Edit" summary, open it with Enter, type, and save with Enter.
        for _ in range(200):
            page.keyboard.press("Tab")
            on_editor = page.evaluate(
                "document.activeElement.tagName === 'SUMMARY'"
                " && !!document.activeElement.closest('details.editor')"
            )
            if on_editor:
                break
        else:
            pytest.fail("no editor could be reached with the keyboard")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type("Mit der Tastatur bearbeitet.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.paragraph__text')]"
            ".some(e => e.textContent.includes('Mit der Tastatur bearbeitet.'))"
        )
    finally:
        context.close()
