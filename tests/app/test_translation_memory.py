"""Translation memory: confirmed pairs across the group's documents suggest translations."""

from __future__ import annotations

import json
from typing import Any

from app.queries.access import document_for, group_for
from app.services import documents, groups
from drafting.text import Lang
from tests.helpers.corpus import CORPUS
from tests.helpers.factories import World, assert_error, session_of

RECOMMENDATION = json.loads(
    (CORPUS / "recommendation-climate-neutral-municipalities.json").read_text(encoding="utf-8")
)["paragraphs"]


def new_document(world: World, indexes: list[int], slug: str | None = None) -> list[int]:
    """A document of corpus paragraphs in the world's group (or another group)."""
    with session_of(world.app) as session:
        if slug is not None:
            groups.create_group(session, world.admin, slug=slug, name_de="Andere", name_fr="Autre")
            admin_access = group_for(session, world.admin, slug, admin_ok=True)
            groups.set_member(session, admin_access, world.moderator.username, "moderator", None)
        access = group_for(session, world.moderator, slug or world.slug)
        document = documents.create_document(session, access, "Korpus", "Corpus")
        assert document.id is not None
        document_access = document_for(session, world.moderator, document.id)
        ids = []
        for index in indexes:
            paragraph = documents.insert_paragraph(
                session,
                document_access,
                kind="text",
                texts={Lang.DE: RECOMMENDATION[index]["de"], Lang.FR: RECOMMENDATION[index]["fr"]},
            )
            assert paragraph.id is not None
            ids.append(paragraph.id)
        session.commit()
    return ids


def confirm(world: World, paragraph_id: int, who: str = "moderator") -> None:
    api = world.api(who)
    texts = api.get(f"/api/v1/paragraphs/{paragraph_id}/revisions").json()
    newest = {lang: next(r["id"] for r in texts if r["lang"] == lang) for lang in ("de", "fr")}
    answer = api.post(
        f"/api/v1/paragraphs/{paragraph_id}/alignment",
        json={"de_revision_id": newest["de"], "fr_revision_id": newest["fr"]},
    )
    assert answer.status_code == 200, answer.text


def set_german(world: World, paragraph_id: int, text: str) -> None:
    answer = world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/de",
        json={"text": text, "base_revision_id": world.current(paragraph_id, "de")["revision_id"]},
    )
    assert answer.status_code == 200, answer.text


def suggestions(world: World, paragraph_id: int, to: str = "fr") -> Any:
    return world.api("member").get(f"/api/v1/paragraphs/{paragraph_id}/suggestions?to={to}")


def test_a_confirmed_pair_in_another_document_is_suggested_with_a_score(world: World) -> None:
    [earlier] = new_document(world, [4])
    confirm(world, earlier)
    paragraph = world.paragraph_ids[1]
    edited = RECOMMENDATION[4]["de"].replace("Viele", "Zahlreiche")
    set_german(world, paragraph, edited)
    answer = suggestions(world, paragraph)
    assert answer.status_code == 200
    [best, *_] = answer.json()
    assert best["paragraph_id"] == earlier
    assert best["text"] == RECOMMENDATION[4]["fr"]
    assert 0.8 < best["score"] < 1.0
    assert best["source"] == RECOMMENDATION[4]["de"]


def test_suggestions_go_both_ways(world: World) -> None:
    [earlier] = new_document(world, [13])
    confirm(world, earlier)
    paragraph = world.paragraph_ids[1]
    answer = world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/fr",
        json={
            "text": RECOMMENDATION[13]["fr"],
            "base_revision_id": world.current(paragraph, "fr")["revision_id"],
        },
    )
    assert answer.status_code == 200
    [best, *_] = suggestions(world, paragraph, to="de").json()
    assert best["text"] == RECOMMENDATION[13]["de"] and best["score"] == 1.0


def test_unconfirmed_pairs_and_the_paragraph_itself_are_not_suggested(world: World) -> None:
    [unconfirmed] = new_document(world, [4])
    paragraph = world.paragraph_ids[1]
    set_german(world, paragraph, RECOMMENDATION[4]["de"])
    confirm(world, paragraph)
    set_german(world, paragraph, RECOMMENDATION[4]["de"] + " Heute mehr denn je.")
    found = {s["paragraph_id"] for s in suggestions(world, paragraph).json()}
    assert paragraph not in found and unconfirmed not in found


def test_pairs_of_another_group_are_never_suggested(world: World) -> None:
    [foreign] = new_document(world, [4], slug="andere-ag")
    confirm(world, foreign)
    set_german(world, world.paragraph_ids[1], RECOMMENDATION[4]["de"])
    assert suggestions(world, world.paragraph_ids[1]).json() == []


def test_suggestions_refuse_an_unknown_direction_and_outsiders(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    assert_error(suggestions(world, paragraph, to="en"), 422, "validation_error")
    answer = world.api("outsider").get(f"/api/v1/paragraphs/{paragraph}/suggestions?to=fr")
    assert_error(answer, 404, "not_found")


def test_translation_view_shows_suggestions_with_score_and_source_difference(
    world: World,
) -> None:
    [earlier] = new_document(world, [4])
    confirm(world, earlier)
    paragraph = world.paragraph_ids[1]
    set_german(world, paragraph, RECOMMENDATION[4]["de"].replace("Viele", "Zahlreiche"))
    page = world.browser("member").get(f"/documents/{world.document_id}/translate?to=fr").text
    assert "suggestion from the translation memory" in page
    assert "<del>Viele</del>" in page and "<ins>Zahlreiche</ins>" in page
    assert "De nombreuses collectivités ont déclaré" in page
