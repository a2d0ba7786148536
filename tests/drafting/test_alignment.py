from __future__ import annotations

import pytest

from drafting.alignment import Status, changes_since, missing_side, status
from drafting.text import Lang


def state(aligned: tuple[int, int] | None, current: tuple[int, int], de: str = "a", fr: str = "b"):  # type: ignore[no-untyped-def]
    return status(
        aligned_de=aligned[0] if aligned else None,
        aligned_fr=aligned[1] if aligned else None,
        current_de=current[0],
        current_fr=current[1],
        de_text=de,
        fr_text=fr,
    )


def test_confirmed_pair_that_is_still_current_is_in_sync() -> None:
    assert state((1, 2), (1, 2)) is Status.IN_SYNC


def test_german_change_since_confirmation_makes_french_outdated() -> None:
    assert state((1, 2), (3, 2)) is Status.FR_OUTDATED


def test_french_change_since_confirmation_makes_german_outdated() -> None:
    assert state((1, 2), (1, 4)) is Status.DE_OUTDATED


def test_changes_on_both_sides_are_both_changed() -> None:
    assert state((1, 2), (3, 4)) is Status.BOTH_CHANGED


def test_a_pair_never_confirmed_counts_as_both_changed() -> None:
    assert state(None, (1, 2)) is Status.BOTH_CHANGED


@pytest.mark.parametrize(("de", "fr"), [("", "texte"), ("Text", "  "), ("", "")])
def test_an_empty_side_is_missing_whatever_was_confirmed(de: str, fr: str) -> None:
    assert state((1, 2), (1, 2), de, fr) is Status.MISSING
    assert state(None, (1, 2), de, fr) is Status.MISSING


def test_missing_side_names_the_empty_language() -> None:
    assert missing_side("", "texte") is Lang.DE
    assert missing_side("Text", "") is Lang.FR
    assert missing_side("Text", "texte") is None


def test_status_tells_which_direction_needs_a_translator() -> None:
    assert Status.FR_OUTDATED.needs_translation_into(Lang.FR)
    assert not Status.FR_OUTDATED.needs_translation_into(Lang.DE)
    assert Status.DE_OUTDATED.needs_translation_into(Lang.DE)
    assert Status.BOTH_CHANGED.needs_translation_into(Lang.DE)
    assert not Status.IN_SYNC.needs_translation_into(Lang.FR)


def test_changes_since_show_only_the_words_that_moved() -> None:
    ops = changes_since(
        "Viele Kommunen haben den Klimanotstand ausgerufen.",
        "Viele Kommunen haben den Klimanotstand erklärt.",
    )
    assert (-1, "ausgerufen") in ops and (1, "erklärt") in ops
    assert ops[0] == (0, "Viele Kommunen haben den Klimanotstand ")


def test_changes_since_a_pair_never_confirmed_are_the_whole_text() -> None:
    assert changes_since(None, "Präambel") == [(1, "Präambel")]
