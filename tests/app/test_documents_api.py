from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from httpx2 import Response

from app.queries.access import document_for
from app.services import documents
from drafting.text import Lang
from tests.helpers.factories import World, assert_error, session_of

DOCUMENT_KEYS = {"id", "group", "title_de", "title_fr", "phase"}
PARAGRAPH_KEYS = {
    "id",
    "position",
    "kind",
    "texts",
    "alignment",
    "evidence_count",
    "open_comments",
    "open_amendments",
}


def assert_paragraph_shape(paragraph: dict[str, Any]) -> None:
    assert set(paragraph) >= PARAGRAPH_KEYS, set(paragraph)
    assert isinstance(paragraph["id"], int)
    assert isinstance(paragraph["position"], int)
    assert paragraph["kind"] in ("heading", "text", "recommendation")
    assert set(paragraph["texts"]) == {"de", "fr"}
    for text in paragraph["texts"].values():
        assert {"revision_id", "text"} <= set(text)
        assert isinstance(text["revision_id"], int)
        assert isinstance(text["text"], str)
    for count in ("evidence_count", "open_comments", "open_amendments"):
        assert isinstance(paragraph[count], int) and paragraph[count] >= 0


def create_document(
    world: World, who: str = "moderator", slug: str = "klima", **titles: Any
) -> Response:
    body = {"title_de": "Mobilität", "title_fr": "Mobilité"} | titles
    return world.api(who).post(f"/api/v1/groups/{slug}/documents", json=body)


def get_document(world: World, document_id: int | None = None, who: str = "member") -> Any:
    answer = world.api(who).get(f"/api/v1/documents/{document_id or world.document_id}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def ids_of(world: World, document_id: int | None = None) -> list[int]:
    return [p["id"] for p in get_document(world, document_id)["paragraphs"]]


def add_paragraph(
    world: World, who: str = "moderator", document_id: int | None = None, **body: Any
) -> Response:
    body = {"kind": "text", "de": "Neu", "fr": "Nouveau"} | body
    return world.api(who).post(
        f"/api/v1/documents/{document_id or world.document_id}/paragraphs", json=body
    )


def patch_paragraph(world: World, paragraph_id: int, who: str = "moderator", **body: Any) -> Any:
    return world.api(who).patch(f"/api/v1/paragraphs/{paragraph_id}", json=body)


# --- documents -----------------------------------------------------------------------------


def test_moderator_creates_a_document_in_drafting(world: World) -> None:
    answer = create_document(world)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert set(body) >= DOCUMENT_KEYS
    assert isinstance(body["id"], int)
    assert body["group"] == "klima"
    assert body["title_de"] == "Mobilität"
    assert body["title_fr"] == "Mobilité"
    assert body["phase"] == "drafting"
    detail = get_document(world, body["id"])
    assert {key: detail[key] for key in DOCUMENT_KEYS} == {key: body[key] for key in DOCUMENT_KEYS}
    assert detail["paragraphs"] == []


@pytest.mark.parametrize("who", ["member", "liaison_de", "liaison_fr"])
def test_members_and_liaisons_cannot_create_documents(world: World, who: str) -> None:
    assert_error(create_document(world, who), 403, "forbidden")
    listed = world.api("moderator").get("/api/v1/groups/klima/documents").json()
    assert [d["id"] for d in listed] == [world.document_id]


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_non_members_get_404_when_creating_a_document(world: World, who: str) -> None:
    assert_error(create_document(world, who), 404, "not_found")


def test_document_in_an_unknown_group_is_a_404(world: World) -> None:
    assert_error(create_document(world, slug="no-such-group"), 404, "not_found")


@pytest.mark.parametrize("field", ["title_de", "title_fr"])
@pytest.mark.parametrize("bad", ["Ti\x00tel", "", "   ", "zwei\nZeilen", "x" * 501])
def test_bad_titles_are_refused_with_a_422(world: World, field: str, bad: str) -> None:
    error = assert_error(create_document(world, **{field: bad}), 422, "validation_error")
    assert error["details"].get("field") == field
    if "\x00" in bad:
        assert "NUL" in error["message"]
    listed = world.api("moderator").get("/api/v1/groups/klima/documents").json()
    assert len(listed) == 1


def test_missing_title_is_a_422(world: World) -> None:
    answer = world.api("moderator").post(
        "/api/v1/groups/klima/documents", json={"title_de": "Nur Deutsch"}
    )
    assert_error(answer, 422, "validation_error")


def test_titles_are_stored_as_nfc_and_hostile_titles_exactly(world: World) -> None:
    title_de = "Wa\u0308rme <script>alert(1)</script> \u202eevil"
    title_fr = "Chaleur\u202f: «\u202fmaintenant\u202f» !"
    body = create_document(world, title_de=title_de, title_fr=title_fr).json()
    assert body["title_de"] == unicodedata.normalize("NFC", title_de)
    assert body["title_fr"] == title_fr
    page = world.browser("member").get(f"/documents/{body['id']}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("who", ["moderator", "member", "liaison_de"])
def test_group_document_list_shows_the_documents(world: World, who: str) -> None:
    second = create_document(world).json()
    answer = world.api(who).get("/api/v1/groups/klima/documents")
    assert answer.status_code == 200
    listed = answer.json()
    assert [d["id"] for d in listed] == [world.document_id, second["id"]]
    assert listed[0]["title_de"] == "Klimaneutrale Kommunen"
    assert listed[0]["title_fr"] == "Collectivités neutres en carbone"
    assert all(set(d) >= DOCUMENT_KEYS and d["group"] == "klima" for d in listed)
    assert all(d["phase"] == "drafting" for d in listed)


def test_document_list_of_another_group_is_a_404(world: World) -> None:
    world.api("admin").post(
        "/api/v1/groups", json={"slug": "mobilite", "name_de": "Mobilität", "name_fr": "Mobilité"}
    )
    assert_error(world.api("member").get("/api/v1/groups/mobilite/documents"), 404, "not_found")
    assert_error(world.api("outsider").get("/api/v1/groups/klima/documents"), 404, "not_found")


# --- reading a document --------------------------------------------------------------------


def test_document_has_the_contracts_keys(world: World) -> None:
    document = get_document(world)
    assert DOCUMENT_KEYS | {"paragraphs"} <= set(document)
    assert document["id"] == world.document_id
    assert document["group"] == "klima"
    assert document["phase"] == "drafting"
    assert [p["id"] for p in document["paragraphs"]] == world.paragraph_ids
    for paragraph in document["paragraphs"]:
        assert_paragraph_shape(paragraph)
    first = document["paragraphs"][0]
    assert first["kind"] == "heading"
    assert first["texts"]["de"]["text"] == "Präambel"
    assert first["texts"]["fr"]["text"] == "Préambule"
    assert [p["kind"] for p in document["paragraphs"]] == ["heading", "text", "recommendation"]
    assert [p["position"] for p in document["paragraphs"]] == [1, 2, 3]


@pytest.mark.parametrize("who", ["moderator", "member", "liaison_de", "liaison_fr"])
def test_every_member_reads_the_document(world: World, who: str) -> None:
    assert [p["id"] for p in get_document(world, who=who)["paragraphs"]] == world.paragraph_ids


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_non_members_get_404_for_the_document(world: World, who: str) -> None:
    answer = world.api(who).get(f"/api/v1/documents/{world.document_id}")
    assert_error(answer, 404, "not_found")


def test_three_hundred_paragraphs_come_back_all_and_in_order(world: World) -> None:
    with session_of(world.app) as session:
        access = document_for(session, world.moderator, world.document_id)
        for number in range(1, 301):
            documents.insert_paragraph(
                session,
                access,
                kind="recommendation" if number % 10 == 0 else "text",
                texts={Lang.DE: f"Absatz {number}", Lang.FR: f"Paragraphe {number}"},
            )
        session.commit()
    paragraphs = get_document(world)["paragraphs"]
    assert len(paragraphs) == 303
    assert [p["id"] for p in paragraphs[:3]] == world.paragraph_ids
    added = paragraphs[3:]
    assert [p["texts"]["de"]["text"] for p in added] == [f"Absatz {n}" for n in range(1, 301)]
    assert [p["texts"]["fr"]["text"] for p in added] == [f"Paragraphe {n}" for n in range(1, 301)]
    assert [p["position"] for p in paragraphs] == list(range(1, 304))
    assert sum(p["kind"] == "recommendation" for p in added) == 30
    page = world.browser("member").get(f"/documents/{world.document_id}")
    assert page.status_code == 200
    assert "Absatz 300" in page.text


# --- adding paragraphs ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "member"])
def test_moderator_and_member_add_a_paragraph_in_drafting(world: World, who: str) -> None:
    answer = add_paragraph(world, who, kind="recommendation", de="Neue Empfehlung", fr="Nouvelle")
    assert answer.status_code == 201, answer.text
    paragraph = answer.json()
    assert_paragraph_shape(paragraph)
    assert paragraph["kind"] == "recommendation"
    assert paragraph["texts"]["de"]["text"] == "Neue Empfehlung"
    assert paragraph["texts"]["fr"]["text"] == "Nouvelle"
    assert paragraph["position"] == 4
    assert ids_of(world) == [*world.paragraph_ids, paragraph["id"]]
    assert get_document(world)["paragraphs"][-1] == paragraph


def test_after_id_may_be_left_out_or_null_to_append_at_the_end(world: World) -> None:
    member = world.api("member")
    path = f"/api/v1/documents/{world.document_id}/paragraphs"
    left_out = member.post(path, json={"kind": "text", "de": "Am Ende", "fr": "À la fin"})
    assert left_out.status_code == 201, left_out.text
    null = member.post(path, json={"de": "Danach", "fr": "Ensuite", "after_id": None})
    assert null.status_code == 201, null.text
    assert null.json()["kind"] == "text"
    assert ids_of(world) == [*world.paragraph_ids, left_out.json()["id"], null.json()["id"]]


def test_new_paragraph_has_a_first_human_revision_per_language(world: World) -> None:
    paragraph = add_paragraph(world, de="Eins", fr="Un").json()
    for lang, text in (("de", "Eins"), ("fr", "Un")):
        history = (
            world.api("member")
            .get(f"/api/v1/paragraphs/{paragraph['id']}/revisions", params={"lang": lang})
            .json()
        )
        assert [(r["id"], r["text"], r["source"], r["parent_id"]) for r in history] == [
            (paragraph["texts"][lang]["revision_id"], text, "human", None)
        ]
        assert history[0]["author"] == "mona"


@pytest.mark.parametrize("who", ["liaison_de", "liaison_fr"])
def test_liaisons_cannot_add_paragraphs(world: World, who: str) -> None:
    assert_error(add_paragraph(world, who), 403, "forbidden")
    assert ids_of(world) == world.paragraph_ids


def test_outsider_adding_a_paragraph_gets_404(world: World) -> None:
    assert_error(add_paragraph(world, "outsider"), 404, "not_found")
    assert ids_of(world) == world.paragraph_ids


def test_after_id_inserts_after_that_paragraph(world: World) -> None:
    first, second, third = world.paragraph_ids
    answer = add_paragraph(world, "member", after_id=first, de="Nach der Präambel")
    assert answer.status_code == 201
    new = answer.json()["id"]
    assert ids_of(world) == [first, new, second, third]
    last = add_paragraph(world, after_id=third, de="Ganz am Ende").json()["id"]
    assert ids_of(world) == [first, new, second, third, last]
    paragraphs = get_document(world)["paragraphs"]
    assert [p["position"] for p in paragraphs] == [1, 2, 3, 4, 5]
    assert paragraphs[1]["texts"]["de"]["text"] == "Nach der Präambel"


def test_after_id_of_another_document_is_a_404(world: World) -> None:
    other = create_document(world).json()["id"]
    foreign = add_paragraph(world, document_id=other).json()["id"]
    assert_error(add_paragraph(world, after_id=foreign), 404, "not_found")
    assert_error(add_paragraph(world, after_id=999_999), 404, "not_found")
    assert ids_of(world) == world.paragraph_ids
    assert ids_of(world, other) == [foreign]


@pytest.mark.parametrize("after_id", [0, -1, 2**70, "abc"])
def test_invalid_after_id_is_a_422(world: World, after_id: Any) -> None:
    assert_error(add_paragraph(world, after_id=after_id), 422, "validation_error")


def test_after_id_of_a_deleted_paragraph_is_a_404(world: World) -> None:
    gone = world.paragraph_ids[1]
    assert world.api("moderator").delete(f"/api/v1/paragraphs/{gone}").status_code == 204
    assert_error(add_paragraph(world, after_id=gone), 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "footnote"},
        {"kind": "text", "de": "mit\x00NUL"},
        {"kind": "text", "fr": "avec\x1bESC"},
        {"kind": "text", "de": "x" * 200_001},
        {"kind": "text", "colour": "red"},
        {"kind": "text", "de": 42},
    ],
)
def test_invalid_paragraphs_are_refused_with_a_422_and_nothing_is_added(
    world: World, body: dict[str, Any]
) -> None:
    answer = world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/paragraphs", json=body
    )
    assert_error(answer, 422, "validation_error")
    assert ids_of(world) == world.paragraph_ids


def test_paragraph_texts_are_normalised_to_nfc_and_lf(world: World) -> None:
    answer = add_paragraph(world, de="Bu\u0308rger\r\nzweite Zeile", fr="«\u202fœuvre\u202f»")
    texts = answer.json()["texts"]
    assert texts["de"]["text"] == "Bürger\nzweite Zeile"
    assert texts["fr"]["text"] == "«\u202fœuvre\u202f»"


def test_a_paragraph_may_start_empty_on_one_side(world: World) -> None:
    answer = add_paragraph(world, de="Nur Deutsch", fr="")
    assert answer.status_code == 201
    assert answer.json()["texts"]["fr"]["text"] == ""


@pytest.mark.parametrize("bad_id", ["0", "-1", str(2**70), "abc", "999999"])
def test_adding_to_unknown_or_invalid_documents_is_404_or_422(world: World, bad_id: str) -> None:
    answer = world.api("moderator").post(
        f"/api/v1/documents/{bad_id}/paragraphs", json={"kind": "text", "de": "x", "fr": "y"}
    )
    assert answer.status_code in (404, 422)
    assert answer.json()["error"]["code"] in ("not_found", "validation_error")


# --- changing, moving and deleting paragraphs ----------------------------------------------


def test_moderator_changes_the_kind_of_a_paragraph(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    answer = patch_paragraph(world, paragraph, kind="recommendation")
    assert answer.status_code == 200
    assert_paragraph_shape(answer.json())
    assert answer.json()["kind"] == "recommendation"
    assert get_document(world)["paragraphs"][1]["kind"] == "recommendation"
    assert ids_of(world) == world.paragraph_ids


def test_moderator_moves_a_paragraph_and_positions_stay_contiguous(world: World) -> None:
    first, second, third = world.paragraph_ids
    fourth = add_paragraph(world).json()["id"]
    answer = patch_paragraph(world, fourth, position=1)
    assert answer.status_code == 200
    assert answer.json()["position"] == 1
    assert ids_of(world) == [fourth, first, second, third]
    patch_paragraph(world, fourth, position=4)
    assert ids_of(world) == [first, second, third, fourth]
    patch_paragraph(world, first, position=3)
    assert ids_of(world) == [second, third, first, fourth]
    patch_paragraph(world, third, position=2)
    assert ids_of(world) == [second, third, first, fourth]
    assert [p["position"] for p in get_document(world)["paragraphs"]] == [1, 2, 3, 4]


def test_moving_and_changing_kind_at_once(world: World) -> None:
    first, second, third = world.paragraph_ids
    answer = patch_paragraph(world, third, kind="heading", position=1)
    assert answer.status_code == 200
    assert (answer.json()["kind"], answer.json()["position"]) == ("heading", 1)
    assert ids_of(world) == [third, first, second]


@pytest.mark.parametrize("position", [0, -1, 4, 2**31, 2**40])
def test_position_out_of_range_is_a_422_and_nothing_moves(world: World, position: int) -> None:
    answer = patch_paragraph(world, world.paragraph_ids[0], position=position)
    assert_error(answer, 422, "validation_error")
    assert ids_of(world) == world.paragraph_ids


@pytest.mark.parametrize("body", [{"kind": "boss"}, {"position": "first"}, {"colour": "red"}])
def test_invalid_paragraph_changes_are_a_422(world: World, body: dict[str, Any]) -> None:
    answer = patch_paragraph(world, world.paragraph_ids[0], **body)
    assert_error(answer, 422, "validation_error")
    assert get_document(world)["paragraphs"][0]["kind"] == "heading"


@pytest.mark.parametrize("who", ["member", "liaison_de"])
def test_members_and_liaisons_cannot_move_or_retype_paragraphs(world: World, who: str) -> None:
    paragraph = world.paragraph_ids[2]
    assert_error(patch_paragraph(world, paragraph, who, position=1), 403, "forbidden")
    assert_error(patch_paragraph(world, paragraph, who, kind="text"), 403, "forbidden")
    assert ids_of(world) == world.paragraph_ids
    assert get_document(world)["paragraphs"][2]["kind"] == "recommendation"


def test_outsider_changing_a_paragraph_gets_404(world: World) -> None:
    answer = patch_paragraph(world, world.paragraph_ids[2], "outsider", position=1)
    assert_error(answer, 404, "not_found")
    delete = world.api("outsider").delete(f"/api/v1/paragraphs/{world.paragraph_ids[2]}")
    assert_error(delete, 404, "not_found")
    assert ids_of(world) == world.paragraph_ids


def test_moderator_deletes_a_paragraph(world: World) -> None:
    first, second, third = world.paragraph_ids
    answer = world.api("moderator").delete(f"/api/v1/paragraphs/{second}")
    assert answer.status_code == 204
    assert answer.content == b""
    assert ids_of(world) == [first, third]
    member = world.api("member")
    assert_error(member.get(f"/api/v1/paragraphs/{second}/revisions"), 404, "not_found")
    assert_error(patch_paragraph(world, second, kind="text"), 404, "not_found")
    assert_error(world.api("moderator").delete(f"/api/v1/paragraphs/{second}"), 404, "not_found")
    save = member.patch(
        f"/api/v1/paragraphs/{second}/texts/de", json={"text": "zu spät", "base_revision_id": 1}
    )
    assert_error(save, 404, "not_found")


def test_positions_stay_one_to_n_after_a_delete(world: World) -> None:
    first, second, third = world.paragraph_ids
    assert world.api("moderator").delete(f"/api/v1/paragraphs/{first}").status_code == 204
    new = add_paragraph(world).json()
    assert ids_of(world) == [second, third, new["id"]]
    paragraphs = get_document(world)["paragraphs"]
    # The position the API reports is one that it accepts back.
    for paragraph in paragraphs:
        answer = patch_paragraph(world, paragraph["id"], position=paragraph["position"])
        assert answer.status_code == 200, answer.text
    assert [p["position"] for p in paragraphs] == [1, 2, 3]


def test_moving_after_a_delete_counts_only_live_paragraphs(world: World) -> None:
    first, second, third = world.paragraph_ids
    world.api("moderator").delete(f"/api/v1/paragraphs/{first}")
    assert_error(patch_paragraph(world, second, position=3), 422, "validation_error")
    assert patch_paragraph(world, second, position=2).status_code == 200
    assert ids_of(world) == [third, second]


@pytest.mark.parametrize("who", ["member", "liaison_fr"])
def test_members_and_liaisons_cannot_delete_paragraphs(world: World, who: str) -> None:
    answer = world.api(who).delete(f"/api/v1/paragraphs/{world.paragraph_ids[0]}")
    assert_error(answer, 403, "forbidden")
    assert ids_of(world) == world.paragraph_ids


@pytest.mark.parametrize("bad_id", ["0", "-1", str(2**70), "abc", "999999"])
def test_changing_or_deleting_unknown_paragraphs_is_404_or_422(world: World, bad_id: str) -> None:
    moderator = world.api("moderator")
    for answer in (
        moderator.patch(f"/api/v1/paragraphs/{bad_id}", json={"kind": "text"}),
        moderator.delete(f"/api/v1/paragraphs/{bad_id}"),
    ):
        assert answer.status_code in (404, 422)
        assert answer.json()["error"]["code"] in ("not_found", "validation_error")


# --- HTML error pages ----------------------------------------------------------------------


def test_outsider_gets_an_html_404_page_for_the_document(world: World) -> None:
    page = world.browser("outsider").get(f"/documents/{world.document_id}")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text
    assert "Klimaneutrale Kommunen" not in page.text


def test_member_posting_a_paragraph_delete_form_gets_an_html_403(world: World) -> None:
    browser = world.browser("member")
    answer = browser.post(f"/paragraphs/{world.paragraph_ids[0]}/delete")
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert "Not allowed" in answer.text
    assert ids_of(world) == world.paragraph_ids


def test_outsider_posting_a_paragraph_delete_form_gets_an_html_404(world: World) -> None:
    answer = world.browser("outsider").post(f"/paragraphs/{world.paragraph_ids[0]}/delete")
    assert answer.status_code == 404
    assert ids_of(world) == world.paragraph_ids


def test_member_adds_a_paragraph_through_the_form_and_sees_a_refusal_for_nul(
    world: World,
) -> None:
    browser = world.browser("member")
    answer = browser.post(
        f"/documents/{world.document_id}/paragraphs",
        {"kind": "text", "de": "Entwurf mit\x00NUL", "fr": "brouillon"},
    )
    assert answer.status_code == 422
    assert "NUL" in answer.text
    assert "brouillon" in answer.text
    assert ids_of(world) == world.paragraph_ids
    ok = browser.post(
        f"/documents/{world.document_id}/paragraphs",
        {"kind": "text", "de": "Entwurf", "fr": "brouillon"},
    )
    assert ok.status_code == 303
    assert len(ids_of(world)) == 4


def test_a_json_body_that_is_not_utf8_is_a_validation_error(world: World) -> None:
    current = world.current(world.paragraph_ids[1])
    answer = world.api("member").patch(
        f"/api/v1/paragraphs/{world.paragraph_ids[1]}/texts/de",
        content=b'{"text": "Stra\xdfe", "base_revision_id": 1}',
        headers={"Content-Type": "application/json"},
    )
    assert_error(answer, 422, "validation_error")
    assert world.current(world.paragraph_ids[1]) == current
