from __future__ import annotations

import unicodedata

import pytest
from sqlmodel import col, select

from app.models import ConflictDraft, Revision
from tests.helpers.factories import World, session_of

HOSTILE_TEXTS = [
    "Il faut agir\u202f: «\u202fmaintenant\u202f» ! L’œuvre et l'æther ; vraiment ?",
    "Straße, STRAẞE, Bürger (precomposed) und Bu\u0308rger (decomposed)",
    "zero\u200bwidth\u200djoiner soft\u00adhyphen \ufeffbom \u202eevil bidi",
    '<script>alert(1)</script> "><img src=x onerror=alert(1)> {{ 7*7 }} {% raw %}',
    "[click](javascript:alert(1)) and [ok](https://example.org)",
    "👩🏽‍⚖️ Richterin und 𝔘nicode",
    "",
    " ",
]


def save(
    world: World, paragraph_id: int, text: str, base: int, who: str = "member", lang: str = "de"
):  # type: ignore[no-untyped-def]
    return world.api(who).patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        json={"text": text, "base_revision_id": base},
    )


def test_member_saves_a_new_revision_in_drafting(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    answer = save(world, paragraph, "Viele Kommunen haben den Klimanotstand erklärt.", base)
    assert answer.status_code == 200
    body = answer.json()
    assert body["merged"] is False
    assert body["revision_id"] != base
    assert world.current(paragraph)["text"] == "Viele Kommunen haben den Klimanotstand erklärt."
    history = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/revisions?lang=de").json()
    assert [r["id"] for r in history] == [body["revision_id"], base]
    assert history[0]["parent_id"] == base
    assert history[0]["author"] == "jonas"
    assert history[0]["source"] == "human"


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_is_stored_exactly_after_nfc(world: World, text: str) -> None:
    paragraph = world.paragraph_ids[1]
    answer = save(world, paragraph, text, world.current(paragraph)["revision_id"])
    assert answer.status_code == 200, answer.text
    stored = world.current(paragraph)["text"]
    assert stored == unicodedata.normalize("NFC", text)


def test_hostile_text_is_shown_escaped_on_the_document_page(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    text = (
        '<script>alert(1)</script> "><img src=x onerror=alert(1)> '
        "[x](javascript:alert(1)) {{ 7*7 }}"
    )
    save(world, paragraph, text, world.current(paragraph)["revision_id"])
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "{{ 7*7 }}" in page and "49" not in page


def test_crlf_is_normalised_to_lf(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    save(world, paragraph, "eins\r\nzwei\rdrei", world.current(paragraph)["revision_id"])
    assert world.current(paragraph)["text"] == "eins\nzwei\ndrei"


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_are_refused_with_a_clear_422(world: World, control: str) -> None:
    paragraph = world.paragraph_ids[1]
    before = world.current(paragraph)
    answer = save(world, paragraph, f"vorher{control}nachher", before["revision_id"])
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert "control character" in error["message"]
    assert "position 7" in error["message"]
    assert world.current(paragraph) == before


def test_a_200000_character_paragraph_and_a_10000_character_word_are_stored(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    long_text = ("Klimaschutz ist kommunale Daseinsvorsorge. " * 4700)[:200_000]
    answer = save(world, paragraph, long_text, world.current(paragraph)["revision_id"])
    assert answer.status_code == 200
    word = "a" * 10_000
    answer = save(world, paragraph, word, world.current(paragraph)["revision_id"])
    assert answer.status_code == 200
    assert world.current(paragraph)["text"] == word


def test_a_text_over_the_limit_is_refused(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    answer = save(world, paragraph, "x" * 200_001, world.current(paragraph)["revision_id"])
    assert answer.status_code == 422
    assert "at most 200000" in answer.json()["error"]["message"]


def test_same_save_twice_creates_one_revision(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    first = save(world, paragraph, "Neuer Text.", base)
    second = save(world, paragraph, "Neuer Text.", base)
    assert first.status_code == second.status_code == 200
    assert first.json()["revision_id"] == second.json()["revision_id"]
    history = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/revisions?lang=de").json()
    assert len(history) == 2


def test_edits_to_different_words_from_the_same_base_are_merged(world: World) -> None:
    paragraph = world.paragraph_ids[2]
    base = world.current(paragraph)["revision_id"]
    first = save(
        world, paragraph, "Bund und Länder müssen Klimaschutz zur Pflichtaufgabe machen.", base
    )
    second = save(
        world,
        paragraph,
        "Bund und Länder sollen Klimaschutz zur kommunalen Pflichtaufgabe machen.",
        base,
        who="moderator",
    )
    assert first.status_code == 200 and first.json()["merged"] is False
    assert second.status_code == 200, second.text
    assert second.json()["merged"] is True
    assert second.json()["source"] == "merge"
    assert world.current(paragraph)["text"] == (
        "Bund und Länder müssen Klimaschutz zur kommunalen Pflichtaufgabe machen."
    )


def test_overlapping_edits_are_a_409_and_keep_the_text_as_a_conflict_draft(world: World) -> None:
    paragraph = world.paragraph_ids[2]
    base = world.current(paragraph)["revision_id"]
    save(world, paragraph, "Bund und Länder müssen Klimaschutz zur Pflichtaufgabe machen.", base)
    answer = save(
        world,
        paragraph,
        "Bund und Länder dürfen Klimaschutz zur Pflichtaufgabe machen.",
        base,
        who="moderator",
    )
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "edit_conflict"
    details = error["details"]
    assert (
        details["yours"]["text"] == "Bund und Länder dürfen Klimaschutz zur Pflichtaufgabe machen."
    )
    assert (
        details["theirs"]["text"] == "Bund und Länder müssen Klimaschutz zur Pflichtaufgabe machen."
    )
    assert details["base"]["revision_id"] == base
    with session_of(world.app) as session:
        draft = session.get(ConflictDraft, details["conflict_id"])
        assert draft is not None
        assert draft.text == details["yours"]["text"]
        assert draft.author_id == world.moderator.id
    assert world.current(paragraph)["text"].startswith("Bund und Länder müssen")


def test_base_revision_of_another_paragraph_is_a_422(world: World) -> None:
    other_base = world.current(world.paragraph_ids[0])["revision_id"]
    answer = save(world, world.paragraph_ids[1], "Text", other_base)
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["field"] == "base_revision_id"


def test_diff_between_two_revisions_is_word_level(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    new = save(world, paragraph, "Viele Gemeinden haben den Klimanotstand ausgerufen.", base).json()
    answer = world.api("member").get(
        f"/api/v1/paragraphs/{paragraph}/diff", params={"from": base, "to": new["revision_id"]}
    )
    assert answer.status_code == 200
    assert answer.json()["ops"] == [
        [0, "Viele "],
        [-1, "Kommunen"],
        [1, "Gemeinden"],
        [0, " haben den Klimanotstand ausgerufen."],
    ]


def test_restore_makes_an_old_text_current_as_a_new_revision(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    original = world.current(paragraph)
    save(world, paragraph, "Ganz anderer Text.", original["revision_id"])
    answer = world.api("member").post(
        f"/api/v1/paragraphs/{paragraph}/texts/de/restore",
        json={"revision_id": original["revision_id"]},
    )
    assert answer.status_code == 200
    assert answer.json()["source"] == "restore"
    assert answer.json()["revision_id"] not in (original["revision_id"],)
    assert world.current(paragraph)["text"] == original["text"]
    with session_of(world.app) as session:
        count = len(
            session.exec(
                select(Revision).where(
                    col(Revision.paragraph_id) == paragraph, Revision.lang == "de"
                )
            ).all()
        )
    assert count == 3


def test_liaison_cannot_edit_texts(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    answer = save(
        world, paragraph, "Nein.", world.current(paragraph)["revision_id"], who="liaison_de"
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"


def test_outsider_gets_404_for_everything_of_the_group(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    outsider = world.api("outsider")
    assert outsider.get(f"/api/v1/documents/{world.document_id}").status_code == 404
    assert save(world, paragraph, "x", base, who="outsider").status_code == 404
    assert outsider.get(f"/api/v1/paragraphs/{paragraph}/revisions").status_code == 404
    assert outsider.get("/api/v1/groups/klima").status_code == 404
    assert outsider.get("/api/v1/groups/klima/documents").status_code == 404


@pytest.mark.parametrize("bad_id", ["0", "-1", str(2**31), str(2**40), str(2**70), "abc", "999999"])
def test_unknown_negative_huge_and_non_numeric_ids_are_404_or_422(
    world: World, bad_id: str
) -> None:
    member = world.api("member")
    for path in (
        f"/api/v1/documents/{bad_id}",
        f"/api/v1/paragraphs/{bad_id}/revisions",
    ):
        answer = member.get(path)
        assert answer.status_code in (404, 422), (path, answer.status_code)
        assert answer.json()["error"]["code"] in ("not_found", "validation_error")
    answer = member.patch(
        f"/api/v1/paragraphs/{world.paragraph_ids[1]}/texts/de",
        json={"text": "x", "base_revision_id": 2**70},
    )
    assert answer.status_code == 422
    page = world.browser("member").get(f"/documents/{bad_id}")
    assert page.status_code in (404, 422)
