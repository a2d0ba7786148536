"""Linking a paragraph to an initiative through the API."""

from __future__ import annotations

from typing import Any

from tests.helpers.factories import World


def link(world: World, who: str, paragraph_id: int, key: str, note: str = "") -> Any:
    return world.api(who).post(
        f"/api/v1/paragraphs/{paragraph_id}/evidence", json={"initiative_key": key, "note": note}
    )
