from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from sqlmodel import col, select

from app.models import AuditEntry, Comment, Document, DocumentEventRow
from tests.helpers.factories import World, assert_error, session_of
from tests.helpers.statements import lengthen_document, repeated, statements_of

WAERME_DE = (
    "Die Kommunen im Grenzraum sollen bis 2030 gemeinsame Wärmepläne vorlegen. "
    "Der Bund fördert die Planung mit einem eigenen Programm."
)
WAERME_FR = (
    "Les collectivités frontalières doivent présenter des plans de chaleur communs "
    "d’ici 2030. L’État finance la planification par un programme dédié."
)

HOSTILE_BODIES = [
    "Il faut agir\u202f: «\u202fmaintenant\u202f» ! L’œuvre et l'æther ; vraiment ?",
    "Straße, STRAẞE, Bürger und Bu\u0308rger (zerlegt)",
    "zero\u200bwidth soft\u00adhyphen \ufeffbom \u202eevil bidi",
    '<script>alert(1)</script> "><img src=x onerror=alert(1)> {{ 7*7 }} {% raw %}',
    "[click](javascript:alert(1))",
    "👩🏽‍⚖️ Richterin und 𝔘nicode",
    "eine Zeile\nund noch eine",
]


def comment(world: World, who: str, paragraph_id: int, body: str, **extra: Any) -> Any:
    payload = {"lang": "de", "body": body} | extra
    return world.api(who).post(f"/api/v1/paragraphs/{paragraph_id}/comments", json=payload)


def threads(world: World, paragraph_id: int, who: str = "member") -> list[dict[str, Any]]:
    answer = world.api(who).get(f"/api/v1/paragraphs/{paragraph_id}/comments")
    assert answer.status_code == 200, answer.text
    result: list[dict[str, Any]] = answer.json()
    return result


def set_text(world: World, paragraph_id: int, text: str, lang: str = "de") -> None:
    base = world.current(paragraph_id, lang)["revision_id"]
    answer = world.api("moderator").patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        json={"text": text, "base_revision_id": base},
    )
    assert answer.status_code == 200, answer.text


def anchored(world: World, lang: str = "de") -> tuple[int, int]:
    """Paragraph 2 with the heat-planning text, and a thread quoting a passage of it."""
    paragraph = world.paragraph_ids[1]
    set_text(world, paragraph, WAERME_DE if lang == "de" else WAERME_FR, lang)
    quote = "gemeinsame Wärmepläne" if lang == "de" else "plans de chaleur communs"
    answer = comment(world, "member", paragraph, "Welche Frist?", lang=lang, quote=quote)
    assert answer.status_code == 201, answer.text
    return paragraph, answer.json()["id"]


def anchor_of(world: World, paragraph_id: int, comment_id: int) -> dict[str, Any]:
    thread = next(t for t in threads(world, paragraph_id) if t["id"] == comment_id)
    anchor: dict[str, Any] = thread["anchor"]
    return anchor


# --- threads and replies -----------------------------------------------------------------


def test_member_starts_a_thread_without_a_quote(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    answer = comment(world, "member", paragraph, "Welche Kommunen genau?")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["lang"] == "de"
    assert body["body"] == "Welche Kommunen genau?"
    assert body["author"] == "jonas"
    assert body["parent_id"] is None
    assert body["resolved"] is False
    assert body["anchor"] is None
    assert body["created_at"]
    assert [t["id"] for t in threads(world, paragraph)] == [body["id"]]


def test_a_quoted_passage_is_anchored_in_the_current_text(world: World) -> None:
    paragraph, comment_id = anchored(world)
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor == {
        "lang": "de",
        "quote": "gemeinsame Wärmepläne",
        "start": WAERME_DE.index("gemeinsame"),
        "end": WAERME_DE.index("gemeinsame") + len("gemeinsame Wärmepläne"),
        "state": "attached",
    }


def test_a_quote_that_is_not_in_the_text_is_refused_with_a_clear_422(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    answer = comment(world, "member", paragraph, "Hm.", quote="Klimanotstand erklärt")
    error = assert_error(answer, 422, "validation_error")
    assert error["details"] == {"field": "quote"}
    assert "Klimanotstand erklärt" in error["message"]
    assert threads(world, paragraph) == []


def test_a_quote_from_the_other_language_is_refused(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    answer = comment(world, "member", paragraph, "Hm.", lang="fr", quote="Kommunen")
    assert_error(answer, 422, "validation_error")


def test_an_empty_quote_means_no_anchor(world: World) -> None:
    answer = comment(world, "member", world.paragraph_ids[1], "Allgemein.", quote="")
    assert answer.status_code == 201
    assert answer.json()["anchor"] is None


def test_replies_belong_to_their_thread_and_have_no_anchor(world: World) -> None:
    paragraph, thread_id = anchored(world)
    reply = comment(world, "moderator", paragraph, "Bis 2030, wie im Gesetz.", parent_id=thread_id)
    assert reply.status_code == 201, reply.text
    assert reply.json()["parent_id"] == thread_id
    assert reply.json()["anchor"] is None
    [thread] = threads(world, paragraph)
    assert thread["id"] == thread_id
    assert [r["body"] for r in thread["replies"]] == ["Bis 2030, wie im Gesetz."]
    assert thread["replies"][0]["author"] == "mona"


def test_a_reply_must_answer_a_thread_of_the_same_paragraph(world: World) -> None:
    paragraph, thread_id = anchored(world)
    other = world.paragraph_ids[2]
    assert_error(
        comment(world, "member", other, "Falscher Absatz.", parent_id=thread_id),
        422,
        "validation_error",
    )
    reply = comment(world, "member", paragraph, "Antwort.", parent_id=thread_id).json()
    assert_error(
        comment(world, "member", paragraph, "Antwort auf Antwort.", parent_id=reply["id"]),
        422,
        "validation_error",
    )
    assert_error(
        comment(world, "member", paragraph, "Unbekannt.", parent_id=2**62), 422, "validation_error"
    )
    assert_error(
        comment(world, "member", paragraph, "Zitat.", parent_id=thread_id, quote="Kommunen"),
        422,
        "validation_error",
    )
    assert_error(
        comment(world, "member", paragraph, "Sprache.", parent_id=thread_id, lang="fr"),
        422,
        "validation_error",
    )


def test_threads_of_a_paragraph_come_with_both_languages(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    comment(world, "member", paragraph, "Auf Deutsch.")
    comment(world, "member", paragraph, "En français.", lang="fr")
    assert sorted((t["lang"], t["body"]) for t in threads(world, paragraph)) == [
        ("de", "Auf Deutsch."),
        ("fr", "En français."),
    ]


# --- who may do what ---------------------------------------------------------------------


def test_liaisons_can_comment_and_reply(world: World) -> None:
    paragraph = world.paragraph_ids[2]
    thread = comment(world, "liaison_fr", paragraph, "Quelle compétence ?", lang="fr")
    assert thread.status_code == 201, thread.text
    reply = comment(
        world, "liaison_de", paragraph, "Gute Frage.", lang="fr", parent_id=thread.json()["id"]
    )
    assert reply.status_code == 201, reply.text


def test_comments_stay_open_in_the_amendments_phase(world: World) -> None:
    moved = world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/phase", json={"phase": "amendments"}
    )
    assert moved.status_code == 200, moved.text
    assert comment(world, "member", world.paragraph_ids[1], "Noch offen.").status_code == 201


def test_outsider_gets_404_for_comments(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "member", paragraph, "Intern.").json()["id"]
    assert_error(comment(world, "outsider", paragraph, "Hallo?"), 404, "not_found")
    assert_error(
        world.api("outsider").get(f"/api/v1/paragraphs/{paragraph}/comments"), 404, "not_found"
    )
    for action in ("resolve", "reopen"):
        assert_error(
            world.api("outsider").post(f"/api/v1/comments/{thread_id}/{action}"), 404, "not_found"
        )


@pytest.mark.parametrize("bad_id", ["0", "-1", str(2**31), str(2**40), str(2**70), "abc"])
def test_bad_ids_are_refused_without_a_500(world: World, bad_id: str) -> None:
    answer = world.api("member").get(f"/api/v1/paragraphs/{bad_id}/comments")
    assert answer.status_code in (404, 422)
    answer = world.api("member").post(f"/api/v1/comments/{bad_id}/resolve")
    assert answer.status_code in (404, 422)


def test_unknown_comment_is_404_and_an_impossible_id_is_422(world: World) -> None:
    assert_error(world.api("member").post("/api/v1/comments/987654/resolve"), 404, "not_found")
    answer = world.api("member").post(f"/api/v1/comments/{2**62}/resolve")
    assert_error(answer, 422, "validation_error")


def test_author_resolves_and_reopens_their_thread(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "member", paragraph, "Erledigt?").json()["id"]
    resolved = world.api("member").post(f"/api/v1/comments/{thread_id}/resolve")
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["resolved"] is True
    assert threads(world, paragraph)[0]["resolved"] is True
    reopened = world.api("member").post(f"/api/v1/comments/{thread_id}/reopen")
    assert reopened.status_code == 200
    assert reopened.json()["resolved"] is False


def test_moderator_resolves_anyones_thread(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "liaison_de", paragraph, "Bitte prüfen.").json()["id"]
    answer = world.api("moderator").post(f"/api/v1/comments/{thread_id}/resolve")
    assert answer.status_code == 200
    assert answer.json()["resolved"] is True


@pytest.mark.parametrize("who", ["moderator", "liaison_de", "liaison_fr"])
def test_others_may_not_resolve_or_reopen_a_members_thread(world: World, who: str) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, who, paragraph, "Mein Thread.").json()["id"]
    for other in ("member", "liaison_de", "liaison_fr"):
        if other == who:
            continue
        assert_error(
            world.api(other).post(f"/api/v1/comments/{thread_id}/resolve"), 403, "forbidden"
        )
    world.api("moderator").post(f"/api/v1/comments/{thread_id}/resolve")
    assert_error(world.api("member").post(f"/api/v1/comments/{thread_id}/reopen"), 403, "forbidden")


def test_a_reply_cannot_be_resolved_on_its_own(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "member", paragraph, "Frage.").json()["id"]
    reply_id = comment(world, "member", paragraph, "Nachtrag.", parent_id=thread_id).json()["id"]
    assert_error(
        world.api("member").post(f"/api/v1/comments/{reply_id}/resolve"), 422, "validation_error"
    )


def test_resolving_twice_is_harmless(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "member", paragraph, "Doppelklick.").json()["id"]
    for _ in range(2):
        answer = world.api("member").post(f"/api/v1/comments/{thread_id}/resolve")
        assert answer.status_code == 200
        assert answer.json()["resolved"] is True
    with session_of(world.app) as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "comment.resolve")
        ).all()
    assert len(entries) == 1


# --- anchors through edits ---------------------------------------------------------------


def test_anchor_stays_attached_when_the_text_changes_elsewhere(world: World) -> None:
    paragraph, comment_id = anchored(world)
    set_text(
        world,
        paragraph,
        "Die Kommunen im Grenzraum sollen bis 2030 gemeinsame Wärmepläne vorlegen. "
        "Das Land unterstützt die Planung.",
    )
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor["state"] == "attached"
    assert (anchor["start"], anchor["end"]) == (42, 63)


def test_anchor_follows_words_inserted_before_it(world: World) -> None:
    paragraph, comment_id = anchored(world)
    new = (
        "Die Kommunen im deutsch-französischen Grenzraum sollen bis 2030 gemeinsame "
        "Wärmepläne vorlegen. Der Bund fördert die Planung mit einem eigenen Programm."
    )
    set_text(world, paragraph, new)
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor["state"] == "attached"
    assert new[anchor["start"] : anchor["end"]] == "gemeinsame Wärmepläne"


def test_anchor_moves_with_its_passage_when_the_sentence_is_rewritten(world: World) -> None:
    paragraph, comment_id = anchored(world)
    new = (
        "Der Bund fördert die Planung mit einem eigenen Programm, damit die Kommunen bis "
        "2030 gemeinsame Wärmepläne vorlegen."
    )
    set_text(world, paragraph, new)
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor["state"] == "moved"
    assert anchor["quote"] == "gemeinsame Wärmepläne"
    assert new[anchor["start"] : anchor["end"]] == "gemeinsame Wärmepläne"


def test_anchor_follows_a_slightly_reworded_passage(world: World) -> None:
    paragraph, comment_id = anchored(world)
    new = WAERME_DE.replace("gemeinsame Wärmepläne", "einen gemeinsamen Wärmeplan")
    set_text(world, paragraph, new)
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor["state"] == "moved"
    assert anchor["quote"] == "gemeinsamen Wärmeplan"
    assert new[anchor["start"] : anchor["end"]] == anchor["quote"]


def test_french_anchor_follows_a_changed_ending(world: World) -> None:
    paragraph, comment_id = anchored(world, "fr")
    new = WAERME_FR.replace("plans de chaleur communs", "plans de chaleur commun")
    set_text(world, paragraph, new, "fr")
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor["lang"] == "fr"
    assert anchor["state"] == "moved"
    assert new[anchor["start"] : anchor["end"]] == "plans de chaleur commun"


def test_anchor_is_detached_with_its_original_quote_when_the_passage_is_deleted(
    world: World,
) -> None:
    paragraph, comment_id = anchored(world, "fr")
    set_text(world, paragraph, "L’État finance la planification par un programme dédié.", "fr")
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor == {
        "lang": "fr",
        "quote": "plans de chaleur communs",
        "start": None,
        "end": None,
        "state": "detached",
    }
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "anchor--detached" in page
    assert "plans de chaleur communs" in page


def test_a_detached_anchor_never_points_at_other_words(world: World) -> None:
    paragraph, comment_id = anchored(world, "fr")
    set_text(world, paragraph, "L’État finance la planification par un programme dédié.", "fr")
    anchor_of(world, paragraph, comment_id)
    set_text(
        world,
        paragraph,
        "L’État finance la planification des réseaux de chaleur par un programme dédié.",
        "fr",
    )
    assert anchor_of(world, paragraph, comment_id)["state"] == "detached"


def test_relocation_is_stored_and_continues_from_the_last_text(world: World) -> None:
    paragraph, comment_id = anchored(world)
    first = (
        "Die Kommunen im deutsch-französischen Grenzraum sollen bis 2030 gemeinsame "
        "Wärmepläne vorlegen. Der Bund fördert die Planung mit einem eigenen Programm."
    )
    set_text(world, paragraph, first)
    assert anchor_of(world, paragraph, comment_id)["state"] == "attached"
    revision = world.current(paragraph)["revision_id"]
    with session_of(world.app) as session:
        stored = session.get(Comment, comment_id)
        assert stored is not None
        assert stored.anchor_revision_id == revision
        assert first[stored.anchor_start or 0 : stored.anchor_end] == "gemeinsame Wärmepläne"
    second = "Bis 2030: " + first
    set_text(world, paragraph, second)
    anchor = anchor_of(world, paragraph, comment_id)
    assert anchor["state"] == "attached"
    assert second[anchor["start"] : anchor["end"]] == "gemeinsame Wärmepläne"


# --- hostile input -----------------------------------------------------------------------


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_comment_bodies_are_stored_exactly_after_nfc(world: World, body: str) -> None:
    paragraph = world.paragraph_ids[1]
    answer = comment(world, "member", paragraph, body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["body"] == unicodedata.normalize("NFC", body)
    assert threads(world, paragraph)[0]["body"] == unicodedata.normalize("NFC", body)


def test_hostile_comment_bodies_are_shown_escaped(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    comment(world, "member", paragraph, '<script>alert(1)</script> "><img src=x> {{ 7*7 }}')
    comment(world, "member", paragraph, "\u202eevil bidi")
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x>" not in page
    assert "&#34;&gt;&lt;img src=x&gt; {{ 7*7 }}</div>" in page
    # user text sits in elements that isolate its direction from the interface
    assert re.search(r'dir="auto">\u202eevil bidi<', page)


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b"])
def test_control_characters_in_comments_are_refused_with_a_clear_422(
    world: World, control: str
) -> None:
    paragraph = world.paragraph_ids[1]
    error = assert_error(
        comment(world, "member", paragraph, f"vorher{control}nachher"), 422, "validation_error"
    )
    assert error["details"] == {"field": "body"}
    assert "control character" in error["message"]
    assert_error(
        comment(world, "member", paragraph, "Zitat", quote=f"Viele{control}"),
        422,
        "validation_error",
    )
    assert threads(world, paragraph) == []


@pytest.mark.parametrize("body", ["", " ", "\n\t"])
def test_empty_comments_are_refused(world: World, body: str) -> None:
    answer = comment(world, "member", world.paragraph_ids[1], body)
    assert_error(answer, 422, "validation_error")


def test_a_quote_with_braces_is_refused_without_a_500(world: World) -> None:
    answer = comment(world, "member", world.paragraph_ids[1], "Hm.", quote="{lang} {0} {{x}}")
    error = assert_error(answer, 422, "validation_error")
    assert "{lang} {0} {{x}}" in error["message"]


def test_a_decomposed_quote_matches_the_nfc_text(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    set_text(world, paragraph, "Die Bürger entscheiden.")
    answer = comment(world, "member", paragraph, "Wer?", quote="Bu\u0308rger")
    assert answer.status_code == 201, answer.text
    assert answer.json()["anchor"]["quote"] == "Bürger"


# --- counts, events, audit ---------------------------------------------------------------


def test_document_json_counts_open_threads_per_paragraph(world: World) -> None:
    first, second = world.paragraph_ids[1], world.paragraph_ids[2]
    one = comment(world, "member", first, "Eins.").json()["id"]
    comment(world, "member", first, "Zwei.", lang="fr")
    comment(world, "member", first, "Antwort.", parent_id=one)
    done = comment(world, "member", second, "Erledigt.").json()["id"]
    world.api("member").post(f"/api/v1/comments/{done}/resolve")
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    counts = {p["id"]: p["open_comments"] for p in document["paragraphs"]}
    assert counts == {world.paragraph_ids[0]: 0, first: 2, second: 0}


def test_comment_actions_are_published_for_open_pages_and_audited(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "member", paragraph, "Live.").json()["id"]
    world.api("member").post(f"/api/v1/comments/{thread_id}/resolve")
    world.api("member").post(f"/api/v1/comments/{thread_id}/reopen")
    with session_of(world.app) as session:
        events = session.exec(select(DocumentEventRow).order_by(col(DocumentEventRow.id))).all()
        actions = [e.action for e in session.exec(select(AuditEntry)).all()]
    kinds = [(e.kind, e.paragraph_id) for e in events if e.kind.startswith("comment")]
    assert kinds == [
        ("comment_added", paragraph),
        ("comment_resolved", paragraph),
        ("comment_reopened", paragraph),
    ]
    assert {"comment.add", "comment.resolve", "comment.reopen"} <= set(actions)


# --- pages -------------------------------------------------------------------------------


def test_document_page_shows_threads_on_their_side_with_forms(world: World) -> None:
    paragraph, thread_id = anchored(world)
    comment(world, "moderator", paragraph, "Antwort der Moderation.", parent_id=thread_id)
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert f'id="c-{thread_id}"' in page
    assert "Welche Frist?" in page and "Antwort der Moderation." in page
    assert "anchor--attached" in page
    assert f'action="/comments/{thread_id}/resolve"' in page
    assert f'action="/paragraphs/{paragraph}/comments"' in page
    assert "1 open comment thread" in page
    assert "/static/comments.js" in page


def test_member_sees_no_resolve_button_on_someone_elses_thread(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "liaison_de", paragraph, "Von Anna.").json()["id"]
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert f'action="/comments/{thread_id}/resolve"' not in page
    page = world.browser("moderator").get(f"/documents/{world.document_id}").text
    assert f'action="/comments/{thread_id}/resolve"' in page


def test_commenting_through_htmx_returns_only_that_paragraph(world: World) -> None:
    browser = world.browser("liaison_fr")
    paragraph = world.paragraph_ids[2]
    answer = browser.post(
        f"/paragraphs/{paragraph}/comments",
        {"lang": "fr", "body": "« Compétence obligatoire » : laquelle ?", "quote": "compétence"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.text.lstrip().startswith(f'<article id="p-{paragraph}"')
    assert "<html" not in answer.text
    assert "« Compétence obligatoire » : laquelle ?" in answer.text
    assert "anchor--attached" in answer.text


def test_commenting_without_javascript_redirects_to_the_thread(world: World) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[1]
    answer = browser.post(f"/paragraphs/{paragraph}/comments", {"lang": "de", "body": "Ohne JS."})
    assert answer.status_code == 303
    [thread] = threads(world, paragraph)
    assert answer.headers["location"] == f"/documents/{world.document_id}#c-{thread['id']}"
    reply = browser.post(
        f"/paragraphs/{paragraph}/comments",
        {"lang": "de", "body": "Antwort ohne JS.", "parent_id": str(thread["id"])},
    )
    assert reply.status_code == 303
    resolved = browser.post(f"/comments/{thread['id']}/resolve")
    assert resolved.status_code == 303
    assert resolved.headers["location"] == f"/documents/{world.document_id}#c-{thread['id']}"
    assert threads(world, paragraph)[0]["resolved"] is True
    assert browser.post(f"/comments/{thread['id']}/reopen").status_code == 303
    assert threads(world, paragraph)[0]["resolved"] is False


def test_a_refused_comment_form_keeps_what_was_typed(world: World) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[1]
    answer = browser.post(
        f"/paragraphs/{paragraph}/comments",
        {"lang": "de", "body": "Mein langer Kommentar", "quote": "steht nicht im Text"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 422
    assert "does not occur in the current DE text" in answer.text
    assert "Mein langer Kommentar" in answer.text
    assert 'value="steht nicht im Text"' in answer.text
    full = browser.post(
        f"/paragraphs/{paragraph}/comments", {"lang": "de", "body": "Mit\x00NUL", "quote": ""}
    )
    assert full.status_code == 422
    assert "<html" in full.text and "control character NUL" in full.text


def test_comment_forms_need_the_csrf_token(world: World) -> None:
    browser = world.browser("member")
    answer = browser.client.post(
        f"/paragraphs/{world.paragraph_ids[1]}/comments", data={"lang": "de", "body": "x"}
    )
    assert answer.status_code == 403
    assert threads(world, world.paragraph_ids[1]) == []


def test_outsider_cannot_comment_through_the_form(world: World) -> None:
    browser = world.browser("outsider")
    answer = browser.post(
        f"/paragraphs/{world.paragraph_ids[1]}/comments", {"lang": "de", "body": "Hallo"}
    )
    assert answer.status_code == 404


def test_document_page_queries_stay_constant_with_comments_and_relocated_anchors(
    world: World,
) -> None:
    browser = world.browser("member")
    path = f"/documents/{world.document_id}"

    def discuss(paragraph_ids: list[int]) -> None:
        for paragraph in paragraph_ids:
            text = world.current(paragraph)["text"]
            quote = text.split()[0]
            thread = comment(world, "member", paragraph, "Frage an @mona", quote=quote).json()
            comment(world, "moderator", paragraph, "Antwort.", parent_id=thread["id"])
            comment(world, "liaison_fr", paragraph, "Remarque.", lang="fr")
            set_text(world, paragraph, "Neu: " + text)

    discuss(world.paragraph_ids)
    short = statements_of(world.app, lambda: browser.get(path))
    lengthen_document(world, 30)
    discuss(world.paragraph_ids[3:])
    long = statements_of(world.app, lambda: browser.get(path))
    assert len(long) == len(short), repeated(short, long)
    assert browser.get(path).text.count("anchor--attached") == 30


def adopt(world: World) -> None:
    """Adoption needs the versions feature; the precondition is set on the row directly."""
    with session_of(world.app) as session:
        document = session.get(Document, world.document_id)
        assert document is not None
        document.phase = "adopted"
        session.add(document)
        session.commit()


def test_an_adopted_document_takes_no_more_comments(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread_id = comment(world, "member", paragraph, "Vor der Annahme.").json()["id"]
    adopt(world)
    for who in ("member", "moderator", "liaison_de"):
        assert_error(comment(world, who, paragraph, "Zu spät."), 403, "forbidden")
    assert_error(
        world.api("member").post(f"/api/v1/comments/{thread_id}/resolve"), 403, "forbidden"
    )
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "Vor der Annahme." in page
    assert f'action="/paragraphs/{paragraph}/comments"' not in page
    assert threads(world, paragraph)[0]["body"] == "Vor der Annahme."


def test_the_api_documents_the_comment_and_notification_endpoints(world: World) -> None:
    schema = world.api("member").get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/paragraphs/{paragraph_id}/comments"]
    assert "get" in paths["/api/v1/paragraphs/{paragraph_id}/comments"]
    assert "post" in paths["/api/v1/comments/{comment_id}/resolve"]
    assert "post" in paths["/api/v1/comments/{comment_id}/reopen"]
    assert "get" in paths["/api/v1/notifications"]
    assert "post" in paths["/api/v1/notifications/read"]
    assert "/notifications" not in paths


def test_a_comment_form_sent_twice_makes_one_comment(world: World) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[1]
    form = {"lang": "de", "body": "Doppelt gesendet @mona", "quote": "Kommunen"}
    assert browser.post(f"/paragraphs/{paragraph}/comments", form).status_code == 303
    assert browser.post(f"/paragraphs/{paragraph}/comments", form).status_code == 303
    assert [t["body"] for t in threads(world, paragraph)] == ["Doppelt gesendet @mona"]
    assert world.api("moderator").get("/api/v1/notifications").json()["unread"] == 1
    again = comment(world, "member", paragraph, "Doppelt gesendet @mona", quote="Kommunen")
    assert again.status_code == 201
    assert len(threads(world, paragraph)) == 1
    other = comment(world, "member", paragraph, "Doppelt gesendet @mona")
    assert other.status_code == 201
    assert len(threads(world, paragraph)) == 2


def test_a_refused_reply_to_a_foreign_thread_is_reported_on_the_page(world: World) -> None:
    other = comment(world, "member", world.paragraph_ids[2], "Anderswo.").json()["id"]
    answer = world.browser("member").post(
        f"/paragraphs/{world.paragraph_ids[1]}/comments",
        {"lang": "de", "body": "Fehlgeleitet", "parent_id": str(other)},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 422
    assert f"parent_id {other} is not a comment thread of this paragraph." in answer.text
    assert "Fehlgeleitet" in answer.text
