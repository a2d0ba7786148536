"""Moving the world's document through its phases through the API."""

from __future__ import annotations

from typing import Any

from tests.helpers.factories import World


def phase(world: World, target: str, reason: str = "", who: str = "moderator") -> Any:
    return world.api(who).post(
        f"/api/v1/documents/{world.document_id}/phase", json={"phase": target, "reason": reason}
    )


def to_consolidation(world: World) -> None:
    assert phase(world, "amendments").status_code == 200
    assert phase(world, "consolidation").status_code == 200


def to_review(world: World, reason: str = "Die Übersetzung wird nachgereicht.") -> Any:
    to_consolidation(world)
    answer = phase(world, "review", reason)
    assert answer.status_code == 200, answer.text
    return answer
