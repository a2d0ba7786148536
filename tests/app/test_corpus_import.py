"""The real bilingual recommendation from the corpus, typed in through the API."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from markupsafe import escape

from tests.helpers.corpus import RECOMMENDATION
from tests.helpers.factories import World


@pytest.fixture
def recommendation() -> dict[str, Any]:
    content: dict[str, Any] = json.loads(RECOMMENDATION.read_text(encoding="utf-8"))
    return content


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def import_recommendation(world: World, content: dict[str, Any]) -> dict[str, Any]:
    """As the site admin: the corpus's group with mona as moderator; as mona: the document."""
    group = content["working_group"]
    admin = world.api("admin")
    assert admin.post("/api/v1/groups", json=group).status_code == 201
    for username, role in (("mona", "moderator"), ("jonas", "member")):
        answer = admin.put(
            f"/api/v1/groups/{group['slug']}/members/{username}", json={"role": role}
        )
        assert answer.status_code == 200
    moderator = world.api("moderator")
    created = moderator.post(
        f"/api/v1/groups/{group['slug']}/documents",
        json={"title_de": content["title_de"], "title_fr": content["title_fr"]},
    )
    assert created.status_code == 201, created.text
    document_id = created.json()["id"]
    previous = None
    for paragraph in content["paragraphs"]:
        answer = moderator.post(
            f"/api/v1/documents/{document_id}/paragraphs",
            json={
                "kind": paragraph["kind"],
                "de": paragraph["de"],
                "fr": paragraph["fr"],
                "after_id": previous,
            },
        )
        assert answer.status_code == 201, answer.text
        previous = answer.json()["id"]
    document = world.api("member").get(f"/api/v1/documents/{document_id}")
    assert document.status_code == 200
    body: dict[str, Any] = document.json()
    return body


def test_corpus_recommendation_round_trips_exactly_through_the_api(
    world: World, recommendation: dict[str, Any]
) -> None:
    document = import_recommendation(world, recommendation)
    assert document["title_de"] == nfc(recommendation["title_de"])
    assert document["title_fr"] == nfc(recommendation["title_fr"])
    assert document["group"] == recommendation["working_group"]["slug"]
    assert document["phase"] == "drafting"
    expected = recommendation["paragraphs"]
    paragraphs = document["paragraphs"]
    assert len(paragraphs) == len(expected) > 0
    assert [p["kind"] for p in paragraphs] == [p["kind"] for p in expected]
    assert [p["position"] for p in paragraphs] == list(range(1, len(expected) + 1))
    for got, want in zip(paragraphs, expected, strict=True):
        assert got["texts"]["de"]["text"] == nfc(want["de"])
        assert got["texts"]["fr"]["text"] == nfc(want["fr"])
        assert got["texts"]["de"]["revision_id"] != got["texts"]["fr"]["revision_id"]


def test_corpus_paragraphs_each_have_one_first_revision_per_language(
    world: World, recommendation: dict[str, Any]
) -> None:
    document = import_recommendation(world, recommendation)
    member = world.api("member")
    for paragraph in document["paragraphs"][:5]:
        history = member.get(f"/api/v1/paragraphs/{paragraph['id']}/revisions").json()
        assert sorted(r["lang"] for r in history) == ["de", "fr"]
        assert {r["source"] for r in history} == {"human"}
        assert {r["author"] for r in history} == {"mona"}


def test_corpus_group_lists_the_imported_document(
    world: World, recommendation: dict[str, Any]
) -> None:
    document = import_recommendation(world, recommendation)
    slug = recommendation["working_group"]["slug"]
    listed = world.api("member").get(f"/api/v1/groups/{slug}/documents").json()
    assert [(d["id"], d["title_de"]) for d in listed] == [
        (document["id"], nfc(recommendation["title_de"]))
    ]
    groups = world.api("member").get("/api/v1/groups").json()
    names = {g["slug"]: (g["name_de"], g["name_fr"]) for g in groups}
    group = recommendation["working_group"]
    assert names[slug] == (nfc(group["name_de"]), nfc(group["name_fr"]))


def test_corpus_document_page_shows_every_text_escaped(
    world: World, recommendation: dict[str, Any]
) -> None:
    document = import_recommendation(world, recommendation)
    page = world.browser("moderator").get(f"/documents/{document['id']}")
    assert page.status_code == 200
    html = page.text
    assert str(escape(nfc(recommendation["title_de"]))) in html
    assert str(escape(nfc(recommendation["title_fr"]))) in html
    for paragraph in recommendation["paragraphs"]:
        for lang in ("de", "fr"):
            # The edit box holds the text exactly, HTML-escaped.
            assert str(escape(nfc(paragraph[lang]))) in html, paragraph[lang][:60]
    assert html.count('class="paragraph__number"') == len(recommendation["paragraphs"])
    if any("'" in p["fr"] for p in recommendation["paragraphs"]):
        assert "&#39;" in html


def test_corpus_document_is_invisible_to_outsiders(
    world: World, recommendation: dict[str, Any]
) -> None:
    document = import_recommendation(world, recommendation)
    assert world.api("outsider").get(f"/api/v1/documents/{document['id']}").status_code == 404
    # Members of another group are outsiders too.
    assert world.api("liaison_de").get(f"/api/v1/documents/{document['id']}").status_code == 404
    page = world.browser("outsider").get(f"/documents/{document['id']}")
    assert page.status_code == 404
    assert recommendation["paragraphs"][1]["de"] not in page.text
