"""A government liaison reviews in the browser: requests a change, then approves."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import Api, log_in

pytestmark = pytest.mark.e2e


def test_liaison_requests_a_change_then_approves_the_next_version(
    page: Page, live_server: str
) -> None:
    mona = Api(live_server, "mona")
    liaison_de = Api(live_server, "liaison-de")
    try:
        review_in_browser(page, live_server, mona, liaison_de)
    finally:
        mona.close()
        liaison_de.close()


def review_in_browser(page: Page, live_server: str, mona: Api, liaison_de: Api) -> None:
    # A document of its own, so the demo document stays as other browser tests expect it.
    document = mona.call(
        "POST",
        "/api/v1/groups/waerme-grenzregion/documents",
        {"title_de": "Prüfauftrag Wärmenetze", "title_fr": "Mandat d'examen réseaux de chaleur"},
        201,
    )
    base = f"/api/v1/documents/{document['id']}"
    paragraph = mona.call(
        "POST",
        f"{base}/paragraphs",
        {
            "kind": "recommendation",
            "de": "Die Länder fördern grenzüberschreitende Wärmenetze.",
            "fr": "Les régions soutiennent les réseaux de chaleur transfrontaliers.",
        },
        201,
    )
    for phase in ("amendments", "consolidation"):
        mona.call("POST", f"{base}/phase", {"phase": phase})
    mona.call("POST", f"{base}/phase", {"phase": "review", "reason": "Abstimmung folgt."})

    log_in(page, live_server, "liaison-fr")
    page.goto(f"{live_server}/documents/{document['id']}/review")
    decision = page.locator(".review-decision")
    expect(decision).to_be_visible()
    expect(page.locator("main")).to_contain_text("Abstimmung folgt.")
    decision.locator("input[name=decision][value=request_changes]").check()
    decision.locator("textarea[name=comment]").fill("« régions » : préciser « États et Länder ».")
    decision.locator("button[type=submit]").click()
    expect(page.locator(".notice[role=status]")).to_be_visible()
    expect(page.locator(".phase--consolidation").first).to_be_visible()
    expect(page.locator(".review-decision")).to_have_count(0)

    # The moderators revise the French text and send a second review version.
    current = mona.call("GET", base)["paragraphs"][0]["texts"]["fr"]
    mona.call(
        "PATCH",
        f"/api/v1/paragraphs/{paragraph['id']}/texts/fr",
        {
            "text": "Les États et les Länder soutiennent les réseaux de chaleur transfrontaliers.",
            "base_revision_id": current["revision_id"],
        },
    )
    mona.call("POST", f"{base}/phase", {"phase": "review", "reason": "Abstimmung folgt."})

    page.goto(f"{live_server}/documents/{document['id']}/review")
    changes = page.locator("table.compare td[lang=fr]").first
    expect(changes.locator("del")).to_contain_text("régions")
    expect(changes.locator("ins")).to_contain_text("États")
    decision = page.locator(".review-decision")
    decision.locator("input[name=decision][value=approve]").check()
    decision.locator("button[type=submit]").click()
    expect(page.locator(".notice[role=status]")).to_be_visible()

    # With the German approval of the same version the document is adopted.
    result = liaison_de.call(
        "POST", f"{base}/reviews", {"version": 2, "decision": "approve", "comment": ""}, 201
    )
    assert result["adopted"] is True
    page.goto(f"{live_server}/documents/{document['id']}")
    banner = page.locator(".adopted-banner")
    expect(banner).to_contain_text("Hélène Martin")
    expect(banner).to_contain_text("Anna Schmidt")
