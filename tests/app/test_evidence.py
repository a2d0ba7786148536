"""Evidence links between paragraphs and initiatives, and the coverage of a document."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.models import AuditEntry, Document, DocumentEventRow, EvidenceLink
from tests.helpers.evidence import link
from tests.helpers.factories import World, assert_error, session_of
from tests.helpers.initiatives import import_corpus


def coverage(world: World) -> dict[str, Any]:
    answer = world.api("member").get(f"/api/v1/documents/{world.document_id}/evidence-coverage")
    assert answer.status_code == 200
    result: dict[str, Any] = answer.json()
    return result


def test_member_links_a_recommendation_to_an_initiative(world: World) -> None:
    import_corpus(world)
    recommendation = world.paragraph_ids[2]
    answer = link(
        world, "member", recommendation, "saerbeck-klimakommune", "Klimaschutz als Pflicht"
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["initiative_key"] == "saerbeck-klimakommune"
    assert body["note"] == "Klimaschutz als Pflicht"
    assert body["author"] == "jonas"
    listed = world.api("liaison_fr").get(f"/api/v1/paragraphs/{recommendation}/evidence").json()
    assert [item["id"] for item in listed] == [body["id"]]
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    counts = {p["id"]: p["evidence_count"] for p in document["paragraphs"]}
    assert counts[recommendation] == 1 and counts[world.paragraph_ids[1]] == 0
    with session_of(world.app) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "evidence.add")).one()
        events = session.exec(select(DocumentEventRow.kind)).all()
    assert "evidence_added" in events


def test_coverage_counts_recommendations_countries_and_least_cited(world: World) -> None:
    import_corpus(world)
    recommendation = world.paragraph_ids[2]
    before = coverage(world)
    assert before["recommendations"] == 1
    assert before["with_evidence"] == 0
    assert before["without"] == [recommendation]
    link(world, "member", recommendation, "saerbeck-klimakommune")
    link(world, "member", recommendation, "wolfhagen-buergerenergie")
    french = world.api("member").get("/api/v1/initiatives", params={"country": "FR"}).json()
    link(world, "member", recommendation, french[0]["key"])
    after = coverage(world)
    assert after["with_evidence"] == 1 and after["without"] == []
    assert after["per_country"] == {str(recommendation): {"DE": 2, "FR": 1}}
    least = after["least_cited"]
    assert least[0]["count"] == 0
    assert "saerbeck-klimakommune" not in [item["key"] for item in least]
    page = world.browser("member").get(f"/documents/{world.document_id}/coverage")
    assert page.status_code == 200
    assert "1 of 1 recommendations" in page.text


def test_several_links_per_paragraph_but_not_the_same_initiative_twice(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[1]
    assert link(world, "member", paragraph, "saerbeck-klimakommune").status_code == 201
    assert link(world, "member", paragraph, "wildpoldsried-energiedorf").status_code == 201
    assert_error(link(world, "member", paragraph, "saerbeck-klimakommune"), 422, "validation_error")
    assert_error(link(world, "member", paragraph, "no-such-thing"), 422, "validation_error")
    assert_error(link(world, "member", paragraph, ""), 422, "validation_error")
    error = assert_error(
        link(world, "member", paragraph, "feldheim-energieautark", "Nul \x00"),
        422,
        "validation_error",
    )
    assert error["details"]["field"] == "note"


def test_only_the_author_or_a_moderator_removes_a_link(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[2]
    first = link(world, "member", paragraph, "saerbeck-klimakommune").json()["id"]
    second = link(world, "moderator", paragraph, "wolfhagen-buergerenergie").json()["id"]
    assert_error(world.api("member").delete(f"/api/v1/evidence/{second}"), 403, "forbidden")
    assert_error(world.api("liaison_de").delete(f"/api/v1/evidence/{first}"), 403, "forbidden")
    assert_error(world.api("outsider").delete(f"/api/v1/evidence/{first}"), 404, "not_found")
    assert world.api("member").delete(f"/api/v1/evidence/{first}").status_code == 204
    assert world.api("moderator").delete(f"/api/v1/evidence/{second}").status_code == 204
    assert_error(world.api("moderator").delete(f"/api/v1/evidence/{second}"), 404, "not_found")
    with session_of(world.app) as session:
        links = session.exec(select(EvidenceLink)).all()
        # soft delete: the rows stay with who removed them and when, for versions
        assert len(links) == 2
        assert all(item.removed_at is not None and item.removed_by for item in links)
    assert coverage(world)["without"] == [paragraph]


def test_outsiders_get_404_and_liaisons_403(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[2]
    assert_error(link(world, "outsider", paragraph, "saerbeck-klimakommune"), 404, "not_found")
    assert_error(link(world, "liaison_de", paragraph, "saerbeck-klimakommune"), 403, "forbidden")
    assert_error(
        world.api("outsider").get(f"/api/v1/documents/{world.document_id}/evidence-coverage"),
        404,
        "not_found",
    )
    assert (
        world.browser("outsider").get(f"/documents/{world.document_id}/coverage").status_code == 404
    )
    for bad in ["0", "-1", str(2**70), "abc"]:
        answer = world.api("member").post(
            f"/api/v1/paragraphs/{bad}/evidence", json={"initiative_key": "x"}
        )
        assert answer.status_code in (404, 422)
        assert world.api("member").delete(f"/api/v1/evidence/{bad}").status_code in (404, 422)


def test_links_are_closed_once_the_document_is_in_review(world: World) -> None:
    import_corpus(world)
    first = link(world, "member", world.paragraph_ids[2], "saerbeck-klimakommune").json()["id"]
    with session_of(world.app) as session:
        document = session.get(Document, world.document_id)
        assert document is not None
        document.phase = "review"  # reaching review needs a version: set it directly
        session.add(document)
        session.commit()
    assert_error(
        link(world, "moderator", world.paragraph_ids[2], "wolfhagen-buergerenergie"),
        403,
        "forbidden",
    )
    assert_error(world.api("moderator").delete(f"/api/v1/evidence/{first}"), 403, "forbidden")


def test_archived_initiatives_keep_showing_where_they_are_cited(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[2]
    link(world, "member", paragraph, "saerbeck-klimakommune", "Vorbild")
    world.api("member").post("/api/v1/initiatives/saerbeck-klimakommune/archive")
    page = world.browser("member").get(f"/documents/{world.document_id}")
    assert "Klimakommune Saerbeck" in page.text and "archived" in page.text
    assert_error(
        link(world, "member", world.paragraph_ids[1], "saerbeck-klimakommune"),
        422,
        "validation_error",
    )


def test_the_document_page_shows_links_in_both_languages_with_a_form(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[2]
    link(
        world,
        "member",
        paragraph,
        "wolfhagen-buergerenergie",
        "<img src=x onerror=alert(1)> Genossenschaft",
    )
    page = world.browser("member").get(f"/documents/{world.document_id}")
    assert "Bürgerenergiegenossenschaft Wolfhagen" in page.text
    assert "Coopérative énergétique citoyenne de Wolfhagen" in page.text
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text
    assert f'action="/paragraphs/{paragraph}/evidence"' in page.text
    assert 'id="evidence-initiatives"' in page.text
    liaison = world.browser("liaison_de").get(f"/documents/{world.document_id}")
    assert "Bürgerenergiegenossenschaft Wolfhagen" in liaison.text
    assert f'action="/paragraphs/{paragraph}/evidence"' not in liaison.text


def test_browser_links_and_removes_evidence_without_javascript(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[2]
    browser = world.browser("member")
    added = browser.post(
        f"/paragraphs/{paragraph}/evidence",
        data={"initiative_key": "saerbeck-klimakommune", "note": "Beteiligung"},
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"/documents/{world.document_id}#p-{paragraph}"
    link_id = (
        coverage(world)
        and world.api("member").get(f"/api/v1/paragraphs/{paragraph}/evidence").json()[0]["id"]
    )
    refused = browser.post(
        f"/paragraphs/{paragraph}/evidence", data={"initiative_key": "nope", "note": "x"}
    )
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    removed = browser.post(f"/evidence/{link_id}/remove")
    assert removed.status_code == 303
    assert coverage(world)["with_evidence"] == 0


def test_htmx_link_returns_the_paragraph_block(world: World) -> None:
    import_corpus(world)
    paragraph = world.paragraph_ids[2]
    browser = world.browser("member")
    answer = browser.post(
        f"/paragraphs/{paragraph}/evidence",
        data={"initiative_key": "saerbeck-klimakommune", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<article id="p-{paragraph}"')
    assert "Klimakommune Saerbeck" in answer.text


def test_initiative_page_lists_citations_in_the_callers_groups_only(world: World) -> None:
    import_corpus(world)
    link(world, "member", world.paragraph_ids[2], "saerbeck-klimakommune", "Vorbild")
    page = world.browser("member").get("/initiatives/saerbeck-klimakommune")
    assert f"#p-{world.paragraph_ids[2]}" in page.text
    assert "Bund und Länder sollen" in page.text
    # a member of another group only: sees the initiative but not the citation
    from app.queries.access import group_for
    from app.services import groups

    with session_of(world.app) as session:
        groups.create_group(session, world.admin, slug="andere", name_de="Andere", name_fr="Autre")
        access = group_for(session, world.admin, "andere", admin_ok=True)
        groups.set_member(session, access, "olaf", "member", None)
    other = world.browser("outsider").get("/initiatives/saerbeck-klimakommune")
    assert other.status_code == 200
    assert "Bund und Länder sollen" not in other.text
