"""Core steps of each role with JavaScript switched off: plain forms and links must do.

One journey per role, in German and in French: a member drafts and translates; a
moderator runs an amendment round and freezes versions; a liaison reviews and approves.
Each journey works on a document of its own, in the person's own interface language, and
leaves screenshots of its key pages in test-artifacts/. The pages are in German or French,
so elements are found by markup (ids, classes, form actions, ``lang``), never by wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing, contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import ARTIFACTS, Api, log_in

pytestmark = pytest.mark.e2e

LANGUAGES = ["de", "fr"]
OTHER = {"de": "fr", "fr": "de"}
MEMBER = {"de": "jonas", "fr": "claire"}
LIAISON = {"de": "liaison-de", "fr": "liaison-fr"}
LIAISON_NAMES = ("Dr. Anna Schmidt (BMWK)", "Hélène Martin (MTE)")

MUNICIPALITIES = {"de": "Die Kommunen planen.", "fr": "Les communes planifient."}
TOGETHER = {"de": "Die Kommunen planen gemeinsam.", "fr": "Les communes planifient ensemble."}
ADDED = {"de": "gemeinsam", "fr": "ensemble"}
JUSTIFICATION = {"de": "Gemeinsam geht es besser.", "fr": "Ensemble, c’est mieux."}
NETWORKS = {
    "de": "Die Länder fördern grenzüberschreitende Wärmenetze.",
    "fr": "Les régions soutiennent les réseaux de chaleur transfrontaliers.",
}
NETWORKS_REVISED = {
    "de": "Bund und Länder fördern grenzüberschreitende Wärmenetze.",
    "fr": "Les États et les Länder soutiennent les réseaux de chaleur transfrontaliers.",
}
REVISED_WORD = {"de": "Bund", "fr": "États"}
REMOVED_WORD = {"de": "Die", "fr": "régions"}


# --- Set-up through the API (mona, the moderator) ---------------------------------------


def newest_revision(api: Api, paragraph_id: int, lang: str) -> int:
    revisions = api.call("GET", f"/api/v1/paragraphs/{paragraph_id}/revisions?lang={lang}")
    return int(revisions[0]["id"])


def save_text(api: Api, paragraph_id: int, lang: str, text: str) -> None:
    api.call(
        "PATCH",
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        {"text": text, "base_revision_id": newest_revision(api, paragraph_id, lang)},
    )


def confirm_pair(api: Api, paragraph_id: int) -> None:
    api.call(
        "POST",
        f"/api/v1/paragraphs/{paragraph_id}/alignment",
        {
            "de_revision_id": newest_revision(api, paragraph_id, "de"),
            "fr_revision_id": newest_revision(api, paragraph_id, "fr"),
        },
    )


def new_document(base_url: str, *texts: dict[str, str]) -> tuple[int, list[int]]:
    """A document of its own with one paragraph per pair of texts, each pair confirmed as
    saying the same thing (in sync)."""
    with closing(Api(base_url, "mona")) as api:
        document = api.call(
            "POST",
            "/api/v1/groups/waerme-grenzregion/documents",
            {"title_de": "Ohne JavaScript", "title_fr": "Sans JavaScript"},
            201,
        )
        paragraph_ids = []
        for pair in texts:
            paragraph = api.call(
                "POST",
                f"/api/v1/documents/{document['id']}/paragraphs",
                {"kind": "recommendation", "de": pair["de"], "fr": pair["fr"]},
                201,
            )
            confirm_pair(api, paragraph["id"])
            paragraph_ids.append(paragraph["id"])
    return document["id"], paragraph_ids


# --- The browser, without JavaScript ----------------------------------------------------


def page_without_javascript(chromium: Browser) -> Page:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    return context.new_page()


def snapshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"nojs-{name}.png"), full_page=True)


def choose_interface_language(page: Page, language: str) -> None:
    """The language switch in the page header: a plain form, stored for the user."""
    page.select_option("#language-select", language)
    page.locator("form.language-switch button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@contextmanager
def speaking(page: Page, language: str) -> Iterator[None]:
    """The logged-in user works in ``language`` and gets their own language back after,
    so that the other tests find the demo users as seeded."""
    before = page.locator("html").get_attribute("lang")
    assert before is not None
    choose_interface_language(page, language)
    try:
        yield
    finally:
        if before != language:
            choose_interface_language(page, before)


def change_phase(page: Page, phase: str) -> None:
    page.locator("details.phase-change > summary").click()
    page.select_option("#phase-target", phase)
    page.locator("details.phase-change button[type=submit]").click()
    expect(page.locator(".badge.phase")).to_have_class(re.compile(rf"\bphase--{phase}\b"))


# --- Member: drafts in their language, translates into it ------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_member_drafts_and_translates_without_javascript(
    chromium: Browser, live_server: str, language: str
) -> None:
    other = OTHER[language]
    document_id, (drafted, translated) = new_document(live_server, MUNICIPALITIES, NETWORKS)
    # Someone revises the other language of the second paragraph: it needs translating.
    with closing(Api(live_server, "mona")) as mona:
        save_text(mona, translated, other, NETWORKS_REVISED[other])

    page = page_without_javascript(chromium)
    try:
        log_in(page, live_server, MEMBER[language])
        page.goto(f"{live_server}/documents/{document_id}")
        expect(page.locator("html")).to_have_attribute("lang", language)

        # Drafting: edit the paragraph in one's own language, then read its history.
        article = page.locator(f"#p-{drafted}")
        own_side = article.locator(f".paragraph__side[lang={language}]")
        own_side.locator("details.editor > summary").click()
        own_side.locator("details.editor textarea").fill(TOGETHER[language])
        own_side.locator("details.editor button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/documents/{document_id}#p-{drafted}$"))
        expect(own_side.locator(".paragraph__text")).to_have_text(TOGETHER[language])
        expect(article.locator("[data-alignment]")).to_have_attribute(
            "data-alignment", f"{other}_outdated"
        )
        snapshot(page, f"member-{language}-drafted")
        own_side.locator("a[href*=history]").click()
        expect(page).to_have_url(re.compile(rf"/paragraphs/{drafted}/history\?lang={language}"))
        expect(page.locator("#diff ins").first).to_contain_text(ADDED[language])
        snapshot(page, f"member-{language}-history")

        # Translating: from the document's translation status to the queue into one's own
        # language, where the change in the other language is shown word by word.
        page.goto(f"{live_server}/documents/{document_id}")
        page.locator(f"a.alignment-count[data-status={language}_outdated]").click()
        expect(page).to_have_url(re.compile(rf"/documents/{document_id}/translate\?to={language}"))
        expect(page.locator("section.translation-item")).to_have_count(1)
        item = page.locator(f"#t-{translated}")
        expect(item.locator(f"[lang={other}] .translation-source ins").first).to_contain_text(
            REVISED_WORD[other]
        )
        snapshot(page, f"member-{language}-translation-queue")

        item.locator(f"#target-{translated}").fill(NETWORKS_REVISED[language])
        item.locator("form.translation-target button[type=submit]").click()
        expect(page).to_have_url(
            re.compile(rf"/documents/{document_id}/translate\?to={language}#t-{translated}$")
        )
        expect(item.locator("[data-alignment]")).to_have_attribute("data-alignment", "both_changed")
        item.locator("form.alignment-confirm button[type=submit]").click()
        expect(page.locator("section.translation-item")).to_have_count(0)
        expect(page.locator("main .notice[role=status]")).to_be_visible()
        snapshot(page, f"member-{language}-translation-done")

        page.goto(f"{live_server}/documents/{document_id}")
        done = page.locator(f"#p-{translated}")
        expect(done.locator("[data-alignment]")).to_have_attribute("data-alignment", "in_sync")
        expect(done.locator(f".paragraph__side[lang={language}] .paragraph__text")).to_have_text(
            NETWORKS_REVISED[language]
        )
        snapshot(page, f"member-{language}-document")
    finally:
        page.context.close()


# --- Moderator: an amendment round, consolidation, a version, the review version --------


@pytest.mark.parametrize("language", LANGUAGES)
def test_moderator_runs_an_amendment_round_and_freezes_versions_without_javascript(
    chromium: Browser, live_server: str, language: str
) -> None:
    other = OTHER[language]
    document_id, (paragraph_id,) = new_document(live_server, MUNICIPALITIES)
    document_url = f"{live_server}/documents/{document_id}"
    moderator, member = page_without_javascript(chromium), page_without_javascript(chromium)
    try:
        log_in(moderator, live_server, "mona")
        with speaking(moderator, language):
            moderator.goto(document_url)
            change_phase(moderator, "amendments")

            # A member of the same language proposes new text with a justification.
            log_in(member, live_server, MEMBER[language])
            member.goto(document_url)
            expect(member.locator("html")).to_have_attribute("lang", language)
            article = member.locator(f"#p-{paragraph_id}")
            article.locator("details.amendment-propose > summary").click()
            article.locator(f"#amend-{paragraph_id}-{language}").fill(TOGETHER[language])
            article.locator(f"#amend-{paragraph_id}-justification").fill(JUSTIFICATION[language])
            article.locator("details.amendment-propose button[type=submit]").click()
            expect(member.locator(f"#p-{paragraph_id} .amendment ins").first).to_be_visible()
            snapshot(member, f"moderator-{language}-amendment-proposed")

            # The moderator accepts it: the other language is now behind.
            moderator.goto(document_url)
            moderator.locator(
                f"#p-{paragraph_id} form[action$='/decision']:has(input[value=accept])"
                " button[type=submit]"
            ).first.click()
            article = moderator.locator(f"#p-{paragraph_id}")
            expect(
                article.locator(f".paragraph__side[lang={language}] .paragraph__text")
            ).to_have_text(TOGETHER[language])
            expect(article.locator(".amendment")).to_have_count(0)
            expect(article.locator("[data-alignment]")).to_have_attribute(
                "data-alignment", f"{other}_outdated"
            )
            snapshot(moderator, f"moderator-{language}-accepted")

            # Consolidation: the moderator aligns the other language and confirms the pair.
            change_phase(moderator, "consolidation")
            other_side = article.locator(f".paragraph__side[lang={other}]")
            other_side.locator("details.editor > summary").click()
            other_side.locator("details.editor textarea").fill(TOGETHER[other])
            other_side.locator("details.editor button[type=submit]").click()
            expect(other_side.locator(".paragraph__text")).to_have_text(TOGETHER[other])
            article.locator("form.alignment-confirm button[type=submit]").click()
            expect(article.locator("[data-alignment]")).to_have_attribute(
                "data-alignment", "in_sync"
            )

            # A labelled version, frozen from the versions page.
            moderator.locator(
                f".versions-links a[href$='/documents/{document_id}/versions']"
            ).click()
            expect(moderator.locator("h1")).to_be_visible()
            moderator.fill("#label", f"Konsolidiert / consolidé ({language})")
            moderator.locator(
                f"form[action$='/documents/{document_id}/versions'] button[type=submit]"
            ).click()
            expect(moderator).to_have_url(re.compile(rf"/documents/{document_id}/versions/1$"))
            expect(moderator.locator("h1")).to_contain_text(f"consolidé ({language})")
            for lang in LANGUAGES:
                expect(
                    moderator.locator(
                        f".version-text #p-{paragraph_id} .paragraph__text[lang={lang}]"
                    )
                ).to_have_text(TOGETHER[lang])
            snapshot(moderator, f"moderator-{language}-version")

            # Opening the review freezes the review version (in sync: no reason needed).
            moderator.goto(document_url)
            change_phase(moderator, "review")
            expect(moderator.locator(".review-banner a[href$='/review']")).to_be_visible()
            snapshot(moderator, f"moderator-{language}-in-review")
            moderator.goto(f"{document_url}/versions")
            versions = moderator.locator("table.versions")
            for number in (1, 2):
                expect(
                    versions.locator(f"a[href$='/documents/{document_id}/versions/{number}']")
                ).to_have_count(1)
            snapshot(moderator, f"moderator-{language}-versions")
    finally:
        moderator.context.close()
        member.context.close()


# --- Liaison: requests a change, then approves the next review version ------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_liaison_reviews_and_approves_without_javascript(
    chromium: Browser, live_server: str, language: str
) -> None:
    other = OTHER[language]
    document_id, (paragraph_id,) = new_document(live_server, NETWORKS)
    document_url = f"{live_server}/documents/{document_id}"
    api_base = f"/api/v1/documents/{document_id}"
    with closing(Api(live_server, "mona")) as mona:
        for phase in ("amendments", "consolidation", "review"):
            mona.call("POST", f"{api_base}/phase", {"phase": phase})

    page = page_without_javascript(chromium)
    try:
        log_in(page, live_server, LIAISON[language])
        page.goto(document_url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.locator(".review-banner a[href$='/review']").click()
        expect(page).to_have_url(re.compile(rf"/documents/{document_id}/review$"))
        decision = page.locator(".review-decision")
        expect(decision).to_be_visible()
        expect(page.locator(f"table.compare td[lang={language}]").first).to_contain_text(
            NETWORKS[language]
        )
        snapshot(page, f"liaison-{language}-review")

        # The liaison asks for a change: the document goes back to consolidation.
        decision.locator("input[name=decision][value=request_changes]").check()
        decision.locator("textarea[name=comment]").fill(
            {"de": "„Länder“: Bund und Länder nennen.", "fr": "« régions » : préciser."}[language]
        )
        decision.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/review\?done=request_changes$"))
        expect(page.locator("main .notice[role=status]")).to_be_visible()
        expect(page.locator(".badge.phase")).to_have_class(re.compile(r"\bphase--consolidation\b"))
        expect(page.locator(".review-decision")).to_have_count(0)
        snapshot(page, f"liaison-{language}-changes-requested")

        # The moderators revise both languages and send review version 2; the other
        # government's liaison approves it first.
        with closing(Api(live_server, "mona")) as mona:
            for lang in LANGUAGES:
                save_text(mona, paragraph_id, lang, NETWORKS_REVISED[lang])
            confirm_pair(mona, paragraph_id)
            mona.call("POST", f"{api_base}/phase", {"phase": "review"})
        with closing(Api(live_server, LIAISON[other])) as other_liaison:
            other_liaison.call(
                "POST", f"{api_base}/reviews", {"version": 2, "decision": "approve"}, 201
            )

        # The liaison sees what changed since the version they reviewed, and approves.
        page.goto(f"{document_url}/review")
        changes = page.locator(f"table.compare td[lang={language}]").first
        expect(changes.locator("ins").first).to_contain_text(REVISED_WORD[language])
        expect(changes.locator("del").first).to_contain_text(REMOVED_WORD[language])
        expect(page.locator("input[name=version]")).to_have_value("2")
        snapshot(page, f"liaison-{language}-review-changes")
        decision = page.locator(".review-decision")
        decision.locator("input[name=decision][value=approve]").check()
        decision.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/review\?done=approve$"))
        expect(page.locator("main .notice[role=status]").first).to_be_visible()

        # Both governments approved version 2: the document is adopted.
        expect(page.locator(".badge.phase")).to_have_class(re.compile(r"\bphase--adopted\b"))
        expect(page.locator("table.reviews tbody tr")).to_have_count(3)
        snapshot(page, f"liaison-{language}-approved")
        page.goto(document_url)
        banner = page.locator(".adopted-banner")
        for name in LIAISON_NAMES:
            expect(banner).to_contain_text(name)
        expect(banner.locator(f"a[href$='/documents/{document_id}/versions/2']")).to_be_visible()
        snapshot(page, f"liaison-{language}-adopted")
    finally:
        page.context.close()
