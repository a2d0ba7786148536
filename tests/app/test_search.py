"""Search in the caller's groups: paragraphs, comments, amendments and initiatives."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from app.models import Amendment, Comment
from app.queries.access import document_for, group_for
from app.queries.search import highlight, terms_of
from app.services import documents, groups
from drafting.text import Lang
from tests.helpers.factories import World, session_of
from tests.helpers.initiatives import import_corpus


def search(world: World, who: str, q: str) -> dict[str, Any]:
    answer = world.api(who).get("/api/v1/search", params={"q": q})
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def kinds_and_ids(result: dict[str, Any]) -> set[tuple[str, int]]:
    return {(hit["kind"], hit["id"]) for hit in result["hits"]}


def add_paragraph(world: World, de: str, fr: str) -> int:
    with session_of(world.app) as session:
        access = document_for(session, world.moderator, world.document_id)
        paragraph = documents.insert_paragraph(
            session, access, kind="text", texts={Lang.DE: de, Lang.FR: fr}
        )
        session.commit()
        assert paragraph.id is not None
        return paragraph.id


def test_german_prefix_finds_compounds_with_umlauts(world: World) -> None:
    paragraph = add_paragraph(
        world, "Die Bürgerenergiegenossenschaft gehört der Stadt.", "La coopérative citoyenne."
    )
    result = search(world, "member", "Bürger")
    hit = next(h for h in result["hits"] if h["kind"] == "paragraph" and h["id"] == paragraph)
    assert hit["lang"] == "de"
    assert "<mark>Bürgerenergiegenossenschaft</mark>" in hit["snippet_html"]
    assert hit["url"] == f"/documents/{world.document_id}#p-{paragraph}"


def test_french_words_are_found_without_accents_and_after_elisions(world: World) -> None:
    paragraph = add_paragraph(
        world, "Energie.", "Les communes produisent de l'énergie renouvelable."
    )
    for query in ["énergie", "energie", "ENERGIE", "renouvelable"]:
        hits = search(world, "member", query)["hits"]
        assert any(
            h["kind"] == "paragraph" and h["id"] == paragraph and h["lang"] == "fr" for h in hits
        ), query
    hit = next(
        h
        for h in search(world, "member", "energie")["hits"]
        if h["id"] == paragraph and h["lang"] == "fr"
    )
    assert "l'<mark>énergie</mark>" in hit["snippet_html"].replace("&#39;", "'")


def test_only_the_current_text_is_searched(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    current = world.current(paragraph)
    saved = world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={"text": "Windkraft überall.", "base_revision_id": current["revision_id"]},
    )
    assert saved.status_code == 200
    assert not search(world, "member", "Klimanotstand")["hits"]
    assert ("paragraph", paragraph) in kinds_and_ids(search(world, "member", "Windkraft"))


def test_comments_amendments_and_initiatives_are_found(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[2]
    comment = world.api("liaison_fr").post(
        f"/api/v1/paragraphs/{paragraph}/comments",
        json={"lang": "fr", "body": "Il faudrait citer la géothermie profonde."},
    )
    assert comment.status_code == 201, comment.text
    with session_of(world.app) as session:
        amendment = Amendment(
            paragraph_id=paragraph,
            document_id=world.document_id,
            author_id=world.member.id or 0,
            justification="Die Wärmeplanung fehlt.",
            de_text="Bund und Länder sollen die kommunale Wärmeplanung fördern.",
        )
        session.add(amendment)
        session.commit()
        amendment_id = amendment.id
    assert ("comment", comment.json()["id"]) in kinds_and_ids(search(world, "member", "geothermie"))
    assert ("amendment", amendment_id) in kinds_and_ids(search(world, "member", "Wärmeplanung"))
    initiatives = search(world, "member", "Saerbeck")["hits"]
    assert any(
        h["kind"] == "initiative" and h["url"] == "/initiatives/saerbeck-klimakommune"
        for h in initiatives
    )


def test_nothing_of_another_group_is_ever_found(world: World) -> None:
    import_corpus(world)
    add_paragraph(world, "Geheimprojekt Sonnenacker.", "Projet secret Sonnenacker.")
    world.api("member").post(
        f"/api/v1/paragraphs/{world.paragraph_ids[1]}/comments",
        json={"lang": "de", "body": "Sonnenacker vertraulich."},
    )
    with session_of(world.app) as session:
        groups.create_group(session, world.admin, slug="andere", name_de="Andere", name_fr="Autre")
        access = group_for(session, world.admin, "andere", admin_ok=True)
        groups.set_member(session, access, "olaf", "member", None)
    assert len(search(world, "member", "Sonnenacker")["hits"]) == 3
    assert search(world, "outsider", "Sonnenacker")["hits"] == []
    # initiatives are a shared library, so they are found by members of any group
    assert search(world, "outsider", "Saerbeck")["hits"]
    page = world.browser("outsider").get("/search", params={"q": "Sonnenacker"})
    assert page.status_code == 200 and "Sonnenacker" not in page.text.replace(
        'value="Sonnenacker"', ""
    )


def test_a_user_in_no_group_finds_nothing(world: World) -> None:
    import_corpus(world)
    assert search(world, "outsider", "Saerbeck")["hits"] == []


def test_hostile_queries_never_fail(world: World) -> None:
    import_corpus(world)
    for query in [
        '"',
        "*",
        "NEAR(",
        'NEAR("a" "b", 2)',
        "a OR",
        "AND",
        "-x",
        "^",
        ":",
        "'",
        "\\",
        "{{ 7*7 }}",
        "<script>alert(1)</script>",
        "l'",
        "’",
        "\u202e",
        "🙂",
        "ẞ",
        "x" * 500,
        "a & b | !c",
        "(",
        ")",
        "a:*",
        "$$",
        "%",
        "_",
        "\u0301",
        "NOT",
        "col:term",
    ]:
        assert world.api("member").get("/api/v1/search", params={"q": query}).status_code == 200
        assert world.browser("member").get("/search", params={"q": query}).status_code == 200
    assert world.api("member").get("/api/v1/search", params={"q": "x" * 600}).status_code == 422


def test_snippets_are_escaped_before_marking(world: World) -> None:
    paragraph = add_paragraph(world, "<b>Wärme</b> & <script>alert(1)</script> Wärmenetz", "x")
    hit = next(h for h in search(world, "member", "Wärme")["hits"] if h["id"] == paragraph)
    assert "<script>" not in hit["snippet_html"]
    assert "&lt;b&gt;<mark>Wärme</mark>&lt;/b&gt;" in hit["snippet_html"]
    page = world.browser("member").get("/search", params={"q": "Wärme"})
    assert "<script>alert(1)</script>" not in page.text
    assert "<mark>Wärmenetz</mark>" in page.text


def test_highlight_marks_words_by_prefix_and_stem() -> None:
    plain, html, matched = highlight("Viele Kommune, l'énergie", terms_of("kommunen ENERGIE"))
    assert matched and plain == "Viele Kommune, l'énergie"
    assert html == Markup("Viele <mark>Kommune</mark>, l&#39;<mark>énergie</mark>")
    assert terms_of('NEAR("x" * y)') == ["near", "x", "y"]
    assert terms_of("") == []


def test_deleted_paragraphs_and_their_comments_are_not_found(world: World) -> None:
    paragraph = add_paragraph(world, "Verschwindet bald.", "Disparaît bientôt.")
    with session_of(world.app) as session:
        session.add(
            Comment(
                paragraph_id=paragraph,
                document_id=world.document_id,
                lang="de",
                author_id=world.member.id or 0,
                body="Verschwindet mit.",
            )
        )
        session.commit()
    assert len(search(world, "member", "verschwindet")["hits"]) == 2
    assert world.api("moderator").delete(f"/api/v1/paragraphs/{paragraph}").status_code == 204
    assert search(world, "member", "verschwindet")["hits"] == []
