"""The group glossary: seeded from the base list, edited by moderators, checked on texts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers.corpus import CORPUS
from tests.helpers.factories import World, assert_error

RECOMMENDATION = json.loads(
    (CORPUS / "recommendation-climate-neutral-municipalities.json").read_text(encoding="utf-8")
)["paragraphs"]


def glossary(world: World, who: str = "member") -> list[dict[str, Any]]:
    answer = world.api(who).get(f"/api/v1/groups/{world.slug}/glossary")
    assert answer.status_code == 200, answer.text
    terms: list[dict[str, Any]] = answer.json()
    return terms


def glossary_term(world: World, term_id: int) -> dict[str, Any]:
    return next(t for t in glossary(world) if t["id"] == term_id)


def add(world: World, who: str = "moderator", **fields: Any) -> Any:
    body = {"term_de": "Wärmeplanung", "term_fr": "planification de la chaleur", "note": ""}
    return world.api(who).post(f"/api/v1/groups/{world.slug}/glossary", json=body | fields)


def use_corpus_paragraph(world: World, paragraph_id: int, index: int) -> None:
    for lang in ("de", "fr"):
        answer = world.api("member").patch(
            f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
            json={
                "text": RECOMMENDATION[index][lang],
                "base_revision_id": world.current(paragraph_id, lang)["revision_id"],
            },
        )
        assert answer.status_code == 200, answer.text


def test_a_new_group_starts_with_the_base_glossary_and_its_false_friends(world: World) -> None:
    terms = glossary(world)
    assert len(terms) >= 40
    pairs = {(t["term_de"], t["term_fr"]): t for t in terms}
    assert pairs[("Kommune", "commune")]["false_friend"] is True
    assert pairs[("Landkreis", "département")]["false_friend"] is True
    assert pairs[("Bürgermeister", "maire")]["false_friend"] is False
    assert set(terms[0]) == {"id", "term_de", "term_fr", "note", "false_friend"}


def test_moderator_adds_edits_and_deletes_a_term(world: World) -> None:
    answer = add(world, note="Kommunale Wärmeplanung nach WPG.")
    assert answer.status_code == 201, answer.text
    term = answer.json()
    assert term["term_de"] == "Wärmeplanung" and term["false_friend"] is False
    path = f"/api/v1/groups/{world.slug}/glossary/{term['id']}"
    edited = world.api("moderator").patch(
        path, json={"term_de": "Wärmeplanung", "term_fr": "planification thermique"}
    )
    assert edited.status_code == 200 and edited.json()["term_fr"] == "planification thermique"
    assert world.api("moderator").delete(path).status_code == 204
    assert term["id"] not in {t["id"] for t in glossary(world)}


def test_member_reads_but_may_not_change_the_glossary(world: World) -> None:
    assert_error(add(world, who="member"), 403, "forbidden")
    term_id = glossary(world)[0]["id"]
    assert_error(
        world.api("member").delete(f"/api/v1/groups/{world.slug}/glossary/{term_id}"),
        403,
        "forbidden",
    )


def test_outsider_gets_404_for_the_glossary(world: World) -> None:
    assert_error(
        world.api("outsider").get(f"/api/v1/groups/{world.slug}/glossary"), 404, "not_found"
    )
    assert_error(add(world, who="outsider"), 404, "not_found")
    assert world.browser("outsider").get(f"/groups/{world.slug}/glossary").status_code == 404


def test_duplicate_pair_is_a_conflict(world: World) -> None:
    assert add(world).status_code == 201
    assert_error(add(world), 409, "conflict")


@pytest.mark.parametrize(
    "fields",
    [
        {"term_de": ""},
        {"term_de": "   "},
        {"term_fr": "a\x00b"},
        {"note": "bell \x07"},
        {"term_de": "x" * 201},
        {"term_fr": "zwei\nZeilen"},
    ],
)
def test_invalid_terms_are_refused_with_a_clear_422(world: World, fields: dict[str, str]) -> None:
    error = assert_error(add(world, **fields), 422, "validation_error")
    assert error["message"]


def test_unknown_or_foreign_term_ids_are_404(world: World) -> None:
    path = f"/api/v1/groups/{world.slug}/glossary"
    assert_error(world.api("moderator").delete(f"{path}/999999"), 404, "not_found")
    assert world.api("moderator").delete(f"{path}/{2**70}").status_code == 422


def test_glossary_check_flags_the_corpus_false_friend_and_a_missing_term(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    use_corpus_paragraph(world, paragraph, 5)  # "Kleine und mittlere Kommunen" / "communes"
    answer = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/glossary-check")
    assert answer.status_code == 200
    warnings = answer.json()["warnings"]
    false_friend = next(w for w in warnings if w["false_friend"])
    assert (false_friend["term_de"], false_friend["term_fr"]) == ("Kommune", "commune")
    assert false_friend["missing_in"] is None
    assert "collectivité" in false_friend["note"]
    assert {"term_de": "Kommune", "term_fr": "collectivité", "missing_in": "fr"}.items() <= next(
        w for w in warnings if w["term_fr"] == "collectivité"
    ).items()


def test_glossary_check_is_quiet_for_a_well_translated_corpus_paragraph(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    use_corpus_paragraph(world, paragraph, 10)  # grenzüberschreitende Zusammenarbeit
    warnings = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/glossary-check").json()
    flagged = {w["term_de"] for w in warnings["warnings"]}
    assert "grenzüberschreitende Zusammenarbeit" not in flagged
    assert "Zuständigkeit" not in flagged


def test_confirmation_reports_glossary_warnings_without_blocking(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    use_corpus_paragraph(world, paragraph, 12)  # "kommunalen Klimaschutz" / "action climatique"
    ids = {
        "de_revision_id": world.current(paragraph, "de")["revision_id"],
        "fr_revision_id": world.current(paragraph, "fr")["revision_id"],
    }
    answer = world.api("member").post(f"/api/v1/paragraphs/{paragraph}/alignment", json=ids)
    assert answer.status_code == 200
    assert answer.json()["status"] == "in_sync"
    assert {
        "term_de": "Klimaschutz",
        "term_fr": "protection du climat",
        "missing_in": "fr",
    }.items() <= next(w for w in answer.json()["warnings"] if w["term_de"] == "Klimaschutz").items()


def test_document_page_shows_glossary_hints_on_the_side_that_lacks_the_term(
    world: World,
) -> None:
    paragraph = world.paragraph_ids[1]
    use_corpus_paragraph(world, paragraph, 5)
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "False friend:" in page
    assert "the counterpart is missing in FR" in page


def test_glossary_page_lists_terms_and_only_moderators_get_forms(world: World) -> None:
    member_page = world.browser("member").get(f"/groups/{world.slug}/glossary")
    assert member_page.status_code == 200
    assert "Bürgermeister" in member_page.text and "maire" in member_page.text
    assert "Add a term pair" not in member_page.text
    moderator = world.browser("moderator")
    assert "Add a term pair" in moderator.get(f"/groups/{world.slug}/glossary").text


def test_moderator_adds_a_term_through_the_form_and_hostile_text_is_escaped(
    world: World,
) -> None:
    moderator = world.browser("moderator")
    answer = moderator.post(
        f"/groups/{world.slug}/glossary",
        data={
            "term_de": "<script>alert(1)</script>",
            "term_fr": "régie",
            "note": "{{ 7*7 }}",
            "false_friend": "true",
        },
    )
    assert answer.status_code == 303
    page = moderator.get(f"/groups/{world.slug}/glossary").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page
    term = next(t for t in glossary(world) if t["term_fr"] == "régie")
    assert term["false_friend"] is True


def test_refused_form_input_shows_the_page_again_with_the_error(world: World) -> None:
    answer = world.browser("moderator").post(
        f"/groups/{world.slug}/glossary", data={"term_de": "a\x01", "term_fr": "b"}
    )
    assert answer.status_code == 422
    assert "control character" in answer.text


def test_member_cannot_post_the_glossary_form(world: World) -> None:
    answer = world.browser("member").post(
        f"/groups/{world.slug}/glossary", data={"term_de": "a", "term_fr": "b"}
    )
    assert answer.status_code == 403


@pytest.mark.parametrize("slug", ["%00", "a%00b", "x" * 300, "%E2%80%AE", "KLIMA"])
def test_hostile_slugs_are_404_never_a_server_error(world: World, slug: str) -> None:
    assert_error(world.api("member").get(f"/api/v1/groups/{slug}/glossary"), 404, "not_found")
    assert world.browser("member").get(f"/groups/{slug}/glossary").status_code == 404


def test_refused_new_term_shows_the_form_again_with_everything_typed(world: World) -> None:
    assert add(world).status_code == 201
    answer = world.browser("moderator").post(
        f"/groups/{world.slug}/glossary",
        data={
            "term_de": "Wärmeplanung",
            "term_fr": "planification de la chaleur",
            "note": "Nach dem Wärmeplanungsgesetz",
            "false_friend": "true",
        },
    )
    assert answer.status_code == 409
    assert "already" in answer.text
    assert 'value="Wärmeplanung"' in answer.text
    assert "Nach dem Wärmeplanungsgesetz</textarea>" in answer.text
    assert 'name="false_friend" value="true" checked' in answer.text


def test_refused_term_edit_keeps_what_was_typed_in_that_terms_form(world: World) -> None:
    term = add(world).json()
    answer = world.browser("moderator").post(
        f"/groups/{world.slug}/glossary/{term['id']}",
        data={"term_de": "", "term_fr": "planification thermique", "note": "Neue Notiz"},
    )
    assert answer.status_code == 422
    row = answer.text.split(f'id="term-{term["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert "<details open>" in row and 'role="alert"' in row
    assert 'value="planification thermique"' in row
    assert "Neue Notiz</textarea>" in row
    assert glossary_term(world, term["id"])["term_fr"] == "planification de la chaleur"
