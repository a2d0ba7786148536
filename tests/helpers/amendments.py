"""Opening the amendments phase and proposing amendments through the API."""

from __future__ import annotations

from typing import Any

from tests.helpers.factories import World


def open_amendments(world: World) -> None:
    answer = world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/phase", json={"phase": "amendments"}
    )
    assert answer.status_code == 200, answer.text


def paragraph(world: World) -> int:
    return world.paragraph_ids[1]


def propose(
    world: World,
    who: str = "member",
    *,
    de: str | None = None,
    fr: str | None = None,
    justification: str = "Präziser.",
    pid: int | None = None,
) -> Any:
    pid = pid or paragraph(world)
    texts: dict[str, str] = {}
    bases: dict[str, int] = {}
    if de is not None:
        texts["de"] = de
        bases["de"] = world.current(pid, "de")["revision_id"]
    if fr is not None:
        texts["fr"] = fr
        bases["fr"] = world.current(pid, "fr")["revision_id"]
    return world.api(who).post(
        f"/api/v1/paragraphs/{pid}/amendments",
        json={"texts": texts, "base_revision_ids": bases, "justification": justification},
    )


def proposed(world: World, who: str = "member", **kwargs: Any) -> dict[str, Any]:
    answer = propose(world, who, **kwargs)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body
