"""Amendments through the real routes: propose, support, withdraw, rebase, decide, merge."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlmodel import col, select

from app.models import AuditEntry, DocumentEventRow
from tests.helpers.amendments import open_amendments, paragraph, propose, proposed
from tests.helpers.factories import World, assert_error, session_of
from tests.helpers.statements import lengthen_document, repeated, statements_of

TEXT_DE = "Viele Kommunen haben den Klimanotstand ausgerufen."
TEXT_FR = "De nombreuses collectivités ont déclaré l'urgence climatique."


def decide(world: World, amendment_id: int, who: str = "moderator", **body: Any) -> Any:
    return world.api(who).post(f"/api/v1/amendments/{amendment_id}/decision", json=body)


def listing(world: World, query: str = "") -> list[dict[str, Any]]:
    answer = world.api("member").get(f"/api/v1/documents/{world.document_id}/amendments{query}")
    assert answer.status_code == 200, answer.text
    result: list[dict[str, Any]] = answer.json()
    return result


def edit(world: World, text: str, lang: str = "de", pid: int | None = None) -> None:
    pid = pid or paragraph(world)
    base = world.current(pid, lang)["revision_id"]
    answer = world.api("moderator").patch(
        f"/api/v1/paragraphs/{pid}/texts/{lang}", json={"text": text, "base_revision_id": base}
    )
    assert answer.status_code == 200, answer.text


# --- proposing ---------------------------------------------------------------------------


def test_member_proposes_an_amendment_with_a_justification(world: World) -> None:
    open_amendments(world)
    base = world.current(paragraph(world))["revision_id"]
    body = proposed(world, de="Die meisten Kommunen haben den Klimanotstand ausgerufen.")
    assert body["status"] == "open"
    assert body["rebase_state"] == "clean"
    assert body["texts"] == {"de": "Die meisten Kommunen haben den Klimanotstand ausgerufen."}
    assert body["base_revision_ids"] == {"de": base}
    assert body["justification"] == "Präziser."
    assert body["author"] == "jonas"
    assert body["supporters"] == []
    assert body["paragraph_id"] == paragraph(world)
    assert body["created_at"]


def test_amendments_cannot_be_proposed_while_drafting(world: World) -> None:
    assert_error(propose(world, de="Neu."), 403, "forbidden")


def test_a_justification_is_required(world: World) -> None:
    open_amendments(world)
    assert_error(propose(world, de="Neu.", justification="   "), 422, "validation_error")
    answer = world.api("member").post(
        f"/api/v1/paragraphs/{paragraph(world)}/amendments", json={"texts": {"de": "Neu."}}
    )
    assert_error(answer, 422, "validation_error")


def test_an_amendment_must_change_at_least_one_language(world: World) -> None:
    open_amendments(world)
    assert_error(propose(world), 422, "validation_error")
    error = assert_error(propose(world, de=TEXT_DE), 422, "validation_error")
    assert "changes nothing" in error["message"]


def test_base_revisions_must_belong_to_the_paragraph_and_language(world: World) -> None:
    open_amendments(world)
    pid = paragraph(world)
    other = world.current(world.paragraph_ids[2])["revision_id"]
    fr_base = world.current(pid, "fr")["revision_id"]
    api = world.api("member")
    for bases in ({"de": other}, {"de": fr_base}, {}, {"de": 2**62}):
        answer = api.post(
            f"/api/v1/paragraphs/{pid}/amendments",
            json={"texts": {"de": "Neu."}, "base_revision_ids": bases, "justification": "x"},
        )
        assert_error(answer, 422, "validation_error")


def test_hostile_justifications_are_stored_exactly_and_escaped(world: World) -> None:
    open_amendments(world)
    hostile = (
        "<script>alert('x')</script> \u202eevil\u202c Cafe\u0301 🇩🇪 '; DROP TABLE amendment;--"
    )
    body = proposed(world, de="Neu und besser.", justification=hostile)
    assert body["justification"] == unicodedata.normalize("NFC", hostile)
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert_error(propose(world, de="Neu.", justification="a\x00b"), 422, "validation_error")
    assert_error(propose(world, de="Neu\x00.", justification="ok"), 422, "validation_error")


def test_liaisons_and_outsiders_cannot_take_part(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    assert_error(propose(world, "liaison_de", de="Neu!"), 403, "forbidden")
    assert_error(propose(world, "outsider", de="Neu!"), 404, "not_found")
    for who, status, code in (("liaison_fr", 403, "forbidden"), ("outsider", 404, "not_found")):
        api = world.api(who)
        assert_error(api.post(f"/api/v1/amendments/{amendment['id']}/support"), status, code)
        assert_error(
            decide(world, amendment["id"], who, decision="accept", reason=""), status, code
        )
    assert_error(
        world.api("outsider").get(f"/api/v1/amendments/{amendment['id']}"), 404, "not_found"
    )
    assert_error(
        world.api("outsider").get(f"/api/v1/documents/{world.document_id}/amendments"),
        404,
        "not_found",
    )
    # Liaisons read the list.
    assert (
        world.api("liaison_de").get(f"/api/v1/documents/{world.document_id}/amendments").status_code
        == 200
    )


def test_odd_amendment_ids_are_404_or_422_never_500(world: World) -> None:
    api = world.api("member")
    for raw in ("0", "-1", "abc", str(2**64), "1.5"):
        assert api.get(f"/api/v1/amendments/{raw}").status_code == 422
    assert_error(api.get("/api/v1/amendments/987654"), 404, "not_found")
    # Beyond a database integer: refused before any query (the contract allows 404 or 422).
    assert api.get(f"/api/v1/amendments/{2**40}").status_code == 422
    assert_error(api.post("/api/v1/amendments/987654/support"), 404, "not_found")


# --- supporting and withdrawing ------------------------------------------------------------


def test_members_support_once_and_authors_cannot_support_their_own(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    url = f"/api/v1/amendments/{amendment['id']}/support"
    assert world.api("moderator").post(url).json()["supporters"] == ["mona"]
    assert world.api("moderator").post(url).json()["supporters"] == ["mona"]
    assert_error(world.api("member").post(url), 409, "conflict")
    assert listing(world)[0]["supporters"] == ["mona"]


def test_support_is_only_possible_in_the_amendments_phase(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/phase", json={"phase": "consolidation"}
    )
    answer = world.api("moderator").post(f"/api/v1/amendments/{amendment['id']}/support")
    assert_error(answer, 403, "forbidden")


def test_only_the_author_withdraws_an_amendment(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    url = f"/api/v1/amendments/{amendment['id']}/withdraw"
    assert_error(world.api("moderator").post(url), 403, "forbidden")
    assert_error(world.api("liaison_de").post(url), 403, "forbidden")
    assert world.api("member").post(url).json()["status"] == "withdrawn"
    assert_error(world.api("member").post(url), 409, "conflict")
    assert_error(decide(world, amendment["id"], decision="accept", reason=""), 409, "conflict")


# --- deciding ----------------------------------------------------------------------------


def test_moderator_accepts_and_the_text_becomes_an_amendment_revision(world: World) -> None:
    open_amendments(world)
    new = "Die meisten Kommunen haben den Klimanotstand ausgerufen."
    amendment = proposed(world, de=new)
    answer = decide(world, amendment["id"], decision="accept", reason="Einverstanden.")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "accepted"
    assert answer.json()["decided_by"] == "mona"
    assert world.current(paragraph(world))["text"] == new
    revisions = (
        world.api("member").get(f"/api/v1/paragraphs/{paragraph(world)}/revisions?lang=de").json()
    )
    assert revisions[0]["source"] == "amendment" and revisions[0]["text"] == new
    assert world.current(paragraph(world), "fr")["text"] == TEXT_FR
    assert_error(decide(world, amendment["id"], decision="reject", reason="x"), 409, "conflict")
    with session_of(world.app) as session:
        actions = session.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))).all()
        events = session.exec(select(DocumentEventRow.kind, DocumentEventRow.paragraph_id)).all()
    assert {"amendment.propose", "amendment.accept", "text.amendment"} <= set(actions)
    pid = paragraph(world)
    assert {("amendment_proposed", pid), ("amendment_decided", pid)} <= set(events)


def test_members_cannot_decide_amendments(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    assert_error(decide(world, amendment["id"], "member", decision="accept"), 403, "forbidden")


def test_rejecting_needs_a_reason_and_leaves_the_text(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    assert_error(
        decide(world, amendment["id"], decision="reject", reason=" "), 422, "validation_error"
    )
    assert_error(
        decide(world, amendment["id"], decision="maybe", reason="x"), 422, "validation_error"
    )
    answer = decide(world, amendment["id"], decision="reject", reason="Zu knapp.")
    assert answer.json()["status"] == "rejected"
    assert answer.json()["decision_reason"] == "Zu knapp."
    assert world.current(paragraph(world))["text"] == TEXT_DE


def test_accepting_with_modifications_keeps_the_proposal_and_the_applied_text(
    world: World,
) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Alle Kommunen haben den Klimanotstand ausgerufen.")
    assert_error(
        decide(world, amendment["id"], decision="accept_modified", reason="x"),
        422,
        "validation_error",
    )
    modified = "Sehr viele Kommunen haben den Klimanotstand ausgerufen."
    answer = decide(
        world, amendment["id"], decision="accept_modified", texts={"de": modified}, reason="Milder."
    )
    body = answer.json()
    assert body["status"] == "accepted_modified"
    assert body["texts"] == {"de": "Alle Kommunen haben den Klimanotstand ausgerufen."}
    assert body["applied_texts"] == {"de": modified}
    assert world.current(paragraph(world))["text"] == modified


def test_accepting_a_one_language_amendment_flags_the_other_language(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu formuliert.")
    decide(world, amendment["id"], decision="accept", reason="")
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert 'data-not-updated="fr"' in page
    assert "FR not updated" in page
    edit(world, "Reformulé.", "fr")
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "data-not-updated" not in page


# --- rebasing ------------------------------------------------------------------------------


def test_an_edit_elsewhere_rebases_the_amendment_cleanly(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Viele Gemeinden haben den Klimanotstand ausgerufen.")
    edit(world, "Viele Kommunen haben den Klimanotstand 2019 ausgerufen.")
    current = world.current(paragraph(world))
    [listed] = listing(world)
    assert listed["rebase_state"] == "clean"
    assert listed["texts"]["de"] == "Viele Gemeinden haben den Klimanotstand 2019 ausgerufen."
    assert listed["base_revision_ids"]["de"] == current["revision_id"]
    answer = decide(world, amendment["id"], decision="accept", reason="")
    assert answer.status_code == 200, answer.text
    assert world.current(paragraph(world))["text"] == (
        "Viele Gemeinden haben den Klimanotstand 2019 ausgerufen."
    )


def test_an_edit_in_the_same_place_needs_a_rebase_before_acceptance(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    edit(world, "Einige Kommunen haben den Klimanotstand ausgerufen.")
    [listed] = listing(world)
    assert listed["rebase_state"] == "needs_rebase"
    assert (
        listed["conflicts"]["de"]["theirs"] == "Einige Kommunen haben den Klimanotstand ausgerufen."
    )
    assert [a["id"] for a in listing(world, "?status=needs_rebase")] == [amendment["id"]]
    error = assert_error(
        decide(world, amendment["id"], decision="accept", reason=""), 409, "conflict"
    )
    assert "rebase" in error["message"]
    assert world.current(paragraph(world))["text"] == (
        "Einige Kommunen haben den Klimanotstand ausgerufen."
    )
    # Only the author resolves it, on the current revision.
    current = world.current(paragraph(world))
    body = {
        "texts": {"de": "Nur wenige Kommunen haben den Klimanotstand ausgerufen."},
        "base_revision_ids": {"de": current["revision_id"]},
    }
    url = f"/api/v1/amendments/{amendment['id']}/rebase"
    assert_error(world.api("moderator").post(url, json=body), 403, "forbidden")
    resolved = world.api("member").post(url, json=body)
    assert resolved.json()["rebase_state"] == "clean"
    assert decide(world, amendment["id"], decision="accept", reason="").status_code == 200
    assert world.current(paragraph(world))["text"] == (
        "Nur wenige Kommunen haben den Klimanotstand ausgerufen."
    )


def test_a_moderator_may_settle_a_conflicting_amendment_with_modifications(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    edit(world, "Einige Kommunen haben den Klimanotstand ausgerufen.")
    answer = decide(
        world,
        amendment["id"],
        decision="accept_modified",
        texts={"de": "Einige wenige Kommunen haben den Klimanotstand ausgerufen."},
        reason="Beides.",
    )
    assert answer.json()["status"] == "accepted_modified"


def test_accepting_one_competing_amendment_rebases_or_closes_the_others(world: World) -> None:
    open_amendments(world)
    accepted = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    conflicting = proposed(world, de="Einige Kommunen haben den Klimanotstand ausgerufen.")
    same = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    elsewhere = proposed(world, de="Viele Kommunen haben den Klimanotstand erklärt.")
    french = proposed(world, fr="Plusieurs collectivités ont déclaré l'urgence climatique.")
    assert decide(world, accepted["id"], decision="accept", reason="").status_code == 200
    by_id = {a["id"]: a for a in listing(world)}
    assert by_id[conflicting["id"]]["rebase_state"] == "needs_rebase"
    assert by_id[same["id"]]["status"] == "obsolete"
    assert by_id[elsewhere["id"]]["status"] == "open"
    assert (
        by_id[elsewhere["id"]]["texts"]["de"] == "Wenige Kommunen haben den Klimanotstand erklärt."
    )
    assert by_id[french["id"]]["rebase_state"] == "clean"
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    counts = {p["id"]: p["open_amendments"] for p in document["paragraphs"]}
    assert counts[paragraph(world)] == 3
    assert_error(decide(world, same["id"], decision="accept", reason=""), 409, "conflict")


def test_an_amendment_made_obsolete_by_an_edit_is_closed_at_the_next_decision(
    world: World,
) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    edit(world, "Neu.")
    assert listing(world)[0]["status"] == "obsolete"
    assert listing(world, "?status=open") == []
    error = assert_error(
        decide(world, amendment["id"], decision="accept", reason=""), 409, "conflict"
    )
    assert "obsolete" in error["message"]
    assert world.api("member").get(f"/api/v1/amendments/{amendment['id']}").json()["status"] == (
        "obsolete"
    )


# --- merging several -----------------------------------------------------------------------


def test_moderator_previews_and_applies_several_amendments_in_one_pass(world: World) -> None:
    open_amendments(world)
    first = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    second = proposed(world, de="Viele Kommunen haben den Klimanotstand erklärt.")
    third = proposed(world, fr="Plusieurs collectivités ont déclaré l'urgence climatique.")
    ids = [first["id"], second["id"], third["id"]]
    pid = paragraph(world)
    before = world.current(pid)["revision_id"]
    preview = world.api("moderator").post(
        f"/api/v1/paragraphs/{pid}/amendments/merge-preview", json={"amendment_ids": ids}
    )
    assert preview.status_code == 200, preview.text
    assert preview.json()["clean"] is True
    assert preview.json()["texts"] == {
        "de": "Wenige Kommunen haben den Klimanotstand erklärt.",
        "fr": "Plusieurs collectivités ont déclaré l'urgence climatique.",
    }
    assert world.current(pid)["revision_id"] == before
    assert_error(
        world.api("member").post(
            f"/api/v1/paragraphs/{pid}/amendments/merge", json={"amendment_ids": ids}
        ),
        403,
        "forbidden",
    )
    applied = world.api("moderator").post(
        f"/api/v1/paragraphs/{pid}/amendments/merge", json={"amendment_ids": ids, "reason": "Ok"}
    )
    assert applied.status_code == 200, applied.text
    assert world.current(pid)["text"] == "Wenige Kommunen haben den Klimanotstand erklärt."
    assert {a["status"] for a in listing(world)} == {"accepted"}
    revisions = world.api("member").get(f"/api/v1/paragraphs/{pid}/revisions?lang=de").json()
    assert [r["source"] for r in revisions[:2]] == ["amendment", "human"]


def test_merging_conflicting_amendments_is_refused_and_changes_nothing(world: World) -> None:
    open_amendments(world)
    first = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    second = proposed(world, de="Einige Kommunen haben den Klimanotstand ausgerufen.")
    pid = paragraph(world)
    body = {"amendment_ids": [first["id"], second["id"]]}
    preview = (
        world.api("moderator")
        .post(f"/api/v1/paragraphs/{pid}/amendments/merge-preview", json=body)
        .json()
    )
    assert preview["clean"] is False
    assert [s["merged"] for s in preview["steps"]] == [True, False]
    answer = world.api("moderator").post(f"/api/v1/paragraphs/{pid}/amendments/merge", json=body)
    assert_error(answer, 409, "conflict")
    assert world.current(pid)["text"] == TEXT_DE
    assert {a["status"] for a in listing(world)} == {"open"}
    one = world.api("moderator").post(
        f"/api/v1/paragraphs/{pid}/amendments/merge-preview", json={"amendment_ids": [first["id"]]}
    )
    assert_error(one, 422, "validation_error")


# --- listing and counts --------------------------------------------------------------------


def test_the_list_filters_by_status_language_author_and_paragraph(world: World) -> None:
    open_amendments(world)
    german = proposed(world, de="Neu.")
    french = proposed(world, "moderator", fr="Nouveau.")
    other = proposed(world, de="Anders.", pid=world.paragraph_ids[2])
    world.api("member").post(f"/api/v1/amendments/{german['id']}/withdraw")
    assert [a["id"] for a in listing(world, "?status=open")] == [french["id"], other["id"]]
    assert [a["id"] for a in listing(world, "?status=withdrawn")] == [german["id"]]
    assert [a["id"] for a in listing(world, "?lang=fr")] == [french["id"]]
    assert [a["id"] for a in listing(world, "?author=mona")] == [french["id"]]
    assert [a["id"] for a in listing(world, f"?paragraph={world.paragraph_ids[2]}")] == [
        other["id"]
    ]
    bad = world.api("member").get(f"/api/v1/documents/{world.document_id}/amendments?status=x")
    assert_error(bad, 422, "validation_error")


def test_the_document_json_counts_open_amendments(world: World) -> None:
    open_amendments(world)
    proposed(world, de="Neu.")
    proposed(world, fr="Nouveau.")
    withdrawn = proposed(world, de="Anders.")
    world.api("member").post(f"/api/v1/amendments/{withdrawn['id']}/withdraw")
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    assert [p["open_amendments"] for p in document["paragraphs"]] == [0, 2, 0]


def test_document_page_and_json_with_amendments_run_a_constant_number_of_queries(
    world: World,
) -> None:
    open_amendments(world)
    for pid in world.paragraph_ids:
        amendment = proposed(world, de=f"Geändert {pid}.", pid=pid)
        world.api("moderator").post(f"/api/v1/amendments/{amendment['id']}/support")
    browser, api = world.browser("member"), world.api("member")
    page_path, api_path = (
        f"/documents/{world.document_id}",
        f"/api/v1/documents/{world.document_id}",
    )
    short_page = statements_of(world.app, lambda: browser.get(page_path))
    short_api = statements_of(world.app, lambda: api.get(api_path))
    lengthen_document(world, 60)
    for pid in world.paragraph_ids[3:]:
        amendment = proposed(world, de=f"Geändert {pid}.", pid=pid)
        world.api("moderator").post(f"/api/v1/amendments/{amendment['id']}/support")
    long_page = statements_of(world.app, lambda: browser.get(page_path))
    long_api = statements_of(world.app, lambda: api.get(api_path))
    assert len(long_page) == len(short_page), repeated(short_page, long_page)
    assert len(long_api) == len(short_api), repeated(short_api, long_api)
    assert browser.get(page_path).text.count('class="amendment card"') == 60


# --- in the browser ------------------------------------------------------------------------


def test_the_proposal_form_is_shown_only_in_the_amendments_phase(world: World) -> None:
    browser = world.browser("member")
    assert "Propose an amendment" not in browser.get(f"/documents/{world.document_id}").text
    open_amendments(world)
    page = browser.get(f"/documents/{world.document_id}").text
    assert "Propose an amendment" in page
    assert (
        "Propose an amendment"
        not in world.browser("liaison_de").get(f"/documents/{world.document_id}").text
    )


def test_a_whole_amendment_round_in_the_browser_without_javascript(world: World) -> None:
    open_amendments(world)
    pid = paragraph(world)
    member = world.browser("member")
    answer = member.post(
        f"/paragraphs/{pid}/amendments",
        {
            "de": "Die meisten Kommunen haben den Klimanotstand ausgerufen.",
            "fr": TEXT_FR,
            "de_base_revision_id": world.current(pid)["revision_id"],
            "fr_base_revision_id": world.current(pid, "fr")["revision_id"],
            "justification": "Genauer.",
        },
    )
    assert answer.status_code == 303
    [amendment] = listing(world)
    assert amendment["texts"] == {"de": "Die meisten Kommunen haben den Klimanotstand ausgerufen."}
    page = member.get(f"/documents/{world.document_id}").text
    assert "<del>Viele</del>" in page and "<ins>Die meisten</ins>" in page
    moderator = world.browser("moderator")
    supported = moderator.post(
        f"/amendments/{amendment['id']}/support", headers={"HX-Request": "true"}
    )
    assert supported.status_code == 200
    assert supported.text.lstrip().startswith(f'<article id="p-{pid}"')
    assert "1 supporter" in supported.text
    assert moderator.get(f"/amendments/{amendment['id']}").status_code == 200
    listing_page = moderator.get(f"/documents/{world.document_id}/amendments?status=open")
    assert f"Amendment {amendment['id']}" in listing_page.text
    decided = moderator.post(
        f"/amendments/{amendment['id']}/decision",
        {"decision": "accept", "reason": "", "back": "amendment"},
    )
    assert decided.status_code == 303
    assert world.current(pid)["text"] == "Die meisten Kommunen haben den Klimanotstand ausgerufen."


def test_a_refused_proposal_keeps_the_typed_text_in_the_paragraph(world: World) -> None:
    open_amendments(world)
    pid = paragraph(world)
    answer = world.browser("member").post(
        f"/paragraphs/{pid}/amendments",
        {
            "de": "Mein sorgfältig getippter Vorschlag.",
            "de_base_revision_id": world.current(pid)["revision_id"],
            "justification": "",
        },
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 422
    assert "Mein sorgfältig getippter Vorschlag." in answer.text
    assert "needs a justification" in answer.text


def test_a_liaison_gets_403_and_an_outsider_404_from_the_forms(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Neu.")
    liaison = world.browser("liaison_de")
    assert liaison.post(f"/amendments/{amendment['id']}/support").status_code == 403
    outsider = world.browser("outsider")
    assert outsider.post(f"/amendments/{amendment['id']}/support").status_code == 404
    assert outsider.get(f"/amendments/{amendment['id']}").status_code == 404
    assert outsider.get(f"/documents/{world.document_id}/amendments").status_code == 404


def test_competing_amendments_are_shown_side_by_side_with_a_merge_preview(world: World) -> None:
    open_amendments(world)
    first = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    second = proposed(world, de="Viele Kommunen haben den Klimanotstand erklärt.")
    moderator = world.browser("moderator")
    pid = paragraph(world)
    page = moderator.get(f"/documents/{world.document_id}/amendments?paragraph={pid}").text
    assert "Competing amendments, side by side" in page
    preview = moderator.get(
        f"/paragraphs/{pid}/amendments/merge?ids={first['id']}&ids={second['id']}"
    )
    assert preview.status_code == 200
    assert "Apply the merge" in preview.text
    applied = moderator.post(
        f"/paragraphs/{pid}/amendments/merge",
        {"amendment_ids": [str(first["id"]), str(second["id"])], "reason": ""},
    )
    assert applied.status_code == 303
    assert world.current(pid)["text"] == "Wenige Kommunen haben den Klimanotstand erklärt."


def test_the_author_resolves_a_conflict_on_the_amendment_page(world: World) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Wenige Kommunen haben den Klimanotstand ausgerufen.")
    edit(world, "Einige Kommunen haben den Klimanotstand ausgerufen.")
    member = world.browser("member")
    page = member.get(f"/amendments/{amendment['id']}").text
    assert "changed in the same place" in page
    pid = paragraph(world)
    answer = member.post(
        f"/amendments/{amendment['id']}/rebase",
        {
            "de": "Nur einige Kommunen haben den Klimanotstand ausgerufen.",
            "fr": TEXT_FR,
            "de_base_revision_id": world.current(pid)["revision_id"],
            "fr_base_revision_id": world.current(pid, "fr")["revision_id"],
        },
    )
    assert answer.status_code == 303
    assert listing(world)[0]["rebase_state"] == "clean"
    moderator = world.browser("moderator")
    refused = moderator.post(
        f"/amendments/{amendment['id']}/decision",
        {"decision": "reject", "reason": "", "back": "amendment"},
    )
    assert refused.status_code == 422
    assert "needs a reason" in refused.text


def test_accepting_with_modifications_in_the_browser_applies_only_changed_languages(
    world: World,
) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Alle Kommunen haben den Klimanotstand ausgerufen.")
    moderator = world.browser("moderator")
    page = moderator.get(f"/amendments/{amendment['id']}").text
    assert "Accept with modifications" in page
    unchanged = moderator.post(
        f"/amendments/{amendment['id']}/decision",
        {"decision": "accept_modified", "de": TEXT_DE, "fr": TEXT_FR, "back": "amendment"},
    )
    assert unchanged.status_code == 422
    answer = moderator.post(
        f"/amendments/{amendment['id']}/decision",
        {
            "decision": "accept_modified",
            "de": "Fast alle Kommunen haben den Klimanotstand ausgerufen.",
            "fr": TEXT_FR,
            "reason": "Vorsichtiger.",
            "back": "amendment",
        },
    )
    assert answer.status_code == 303
    body = world.api("member").get(f"/api/v1/amendments/{amendment['id']}").json()
    assert body["applied_texts"] == {"de": "Fast alle Kommunen haben den Klimanotstand ausgerufen."}
    assert body["texts"] == {"de": "Alle Kommunen haben den Klimanotstand ausgerufen."}
    assert 'data-not-updated="fr"' in moderator.get(f"/documents/{world.document_id}").text
    detail = moderator.get(f"/amendments/{amendment['id']}").text
    assert "Text applied by the moderator" in detail


def test_a_merge_preview_of_fewer_than_two_amendments_explains_itself(world: World) -> None:
    open_amendments(world)
    first = proposed(world, de="Neu.")
    moderator = world.browser("moderator")
    answer = moderator.get(f"/paragraphs/{paragraph(world)}/amendments/merge?ids={first['id']}")
    assert answer.status_code == 422
    assert "at least two amendments" in answer.text
    odd = moderator.get(f"/paragraphs/{paragraph(world)}/amendments/merge?ids=x&ids=-3")
    assert odd.status_code == 422
    member = world.browser("member")
    assert member.get(f"/paragraphs/{paragraph(world)}/amendments/merge").status_code == 403
    listing_page = member.get(
        f"/documents/{world.document_id}/amendments?status=bogus&lang=xx&paragraph=abc"
    )
    assert listing_page.status_code == 200


def test_emptying_a_textarea_of_the_proposal_form_proposes_to_delete_that_text(
    world: World,
) -> None:
    open_amendments(world)
    member = world.browser("member")
    current = {lang: world.current(paragraph(world), lang) for lang in ("de", "fr")}
    # A browser sends the emptied French textarea as an empty field.
    answer = member.post(
        f"/paragraphs/{paragraph(world)}/amendments",
        {
            "de": current["de"]["text"],
            "fr": "",
            "de_base_revision_id": str(current["de"]["revision_id"]),
            "fr_base_revision_id": str(current["fr"]["revision_id"]),
            "justification": "Die französische Fassung kommt später neu.",
        },
    )
    assert answer.status_code == 303, answer.text
    listing = world.api("member").get(f"/api/v1/documents/{world.document_id}/amendments")
    assert [a["texts"] for a in listing.json()] == [{"fr": ""}]


def test_emptying_a_side_when_accepting_with_modifications_deletes_that_text(
    world: World,
) -> None:
    open_amendments(world)
    amendment = proposed(world, de="Alle Kommunen haben den Klimanotstand ausgerufen.")
    moderator = world.browser("moderator")
    page = moderator.get(f"/amendments/{amendment['id']}").text
    assert 'name="sides" value="fr"' in page
    answer = moderator.post(
        f"/amendments/{amendment['id']}/decision",
        {
            "decision": "accept_modified",
            "de": "Alle Kommunen haben den Klimanotstand ausgerufen.",
            "fr": "",
            "sides": ["de", "fr"],
            "reason": "Die französische Fassung wird neu übersetzt.",
            "back": "amendment",
        },
    )
    assert answer.status_code == 303, answer.text
    assert world.current(paragraph(world), "fr")["text"] == ""
