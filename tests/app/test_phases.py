from __future__ import annotations

from sqlmodel import select

from app.models import AuditEntry
from tests.helpers.factories import World, assert_error, session_of


def change(world: World, who: str, phase: str, reason: str = ""):  # type: ignore[no-untyped-def]
    return world.api(who).post(
        f"/api/v1/documents/{world.document_id}/phase", json={"phase": phase, "reason": reason}
    )


def test_moderator_moves_a_document_forward_one_phase_at_a_time(world: World) -> None:
    answer = change(world, "moderator", "amendments")
    assert answer.status_code == 200
    assert answer.json()["phase"] == "amendments"
    assert change(world, "moderator", "consolidation").json()["phase"] == "consolidation"


def test_jumping_over_a_phase_is_an_invalid_transition(world: World) -> None:
    error = assert_error(change(world, "moderator", "consolidation"), 409, "invalid_transition")
    assert error["details"]["allowed"] == ["amendments"]


def test_moving_back_needs_a_reason_and_is_audited(world: World) -> None:
    change(world, "moderator", "amendments")
    assert_error(change(world, "moderator", "drafting"), 422, "validation_error")
    assert change(world, "moderator", "drafting", "Zu früh geöffnet").status_code == 200
    with session_of(world.app) as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "document.phase")
        ).all()
    assert [entry.details.count("Zu früh geöffnet") for entry in entries] == [0, 1]


def test_members_and_liaisons_cannot_change_the_phase(world: World) -> None:
    assert_error(change(world, "member", "amendments"), 403, "forbidden")
    assert_error(change(world, "liaison_de", "amendments"), 403, "forbidden")
    assert_error(change(world, "outsider", "amendments"), 404, "not_found")


def test_unknown_phase_is_a_validation_error(world: World) -> None:
    assert_error(change(world, "moderator", "vacation"), 422, "validation_error")


def test_members_cannot_edit_texts_once_amendments_are_open(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    change(world, "moderator", "amendments")
    answer = world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={"text": "Direkt.", "base_revision_id": base},
    )
    assert_error(answer, 403, "forbidden")
    moderator = world.api("moderator").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={"text": "Direkt.", "base_revision_id": base},
    )
    assert moderator.status_code == 200


def test_moderator_changes_the_phase_in_the_browser(world: World) -> None:
    browser = world.browser("moderator")
    assert "Change phase" in browser.get(f"/documents/{world.document_id}").text
    answer = browser.post(f"/documents/{world.document_id}/phase", {"phase": "amendments"})
    assert answer.status_code == 303
    assert world.api("member").get(f"/api/v1/documents/{world.document_id}").json()["phase"] == (
        "amendments"
    )
    refused = browser.post(f"/documents/{world.document_id}/phase", {"phase": "review"})
    assert refused.status_code == 409
