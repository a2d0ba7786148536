"""The initiatives library, filled from the corpus or with one made-up initiative."""

from __future__ import annotations

from typing import Any

from tests.helpers.corpus import INITIATIVES_CSV
from tests.helpers.factories import World


def import_corpus(world: World) -> None:
    browser = world.browser("member")
    answer = browser.post(
        "/initiatives/import",
        files={"file": ("initiatives.csv", INITIATIVES_CSV.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 200, answer.text


def new_initiative(**changes: Any) -> dict[str, Any]:
    return {
        "key": "kehl-strasbourg-tram",
        "name_de": "Tram Kehl–Straßburg",
        "name_fr": "Tram Strasbourg–Kehl",
        "municipality": "Kehl",
        "country": "DE",
        "region": "Baden-Württemberg",
        "themes": ["mobility", "cross-border"],
        "since": 2017,
        "summary_de": "Die Straßenbahn verbindet beide Städte über den Rhein.",
        "summary_fr": "Le tram relie les deux villes par-dessus le Rhin.",
    } | changes
