"""Alignment: which paragraphs say the same in DE and FR, what changed since, confirming."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app.models import Alignment
from tests.helpers.factories import World, assert_error, session_of


def current_ids(world: World, paragraph_id: int) -> dict[str, int]:
    return {
        "de_revision_id": world.current(paragraph_id, "de")["revision_id"],
        "fr_revision_id": world.current(paragraph_id, "fr")["revision_id"],
    }


def confirm(world: World, paragraph_id: int, who: str = "member", **ids: int) -> Any:
    body = current_ids(world, paragraph_id) | ids
    return world.api(who).post(f"/api/v1/paragraphs/{paragraph_id}/alignment", json=body)


def save(world: World, paragraph_id: int, lang: str, text: str) -> Any:
    answer = world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        json={"text": text, "base_revision_id": world.current(paragraph_id, lang)["revision_id"]},
    )
    assert answer.status_code == 200, answer.text
    return answer


def status_of(world: World, paragraph_id: int) -> str:
    answer = world.api("member").get(f"/api/v1/paragraphs/{paragraph_id}/alignment")
    assert answer.status_code == 200, answer.text
    status: str = answer.json()["status"]
    return status


def test_paragraphs_never_confirmed_count_as_both_changed(world: World) -> None:
    answer = world.api("member").get(f"/api/v1/documents/{world.document_id}/alignment")
    assert answer.status_code == 200
    assert answer.json() == [
        {"paragraph_id": pid, "status": "both_changed"} for pid in world.paragraph_ids
    ]


def test_member_confirms_the_current_pair_and_the_paragraph_is_in_sync(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    answer = confirm(world, paragraph)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "in_sync"
    assert isinstance(body["warnings"], list)
    assert body["de_revision_id"] == world.current(paragraph, "de")["revision_id"]
    detail = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/alignment").json()
    assert detail["status"] == "in_sync"
    assert detail["de_revision_id"] == body["de_revision_id"]
    assert detail["fr_revision_id"] == body["fr_revision_id"]
    assert detail["changes_since"]["de"] == [[0, world.current(paragraph, "de")["text"]]]
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    statuses = {p["id"]: p["alignment"] for p in document["paragraphs"]}
    # The document JSON has null for a pair never confirmed (app.schemas.ParagraphOut).
    assert statuses == {
        world.paragraph_ids[0]: None,
        paragraph: "in_sync",
        world.paragraph_ids[2]: None,
    }


def test_german_edit_makes_french_outdated_and_shows_what_changed(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    confirm(world, paragraph)
    save(world, paragraph, "de", "Viele Kommunen haben den Klimanotstand erklärt.")
    detail = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/alignment").json()
    assert detail["status"] == "fr_outdated"
    assert [-1, "ausgerufen"] in detail["changes_since"]["de"]
    assert [1, "erklärt"] in detail["changes_since"]["de"]
    assert all(op == 0 for op, _ in detail["changes_since"]["fr"])


def test_french_edit_makes_german_outdated_and_both_edits_are_both_changed(
    world: World,
) -> None:
    paragraph = world.paragraph_ids[2]
    confirm(world, paragraph)
    save(world, paragraph, "fr", "L'État doit faire du climat une compétence obligatoire.")
    assert status_of(world, paragraph) == "de_outdated"
    save(world, paragraph, "de", "Bund und Länder sollen Klimaschutz verpflichtend machen.")
    assert status_of(world, paragraph) == "both_changed"
    assert confirm(world, paragraph).status_code == 200
    assert status_of(world, paragraph) == "in_sync"


def test_an_empty_side_is_missing_and_cannot_be_confirmed(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    save(world, paragraph, "fr", "")
    assert status_of(world, paragraph) == "missing"
    error = assert_error(confirm(world, paragraph), 422, "validation_error")
    assert "Both languages" in error["message"]


def test_confirming_revisions_that_are_no_longer_current_is_a_conflict(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    read = current_ids(world, paragraph)
    save(world, paragraph, "de", "Viele Kommunen haben den Klimanotstand erklärt.")
    error = assert_error(confirm(world, paragraph, **read), 409, "conflict")
    assert "changed since you read it" in error["message"]
    assert error["details"]["de_revision_id"] == world.current(paragraph, "de")["revision_id"]
    assert status_of(world, paragraph) == "both_changed"


def test_revisions_of_another_paragraph_cannot_be_confirmed(world: World) -> None:
    other = current_ids(world, world.paragraph_ids[0])
    assert_error(confirm(world, world.paragraph_ids[1], **other), 409, "conflict")


def test_confirming_the_same_pair_twice_records_one_alignment(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    assert confirm(world, paragraph).status_code == 200
    assert confirm(world, paragraph, who="moderator").status_code == 200
    with session_of(world.app) as session:
        rows = session.exec(select(Alignment).where(Alignment.paragraph_id == paragraph)).all()
    assert len(rows) == 1


def test_liaison_may_read_but_not_confirm_and_outsider_gets_404(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    assert (
        world.api("liaison_de").get(f"/api/v1/paragraphs/{paragraph}/alignment").status_code == 200
    )
    assert_error(confirm(world, paragraph, who="liaison_de"), 403, "forbidden")
    outsider = world.api("outsider")
    assert_error(outsider.get(f"/api/v1/paragraphs/{paragraph}/alignment"), 404, "not_found")
    assert_error(outsider.get(f"/api/v1/documents/{world.document_id}/alignment"), 404, "not_found")
    ids = current_ids(world, paragraph)
    assert_error(
        outsider.post(f"/api/v1/paragraphs/{paragraph}/alignment", json=ids), 404, "not_found"
    )


@pytest.mark.parametrize("bad", ["0", "-1", "abc", str(2**70), "1e3"])
def test_hostile_ids_are_refused_without_a_server_error(world: World, bad: str) -> None:
    api = world.api("member")
    assert api.get(f"/api/v1/paragraphs/{bad}/alignment").status_code in (404, 422)
    assert api.get(f"/api/v1/documents/{bad}/alignment").status_code in (404, 422)
    answer = api.post(
        f"/api/v1/paragraphs/{world.paragraph_ids[1]}/alignment",
        json={"de_revision_id": bad, "fr_revision_id": 1},
    )
    assert answer.status_code == 422


def test_unknown_paragraph_is_404(world: World) -> None:
    body = {"de_revision_id": 1, "fr_revision_id": 2}
    answer = world.api("member").post("/api/v1/paragraphs/999999/alignment", json=body)
    assert_error(answer, 404, "not_found")


# --- pages -------------------------------------------------------------------------------


def test_document_page_shows_badges_and_the_summary(world: World) -> None:
    confirm(world, world.paragraph_ids[1])
    save(world, world.paragraph_ids[2], "fr", "")
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert 'data-alignment="in_sync"' in page and "✓ In sync" in page
    assert 'data-alignment="missing"' in page and "∅ Missing" in page
    assert "1 in sync" in page and "1 missing" in page
    assert f"/documents/{world.document_id}/translate?to=fr" in page


def test_outdated_french_side_shows_the_german_diff_and_a_confirm_form(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    confirm(world, paragraph)
    save(world, paragraph, "de", "Viele Kommunen haben den Klimanotstand erklärt.")
    browser = world.browser("member")
    page = browser.get(f"/documents/{world.document_id}").text
    assert "⚠ FR outdated" in page
    assert "Changed in DE since DE and FR were last confirmed" in page
    assert "<del>ausgerufen</del>" in page and "<ins>erklärt</ins>" in page
    assert "Confirm DE and FR say the same" in page

    answer = browser.post(f"/paragraphs/{paragraph}/alignment", data=current_ids(world, paragraph))
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/documents/{world.document_id}#p-{paragraph}"
    assert status_of(world, paragraph) == "in_sync"


def test_htmx_confirmation_returns_the_paragraph_block_in_sync(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    browser = world.browser("member")
    answer = browser.post(
        f"/paragraphs/{paragraph}/alignment",
        data=current_ids(world, paragraph),
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<article id="p-{paragraph}"')
    assert 'data-alignment="in_sync"' in answer.text
    assert "Confirmed: DE and FR say the same." in answer.text


def test_htmx_confirmation_of_a_stale_pair_shows_the_conflict_in_the_block(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    read = current_ids(world, paragraph)
    save(world, paragraph, "de", "Neu.")
    answer = world.browser("member").post(
        f"/paragraphs/{paragraph}/alignment", data=read, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 409
    assert "changed since you read it" in answer.text


def test_plain_confirmation_of_a_stale_pair_shows_the_page_again_with_the_conflict(
    world: World,
) -> None:
    paragraph = world.paragraph_ids[1]
    read = current_ids(world, paragraph)
    save(world, paragraph, "de", "Neu.")
    browser = world.browser("member")
    on_document = browser.post(f"/paragraphs/{paragraph}/alignment", data=read)
    assert on_document.status_code == 409
    assert f'id="p-{paragraph}"' in on_document.text
    assert "changed since you read it" in on_document.text
    on_translation = browser.post(
        f"/paragraphs/{paragraph}/alignment", data=read | {"back": "translate", "to": "fr"}
    )
    assert on_translation.status_code == 409
    assert f'id="t-{paragraph}"' in on_translation.text
    assert "changed since you read it" in on_translation.text
    assert status_of(world, paragraph) != "in_sync"


def test_liaison_sees_no_confirm_form(world: World) -> None:
    page = world.browser("liaison_fr").get(f"/documents/{world.document_id}").text
    # The liaison's page is in French: check the markup, not the English wording.
    assert '<html lang="fr">' in page
    assert f'action="/paragraphs/{world.paragraph_ids[1]}/alignment"' not in page
    assert 'data-alignment="both_changed"' in page
    member_page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert f'action="/paragraphs/{world.paragraph_ids[1]}/alignment"' in member_page


def test_translation_view_lists_only_what_the_translator_has_to_do(world: World) -> None:
    first, second, third = world.paragraph_ids
    for paragraph in world.paragraph_ids:
        confirm(world, paragraph)
    save(world, second, "de", "Viele Kommunen haben den Klimanotstand erklärt.")
    save(world, third, "fr", "L'État doit agir.")
    browser = world.browser("member")
    to_fr = browser.get(f"/documents/{world.document_id}/translate?to=fr").text
    assert f'id="t-{second}"' in to_fr and f'id="t-{third}"' not in to_fr
    assert f'id="t-{first}"' not in to_fr
    assert "<ins>erklärt</ins>" in to_fr
    assert f'action="/paragraphs/{second}/texts/fr"' in to_fr
    to_de = browser.get(f"/documents/{world.document_id}/translate?to=de").text
    assert f'id="t-{third}"' in to_de and f'id="t-{second}"' not in to_de

    answer = browser.post(
        f"/paragraphs/{second}/alignment",
        data=current_ids(world, second) | {"back": "translate", "to": "fr"},
    )
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location == f"/documents/{world.document_id}/translate?to=fr#t-{second}"
    assert "Nothing to translate" in browser.get(location).text


def test_saving_on_the_translation_view_returns_to_it_at_that_paragraph(world: World) -> None:
    first, second, _ = world.paragraph_ids
    for paragraph in world.paragraph_ids:
        confirm(world, paragraph)
    save(world, first, "de", "Die Erderwärmung betrifft alle Grenzregionen.")
    save(world, second, "de", "Viele Kommunen haben den Klimanotstand erklärt.")
    browser = world.browser("member")
    page = browser.get(f"/documents/{world.document_id}/translate?to=fr").text
    assert 'name="back" value="translate"' in page

    answer = browser.post(
        f"/paragraphs/{second}/texts/fr",
        data={
            "text": "De nombreuses communes ont déclaré l'urgence climatique.",
            "base_revision_id": str(world.current(second, "fr")["revision_id"]),
            "back": "translate",
        },
    )
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location == f"/documents/{world.document_id}/translate?to=fr#t-{second}"
    # Still in the queue, with the button to confirm the pair, and the next item after it.
    queue = browser.get(location).text
    assert f'id="t-{second}"' in queue and f'id="t-{first}"' in queue
    assert f'action="/paragraphs/{second}/alignment"' in queue

    # Without ``back`` (the document page's editor) the save returns to the document.
    answer = browser.post(
        f"/paragraphs/{first}/texts/fr",
        data={
            "text": "Le réchauffement touche toutes les régions frontalières.",
            "base_revision_id": str(world.current(first, "fr")["revision_id"]),
        },
    )
    assert answer.headers["location"] == f"/documents/{world.document_id}#p-{first}"


def test_translation_view_refuses_an_unknown_direction_and_outsiders(world: World) -> None:
    assert (
        world.browser("member").get(f"/documents/{world.document_id}/translate?to=en").status_code
        == 422
    )
    outsider = world.browser("outsider")
    assert outsider.get(f"/documents/{world.document_id}/translate?to=fr").status_code == 404
