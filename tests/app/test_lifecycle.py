"""A document from the first draft to the adopted text, through the JSON API."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from app.models import AuditEntry, Document
from app.queries.versions import snapshot
from tests.helpers.factories import World, assert_error, session_of


def api(world: World, who: str) -> Any:
    return world.api(who)


def save(world: World, who: str, paragraph_id: int, lang: str, text: str) -> int:
    base = world.current(paragraph_id, lang)["revision_id"]
    answer = world.api(who).patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        json={"text": text, "base_revision_id": base},
    )
    assert answer.status_code == 200, answer.text
    revision_id: int = answer.json()["revision_id"]
    return revision_id


def move(world: World, target: str, reason: str = "") -> Any:
    return world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/phase", json={"phase": target, "reason": reason}
    )


def confirm_translations(world: World) -> None:
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    for paragraph in document["paragraphs"]:
        answer = world.api("member").post(
            f"/api/v1/paragraphs/{paragraph['id']}/alignment",
            json={
                "de_revision_id": paragraph["texts"]["de"]["revision_id"],
                "fr_revision_id": paragraph["texts"]["fr"]["revision_id"],
            },
        )
        assert answer.status_code == 200, answer.text


def decide(world: World, who: str, version: int, decision: str, comment: str = "") -> Any:
    answer = world.api(who).post(
        f"/api/v1/documents/{world.document_id}/reviews",
        json={"version": version, "decision": decision, "comment": comment},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_document_goes_from_draft_to_adoption_with_one_change_request(world: World) -> None:
    heading, text, recommendation = world.paragraph_ids
    base = f"/api/v1/documents/{world.document_id}"

    # Drafting: members write directly; the moderator freezes a first working version.
    save(world, "member", text, "de", "Über 100 Kommunen haben den Klimanotstand ausgerufen.")
    save(world, "member", text, "fr", "Plus de 100 collectivités ont déclaré l'urgence climatique.")
    assert (
        api(world, "moderator").post(f"{base}/versions", json={"label": "Entwurf"}).json()["number"]
        == 1
    )

    # Amendments: members can no longer edit; the moderator applies what was decided.
    assert move(world, "amendments").status_code == 200
    assert_error(
        api(world, "member").patch(
            f"/api/v1/paragraphs/{recommendation}/texts/de",
            json={
                "text": "Direkt.",
                "base_revision_id": world.current(recommendation)["revision_id"],
            },
        ),
        403,
        "forbidden",
    )
    save(
        world,
        "moderator",
        recommendation,
        "de",
        "Bund und Länder sollen Klimaschutz zur kommunalen Pflichtaufgabe machen.",
    )

    # Consolidation: translations aligned, then review opens without an override.
    assert move(world, "consolidation").status_code == 200
    save(
        world,
        "moderator",
        recommendation,
        "fr",
        "L'État doit faire de la protection du climat une compétence communale obligatoire.",
    )
    confirm_translations(world)
    entered = move(world, "review")
    assert entered.status_code == 200, entered.text
    assert entered.json()["phase"] == "review"
    first_review = api(world, "member").get(f"{base}/versions/2").json()
    assert first_review["is_review"] and first_review["override_reason"] == ""
    assert {p["alignment"] for p in first_review["paragraphs"]} == {"in_sync"}

    # Review 1: DE approves, FR requests a change → back to consolidation.
    assert decide(world, "liaison_de", 2, "approve")["adopted"] is False
    sent_back = decide(
        world, "liaison_fr", 2, "request_changes", "« communale » est trop restrictif."
    )
    assert sent_back["document_phase"] == "consolidation"

    # The moderators revise and freeze a second review version.
    save(
        world,
        "moderator",
        recommendation,
        "fr",
        "L'État doit faire de la protection du climat une compétence obligatoire"
        " des collectivités.",
    )
    confirm_translations(world)
    assert move(world, "review").status_code == 200
    compare = api(world, "member").get(f"{base}/compare?from=2&to=3").json()
    assert [entry["change"] for entry in compare] == ["same", "same", "changed"]
    assert compare[2]["diffs"]["de"] == [
        [0, "Bund und Länder sollen Klimaschutz zur kommunalen Pflichtaufgabe machen."]
    ]

    # Review 2: the earlier DE approval was for version 2; both approve version 3.
    assert decide(world, "liaison_fr", 3, "approve")["adopted"] is False
    adopted = decide(world, "liaison_de", 3, "approve")
    assert adopted["adopted"] is True and adopted["document_phase"] == "adopted"

    # The adopted document is the final text, immutable, with who approved it when.
    with session_of(world.app) as session:
        document = session.get(Document, world.document_id)
        assert document is not None and document.adopted_at is not None
        final = snapshot(session, world.document_id, 3)
        actions = session.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))).all()
    assert final.adopted
    assert [(a.government, a.version_number) for a in final.approvals] == [("DE", 3), ("FR", 3)]
    assert final.paragraphs[2].fr.endswith("obligatoire des collectivités.")
    assert_error(move(world, "consolidation", "Noch einmal."), 409, "invalid_transition")
    assert_error(
        api(world, "moderator").patch(
            f"/api/v1/paragraphs/{heading}/texts/de",
            json={"text": "Vorwort", "base_revision_id": world.current(heading)["revision_id"]},
        ),
        403,
        "forbidden",
    )
    reviews = api(world, "member").get(f"{base}/reviews").json()
    assert [(r["version"], r["government"], r["decision"]) for r in reviews] == [
        (2, "DE", "approve"),
        (2, "FR", "request_changes"),
        (3, "FR", "approve"),
        (3, "DE", "approve"),
    ]
    decisions = [a for a in actions if a.startswith(("review.", "document.adopt", "version."))]
    assert decisions == [
        "version.create",
        "version.create",
        "review.approve",
        "review.request_changes",
        "version.create",
        "review.approve",
        "review.approve",
        "document.adopt",
    ]
