from __future__ import annotations

import csv
import io
from typing import Any

from sqlmodel import select

from app.models import Alignment, AuditEntry, Document, Membership, Paragraph, WorkingGroup
from app.queries.audit import csv_cell
from app.queries.versions import snapshot
from tests.helpers.factories import World, assert_error, session_of
from tests.helpers.lifecycle import phase, to_consolidation, to_review


def confirm_all_alignments(world: World) -> None:
    """Confirm every paragraph's pair: through the API where it exists, else as rows."""
    with session_of(world.app) as session:
        paragraphs = session.exec(
            select(Paragraph).where(
                Paragraph.document_id == world.document_id,
                Paragraph.deleted_at == None,  # noqa: E711
            )
        ).all()
        pairs = [(p.id, p.de_revision_id, p.fr_revision_id) for p in paragraphs]
    for paragraph_id, de, fr in pairs:
        answer = world.api("member").post(
            f"/api/v1/paragraphs/{paragraph_id}/alignment",
            json={"de_revision_id": de, "fr_revision_id": fr},
        )
        if answer.status_code == 200:
            continue
        assert paragraph_id is not None and de is not None and fr is not None
        with session_of(world.app) as session:
            session.add(
                Alignment(
                    paragraph_id=paragraph_id,
                    de_revision_id=de,
                    fr_revision_id=fr,
                    confirmed_by=world.member.id,
                )
            )
            session.commit()


def review(world: World, who: str, version: int, decision: str, comment: str = "") -> Any:
    return world.api(who).post(
        f"/api/v1/documents/{world.document_id}/reviews",
        json={"version": version, "decision": decision, "comment": comment},
    )


def document(world: World) -> dict[str, Any]:
    answer: dict[str, Any] = (
        world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    )
    return answer


# --- Entering review ---------------------------------------------------------------------


def test_review_without_every_paragraph_in_sync_needs_a_reason(world: World) -> None:
    to_consolidation(world)
    error = assert_error(phase(world, "review"), 409, "invalid_transition")
    assert "reason" in error["message"]
    assert sorted(error["details"]["not_in_sync"]) == sorted(world.paragraph_ids)
    assert document(world)["phase"] == "consolidation"
    assert world.api("member").get(f"/api/v1/documents/{world.document_id}/versions").json() == []


def test_a_reason_overrides_and_is_kept_on_the_review_version(world: World) -> None:
    to_review(world, "FR folgt morgen.")
    assert document(world)["phase"] == "review"
    [version] = world.api("member").get(f"/api/v1/documents/{world.document_id}/versions").json()
    assert version["is_review"] is True
    assert version["override_reason"] == "FR folgt morgen."
    page = world.browser("liaison_fr").get(f"/documents/{world.document_id}/review")
    assert "FR folgt morgen." in page.text


def test_review_with_every_paragraph_in_sync_needs_no_reason(world: World) -> None:
    to_consolidation(world)
    confirm_all_alignments(world)
    answer = phase(world, "review")
    assert answer.status_code == 200, answer.text
    [version] = world.api("member").get(f"/api/v1/documents/{world.document_id}/versions").json()
    assert version["override_reason"] == ""
    assert {p["alignment"] for p in version["paragraphs"]} == {"in_sync"}


def test_review_can_only_follow_consolidation(world: World) -> None:
    assert_error(phase(world, "review", "Eilig"), 409, "invalid_transition")


def test_entering_review_is_audited_with_the_frozen_version(world: World) -> None:
    to_review(world)
    with session_of(world.app) as session:
        actions = [entry.action for entry in session.exec(select(AuditEntry)).all()]
    assert "version.create" in actions
    assert actions[-1] == "document.phase"


# --- Deciding ----------------------------------------------------------------------------


def test_both_governments_approving_the_same_version_adopts_the_document(world: World) -> None:
    to_review(world)
    first = review(world, "liaison_de", 1, "approve", "Einverstanden.")
    assert first.status_code == 201, first.text
    assert first.json()["government"] == "DE" and first.json()["adopted"] is False
    assert document(world)["phase"] == "review"
    second = review(world, "liaison_fr", 1, "approve")
    assert second.status_code == 201
    assert second.json()["adopted"] is True
    assert second.json()["document_phase"] == "adopted"
    assert document(world)["phase"] == "adopted"
    with session_of(world.app) as session:
        stored = session.get(Document, world.document_id)
        assert stored is not None
        assert stored.adopted_version_id is not None and stored.adopted_at is not None
        adopt = session.exec(select(AuditEntry).where(AuditEntry.action == "document.adopt")).all()
    assert len(adopt) == 1
    listed = world.api("member").get(f"/api/v1/documents/{world.document_id}/reviews").json()
    assert [(r["government"], r["decision"], r["version"]) for r in listed] == [
        ("DE", "approve", 1),
        ("FR", "approve", 1),
    ]
    version = world.api("member").get(f"/api/v1/documents/{world.document_id}/versions/1").json()
    assert version["adopted"] is True
    assert [a["username"] for a in version["approvals"]] == ["anna", "helene"]


def test_requesting_changes_returns_the_document_to_consolidation(world: World) -> None:
    to_review(world)
    answer = review(
        world, "liaison_fr", 1, "request_changes", "Absatz 3: « compétence » passt nicht."
    )
    assert answer.status_code == 201
    assert answer.json()["document_phase"] == "consolidation"
    assert document(world)["phase"] == "consolidation"
    with session_of(world.app) as session:
        phases = session.exec(select(AuditEntry).where(AuditEntry.action == "document.phase")).all()
    assert "compétence" in phases[-1].details
    assert '"to_phase": "consolidation"' in phases[-1].details


def test_requesting_changes_needs_a_comment(world: World) -> None:
    to_review(world)
    assert_error(review(world, "liaison_de", 1, "request_changes", "  "), 422, "validation_error")
    assert document(world)["phase"] == "review"


def test_approvals_of_different_versions_do_not_adopt(world: World) -> None:
    to_review(world)
    assert review(world, "liaison_de", 1, "approve").status_code == 201
    assert review(world, "liaison_fr", 1, "request_changes", "Bitte kürzen.").status_code == 201
    assert phase(world, "review", "Nur gekürzt.").status_code == 200
    assert review(world, "liaison_fr", 2, "approve").status_code == 201
    assert document(world)["phase"] == "review"
    assert review(world, "liaison_de", 2, "approve").json()["adopted"] is True


def test_only_the_current_review_version_can_be_decided(world: World) -> None:
    to_review(world)
    error = assert_error(review(world, "liaison_de", 2, "approve"), 409, "conflict")
    assert error["details"]["review_version"] == 1


def test_members_moderators_and_outsiders_cannot_review(world: World) -> None:
    to_review(world)
    assert_error(review(world, "member", 1, "approve"), 403, "forbidden")
    assert_error(review(world, "moderator", 1, "approve"), 403, "forbidden")
    assert_error(review(world, "outsider", 1, "approve"), 404, "not_found")
    assert_error(review(world, "admin", 1, "approve"), 404, "not_found")


def test_liaisons_cannot_review_outside_the_review_phase(world: World) -> None:
    error = assert_error(review(world, "liaison_de", 1, "approve"), 409, "invalid_transition")
    assert "not in review" in error["message"]


def test_approving_twice_is_refused(world: World) -> None:
    to_review(world)
    review(world, "liaison_de", 1, "approve")
    assert_error(review(world, "liaison_de", 1, "approve"), 409, "conflict")


def test_unknown_decisions_and_hostile_comments_are_refused(world: World) -> None:
    to_review(world)
    assert_error(review(world, "liaison_de", 1, "veto"), 422, "validation_error")
    assert_error(review(world, "liaison_de", 1, "approve", "a\x00b"), 422, "validation_error")
    assert_error(review(world, "liaison_de", 0, "approve"), 422, "validation_error")
    answer = world.api("liaison_de").post(
        f"/api/v1/documents/{world.document_id}/reviews", json={"version": "eins"}
    )
    assert_error(answer, 422, "validation_error")


def test_a_liaison_without_a_government_cannot_review(world: World) -> None:
    to_review(world)
    with session_of(world.app) as session:
        membership = session.exec(
            select(Membership).where(Membership.user_id == world.liaison_de.id)
        ).one()
        membership.government = None
        session.add(membership)
        session.commit()
    assert_error(review(world, "liaison_de", 1, "approve"), 403, "forbidden")


# --- The review page ---------------------------------------------------------------------


def test_liaison_reviews_in_the_browser_and_sees_the_diff_next_time(world: World) -> None:
    to_review(world)
    browser = world.browser("liaison_de")
    page = browser.get(f"/documents/{world.document_id}/review")
    assert page.status_code == 200
    assert "Review version 1" in page.text and "Präambel" in page.text
    refused = browser.post(
        f"/documents/{world.document_id}/reviews",
        {"version": "1", "decision": "request_changes", "comment": ""},
    )
    assert refused.status_code == 422
    assert "must not be empty" in refused.text
    answer = browser.post(
        f"/documents/{world.document_id}/reviews",
        {"version": "1", "decision": "request_changes", "comment": "Präambel kürzen."},
    )
    assert answer.status_code == 303
    assert "back to consolidation" in browser.get(answer.headers["location"]).text
    # The moderators revise and send a second review version.
    heading = world.paragraph_ids[0]
    base = world.current(heading)["revision_id"]
    saved = world.api("moderator").patch(
        f"/api/v1/paragraphs/{heading}/texts/de", json={"text": "Vorwort", "base_revision_id": base}
    )
    assert saved.status_code == 200
    assert phase(world, "review", "Nur die Überschrift.").status_code == 200
    second = browser.get(f"/documents/{world.document_id}/review")
    assert "Changes since version 1" in second.text
    assert "<del>Präambel</del>" in second.text and "<ins>Vorwort</ins>" in second.text
    approved = browser.post(
        f"/documents/{world.document_id}/reviews", {"version": "2", "decision": "approve"}
    )
    assert approved.status_code == 303


def test_members_see_the_review_page_without_the_decision_form(world: World) -> None:
    to_review(world)
    page = world.browser("member").get(f"/documents/{world.document_id}/review")
    assert page.status_code == 200
    assert "Your decision" not in page.text
    assert (
        world.browser("member")
        .post(f"/documents/{world.document_id}/reviews", {"version": "1", "decision": "approve"})
        .status_code
        == 403
    )


def test_document_page_shows_the_adoption_banner(world: World) -> None:
    to_review(world)
    review(world, "liaison_de", 1, "approve")
    in_review = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "In review: version 1" in in_review
    review(world, "liaison_fr", 1, "approve")
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "Adopted — final text approved by" in page
    assert "DE (<bdi>Anna</bdi>" in page and "FR (<bdi>Helene</bdi>" in page


# --- Adopted documents are immutable -----------------------------------------------------


def adopt(world: World) -> None:
    to_review(world)
    review(world, "liaison_de", 1, "approve")
    assert review(world, "liaison_fr", 1, "approve").json()["adopted"] is True


def test_adopted_documents_refuse_every_change(world: World) -> None:
    adopt(world)
    moderator = world.api("moderator")
    paragraph = world.paragraph_ids[1]
    current = world.current(paragraph)
    assert_error(
        moderator.patch(
            f"/api/v1/paragraphs/{paragraph}/texts/de",
            json={"text": "Nachträglich.", "base_revision_id": current["revision_id"]},
        ),
        403,
        "forbidden",
    )
    assert_error(
        moderator.post(
            f"/api/v1/paragraphs/{paragraph}/texts/de/restore",
            json={"revision_id": current["revision_id"]},
        ),
        403,
        "forbidden",
    )
    assert_error(
        moderator.post(
            f"/api/v1/documents/{world.document_id}/paragraphs",
            json={"kind": "text", "de": "Neu.", "fr": "Nouveau."},
        ),
        403,
        "forbidden",
    )
    assert_error(
        moderator.patch(f"/api/v1/paragraphs/{paragraph}", json={"kind": "heading"}),
        403,
        "forbidden",
    )
    assert_error(moderator.delete(f"/api/v1/paragraphs/{paragraph}"), 403, "forbidden")
    error = assert_error(phase(world, "consolidation", "Doch nicht."), 409, "invalid_transition")
    assert "adopted" in error["message"]
    error = assert_error(
        moderator.post(f"/api/v1/documents/{world.document_id}/versions", json={"label": "Nach"}),
        409,
        "invalid_transition",
    )
    assert "adopted" in error["message"]
    error = assert_error(
        review(world, "liaison_de", 1, "request_changes", "Zu spät?"), 409, "invalid_transition"
    )
    assert "adopted" in error["message"]
    assert document(world)["phase"] == "adopted"
    assert world.current(paragraph)["revision_id"] == current["revision_id"]


def test_adopted_snapshot_of_the_current_text_carries_the_approvals(world: World) -> None:
    adopt(world)
    with session_of(world.app) as session:
        current = snapshot(session, world.document_id, None)
    assert current.adopted and current.adopted_at is not None
    assert [(a.government, a.username, a.version_number) for a in current.approvals] == [
        ("DE", "anna", 1),
        ("FR", "helene", 1),
    ]


# --- The audit log -----------------------------------------------------------------------


def test_moderators_read_the_group_audit_log(world: World) -> None:
    to_review(world)
    review(world, "liaison_fr", 1, "request_changes", "Bitte prüfen.")
    answer = world.api("moderator").get("/api/v1/groups/klima/audit")
    assert answer.status_code == 200
    actions = [entry["action"] for entry in answer.json()]
    assert actions[0] == "document.phase"  # newest first
    assert "review.request_changes" in actions and "version.create" in actions
    filtered = world.api("moderator").get("/api/v1/groups/klima/audit?action=review").json()
    assert [entry["action"] for entry in filtered] == ["review.request_changes"]
    assert filtered[0]["actor"] == "helene"
    assert filtered[0]["details"]["comment"] == "Bitte prüfen."
    by_actor = world.api("moderator").get("/api/v1/groups/klima/audit?actor=helene").json()
    assert {entry["actor"] for entry in by_actor} == {"helene"}


def test_only_moderators_see_the_audit_log(world: World) -> None:
    assert_error(world.api("member").get("/api/v1/groups/klima/audit"), 403, "forbidden")
    assert_error(world.api("liaison_de").get("/api/v1/groups/klima/audit"), 403, "forbidden")
    assert_error(world.api("outsider").get("/api/v1/groups/klima/audit"), 404, "not_found")
    assert_error(world.api("moderator").get("/api/v1/groups/nowhere/audit"), 404, "not_found")
    assert world.browser("member").get("/groups/klima/audit").status_code == 403
    assert world.browser("outsider").get("/groups/klima/audit.csv").status_code == 404


def test_audit_page_filters_and_exports_csv(world: World) -> None:
    to_review(world)
    with session_of(world.app) as session:
        group_id = session.exec(select(WorkingGroup.id).where(WorkingGroup.slug == "klima")).one()
        session.add(AuditEntry(group_id=group_id, action="=cmd|' /C calc'!A0", target="@SUM(1)"))
        session.commit()
    browser = world.browser("moderator")
    page = browser.get("/groups/klima/audit?action=version")
    assert page.status_code == 200
    assert "version.create" in page.text and "document.phase" not in page.text.split("<tbody>")[1]
    bad = browser.get("/groups/klima/audit?since=gestern")
    assert bad.status_code == 422
    exported = browser.get("/groups/klima/audit.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0] == ["time", "actor", "action", "target", "details"]
    hostile = next(row for row in rows if "cmd" in row[2])
    assert hostile[2].startswith("'=") and hostile[3] == "'@SUM(1)"
    assert any(row[2] == "document.phase" and row[1] == "mona" for row in rows)


def test_csv_cells_that_look_like_formulas_are_defused() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("+49 761") == "'+49 761"
    assert csv_cell("-2") == "'-2"
    assert csv_cell("@user") == "'@user"
    assert csv_cell("Kommune") == "Kommune"
    assert csv_cell(None) == ""


def test_hostile_audit_filters_are_refused_not_crashing(world: World) -> None:
    moderator = world.api("moderator")
    assert_error(moderator.get("/api/v1/groups/klima/audit?actor=a%00b"), 422, "validation_error")
    assert_error(moderator.get("/api/v1/groups/klima/audit?since=gestern"), 422, "validation_error")
    assert_error(moderator.get("/api/v1/groups/klima/audit?limit=0"), 422, "validation_error")
    assert moderator.get("/api/v1/groups/klima/audit?action=%7B%7B7*7%7D%7D").json() == []
    page = world.browser("moderator").get("/groups/klima/audit?action=%00")
    assert page.status_code == 422
    assert world.browser("moderator").get("/groups/klima/audit.csv?actor=%00").status_code == 422


def test_moderator_may_still_take_a_document_back_from_review_with_a_reason(world: World) -> None:
    to_review(world)
    assert_error(phase(world, "consolidation"), 422, "validation_error")
    assert phase(world, "consolidation", "Fehler entdeckt.").json()["phase"] == "consolidation"
    assert_error(review(world, "liaison_de", 1, "approve"), 409, "invalid_transition")


def test_the_phase_form_explains_why_review_cannot_open_yet(world: World) -> None:
    to_consolidation(world)
    browser = world.browser("moderator")
    refused = browser.post(f"/documents/{world.document_id}/phase", {"phase": "review"})
    assert refused.status_code == 409
    assert "not confirmed as in sync" in refused.text
    opened = browser.post(
        f"/documents/{world.document_id}/phase", {"phase": "review", "reason": "Eilt."}
    )
    assert opened.status_code == 303
    assert "In review: version 1" in browser.get(f"/documents/{world.document_id}").text


def test_the_version_frozen_for_review_is_labelled_in_both_languages(world: World) -> None:
    to_review(world)
    versions = world.api("member").get(f"/api/v1/documents/{world.document_id}/versions").json()
    assert versions[-1]["label"] == "Prüffassung 1 · Version d’examen 1"
