from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app.models import AuditEntry, EvidenceLink, Initiative, utcnow
from app.queries.versions import snapshot
from tests.helpers.factories import World, assert_error, session_of


def create_version(world: World, label: str = "Erster Entwurf", who: str = "moderator") -> Any:
    return world.api(who).post(
        f"/api/v1/documents/{world.document_id}/versions", json={"label": label}
    )


def save(world: World, paragraph_id: int, lang: str, text: str) -> None:
    base = world.current(paragraph_id, lang)["revision_id"]
    answer = world.api("moderator").patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        json={"text": text, "base_revision_id": base},
    )
    assert answer.status_code == 200, answer.text


def link_evidence(world: World, paragraph_id: int, note: str) -> int:
    """An evidence link written straight to the table (the evidence routes are not ours)."""
    with session_of(world.app) as session:
        initiative = Initiative(
            key="freiburg-solar",
            name_de="Solardächer Freiburg",
            name_fr="Toits solaires de Fribourg",
            municipality="Freiburg",
            country="DE",
        )
        session.add(initiative)
        session.flush()
        assert initiative.id is not None
        link = EvidenceLink(
            paragraph_id=paragraph_id,
            document_id=world.document_id,
            initiative_id=initiative.id,
            note=note,
        )
        session.add(link)
        session.commit()
        assert link.id is not None
        return link.id


def test_moderator_creates_a_numbered_version_of_ids_only(world: World) -> None:
    answer = create_version(world)
    assert answer.status_code == 201
    body = answer.json()
    assert body["number"] == 1
    assert body["label"] == "Erster Entwurf"
    assert body["created_at"]
    assert [p["paragraph_id"] for p in body["paragraphs"]] == world.paragraph_ids
    first = body["paragraphs"][0]
    assert first["kind"] == "heading"
    assert first["de_revision_id"] == world.current(world.paragraph_ids[0], "de")["revision_id"]
    assert first["fr_revision_id"] == world.current(world.paragraph_ids[0], "fr")["revision_id"]
    assert create_version(world, "Zweiter").json()["number"] == 2


def test_a_version_keeps_its_texts_when_the_document_changes(world: World) -> None:
    create_version(world)
    paragraph = world.paragraph_ids[1]
    save(world, paragraph, "de", "Alle Kommunen haben den Klimanotstand ausgerufen.")
    version = world.api("member").get(f"/api/v1/documents/{world.document_id}/versions/1").json()
    texts = next(p for p in version["paragraphs"] if p["paragraph_id"] == paragraph)["texts"]
    assert texts["de"]["text"] == "Viele Kommunen haben den Klimanotstand ausgerufen."
    assert texts["fr"]["text"].startswith("De nombreuses collectivités")


def test_a_version_snapshots_the_live_evidence_links(world: World) -> None:
    link_id = link_evidence(world, world.paragraph_ids[2], "Zeigt, dass es geht.")
    create_version(world)
    with session_of(world.app) as session:
        link = session.get(EvidenceLink, link_id)
        assert link is not None

        link.removed_at = utcnow()
        session.add(link)
        session.commit()
        frozen = snapshot(session, world.document_id, 1)
        current = snapshot(session, world.document_id, None)
    [evidence] = frozen.paragraphs[2].evidence
    assert evidence.initiative_key == "freiburg-solar"
    assert evidence.note == "Zeigt, dass es geht."
    assert evidence.country == "DE"
    assert current.paragraphs[2].evidence == ()
    version = world.api("member").get(f"/api/v1/documents/{world.document_id}/versions/1").json()
    assert version["paragraphs"][2]["evidence"][0]["name_fr"] == "Toits solaires de Fribourg"


def test_snapshot_of_the_current_text_has_no_version_number(world: World) -> None:
    with session_of(world.app) as session:
        current = snapshot(session, world.document_id, None)
    assert current.version_number is None and current.is_current
    assert current.title_de == "Klimaneutrale Kommunen"
    assert [p.number for p in current.paragraphs] == [1, 2, 3]
    assert current.paragraphs[0].de == "Präambel"
    assert current.approvals == () and not current.adopted


def test_members_read_versions_but_cannot_create_them(world: World) -> None:
    create_version(world)
    assert_error(create_version(world, who="member"), 403, "forbidden")
    assert_error(create_version(world, who="liaison_de"), 403, "forbidden")
    listed = world.api("member").get(f"/api/v1/documents/{world.document_id}/versions")
    assert listed.status_code == 200
    assert [v["number"] for v in listed.json()] == [1]
    assert len(listed.json()[0]["paragraphs"]) == 3
    assert (
        world.api("liaison_fr").get(f"/api/v1/documents/{world.document_id}/versions/1").status_code
        == 200
    )


def test_outsiders_get_404_for_versions(world: World) -> None:
    create_version(world)
    outsider = world.api("outsider")
    base = f"/api/v1/documents/{world.document_id}"
    assert_error(create_version(world, who="outsider"), 404, "not_found")
    assert_error(outsider.get(f"{base}/versions"), 404, "not_found")
    assert_error(outsider.get(f"{base}/versions/1"), 404, "not_found")
    assert_error(outsider.get(f"{base}/compare?from=1"), 404, "not_found")
    assert_error(outsider.get(f"{base}/reviews"), 404, "not_found")


@pytest.mark.parametrize("label", ["", "   ", "Null\x00Byte", "x" * 501])
def test_bad_labels_are_refused_clearly(world: World, label: str) -> None:
    assert_error(create_version(world, label), 422, "validation_error")


def test_unknown_versions_are_404_and_odd_numbers_422(world: World) -> None:
    base = f"/api/v1/documents/{world.document_id}"
    member = world.api("member")
    assert_error(member.get(f"{base}/versions/7"), 404, "not_found")
    assert_error(member.get(f"{base}/versions/0"), 422, "validation_error")
    assert_error(member.get(f"{base}/versions/99999999999999999999"), 422, "validation_error")
    assert_error(member.get(f"{base}/compare?from=abc"), 422, "validation_error")
    assert_error(member.get(f"{base}/compare?from=-1"), 422, "validation_error")
    assert_error(member.get(f"{base}/compare?from=٣"), 422, "validation_error")
    assert_error(member.get(f"{base}/compare?from=5"), 404, "not_found")
    assert_error(member.get(f"{base}/compare"), 422, "validation_error")


def test_creating_a_version_is_audited(world: World) -> None:
    create_version(world)
    with session_of(world.app) as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "version.create")
        ).all()
    assert len(entries) == 1
    assert '"number": 1' in entries[0].details


def test_compare_reports_changed_added_removed_and_moved_paragraphs(world: World) -> None:
    create_version(world)
    heading, text, recommendation = world.paragraph_ids
    save(world, text, "fr", "De nombreuses communes ont déclaré l'urgence climatique.")
    moderator = world.api("moderator")
    added = moderator.post(
        f"/api/v1/documents/{world.document_id}/paragraphs",
        json={"kind": "text", "de": "Neu.", "fr": "Nouveau."},
    ).json()["id"]
    assert moderator.delete(f"/api/v1/paragraphs/{heading}").status_code == 204
    assert (
        moderator.patch(f"/api/v1/paragraphs/{recommendation}", json={"position": 1}).status_code
        == 200
    )
    answer = world.api("member").get(
        f"/api/v1/documents/{world.document_id}/compare?from=1&to=current"
    )
    assert answer.status_code == 200
    changes = {entry["paragraph_id"]: entry["change"] for entry in answer.json()}
    assert changes == {heading: "removed", text: "changed", recommendation: "moved", added: "added"}
    entry = next(e for e in answer.json() if e["paragraph_id"] == text)
    assert [-1, "collectivités"] in entry["diffs"]["fr"]
    assert [1, "communes"] in entry["diffs"]["fr"]
    assert entry["diffs"]["de"] == [[0, "Viele Kommunen haben den Klimanotstand ausgerufen."]]


def test_compare_between_two_versions_and_omitted_to_means_current(world: World) -> None:
    create_version(world)
    save(world, world.paragraph_ids[1], "de", "Geändert.")
    create_version(world, "Zweiter")
    member = world.api("member")
    base = f"/api/v1/documents/{world.document_id}/compare"
    between = member.get(f"{base}?from=1&to=2").json()
    assert [e["change"] for e in between] == ["same", "changed", "same"]
    since_two = member.get(f"{base}?from=2").json()
    assert [e["change"] for e in since_two] == ["same", "same", "same"]
    backwards = member.get(f"{base}?from=2&to=1").json()
    assert backwards[1]["diffs"]["de"][0][0] == -1


def test_compare_page_shows_both_languages_and_filters_to_changes(world: World) -> None:
    create_version(world)
    save(world, world.paragraph_ids[1], "de", "Einige Kommunen haben den Klimanotstand ausgerufen.")
    browser = world.browser("member")
    page = browser.get(f"/documents/{world.document_id}/compare?from=1&to=current")
    assert page.status_code == 200
    assert "<del>Viele</del>" in page.text and "<ins>Einige</ins>" in page.text
    assert "Präambel" in page.text
    only = browser.get(f"/documents/{world.document_id}/compare?from=1&to=current&changes=only")
    assert "<ins>Einige</ins>" in only.text
    assert "Präambel" not in only.text
    fragment = browser.get(
        f"/documents/{world.document_id}/compare?from=1&changes=only",
        headers={"HX-Request": "true"},
    )
    assert fragment.text.lstrip().startswith('<section id="comparison"')


def test_compare_page_without_versions_says_so(world: World) -> None:
    page = world.browser("member").get(f"/documents/{world.document_id}/compare")
    assert page.status_code == 200
    assert "No versions yet" in page.text


def test_moderator_creates_a_version_in_the_browser(world: World) -> None:
    browser = world.browser("moderator")
    document_page = browser.get(f"/documents/{world.document_id}")
    assert "Create version" in document_page.text
    answer = browser.post(f"/documents/{world.document_id}/versions", {"label": "Für die Sitzung"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/documents/{world.document_id}/versions/1"
    shown = browser.get(answer.headers["location"])
    assert "Für die Sitzung" in shown.text and "Präambel" in shown.text
    listing = browser.get(f"/documents/{world.document_id}/versions")
    assert "Version 1" in listing.text
    refused = browser.post(f"/documents/{world.document_id}/versions", {"label": "  "})
    assert refused.status_code == 422
    assert "must not be empty" in refused.text


def test_members_see_no_create_version_form(world: World) -> None:
    browser = world.browser("member")
    assert "Create version" not in browser.get(f"/documents/{world.document_id}").text
    assert (
        browser.post(f"/documents/{world.document_id}/versions", {"label": "x"}).status_code == 403
    )


def test_version_text_is_escaped_on_the_pages(world: World) -> None:
    save(world, world.paragraph_ids[1], "de", "<script>alert(1)</script>")
    create_version(world, "<b>fett</b>")
    browser = world.browser("member")
    page = browser.get(f"/documents/{world.document_id}/versions/1")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;b&gt;fett&lt;/b&gt;" in page.text
    compare = browser.get(f"/documents/{world.document_id}/compare?from=1")
    assert "<script>alert(1)</script>" not in compare.text


def test_document_page_links_to_versions_with_a_constant_header(world: World) -> None:
    create_version(world)
    page = world.browser("member").get(f"/documents/{world.document_id}")
    assert f"/documents/{world.document_id}/versions" in page.text
    assert "Changes since version 1" in page.text
