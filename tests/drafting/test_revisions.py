"""What a save does: a new revision, a merge with what changed meanwhile, or a conflict."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from drafting.revisions import EditConflict, EditOutcome, Source, apply_edit

BASE = (
    "Kleine und mittlere Kommunen verfügen selten über eigenes Personal für Klimaschutz. "
    "Förderprogramme sind zahlreich, aber zersplittert."
)


def test_a_save_on_the_current_revision_takes_the_text_as_written() -> None:
    yours = BASE.replace("selten", "kaum")
    assert apply_edit(BASE, BASE, yours, base_is_current=True) == EditOutcome(
        text=yours, merged=False, unchanged=False
    )


def test_saving_the_current_text_again_is_marked_unchanged() -> None:
    outcome = apply_edit(BASE, BASE, BASE, base_is_current=True)
    assert outcome == EditOutcome(text=BASE, merged=False, unchanged=True)


def test_a_double_submit_after_the_first_save_went_through_is_unchanged() -> None:
    yours = BASE.replace("selten", "kaum")
    # The second request still names the old base, but the first one already stored yours.
    outcome = apply_edit(BASE, yours, yours, base_is_current=False)
    assert outcome.unchanged
    assert not outcome.merged
    assert outcome.text == yours


def test_a_save_on_an_older_revision_merges_a_change_elsewhere() -> None:
    current = BASE.replace("zahlreich", "sehr zahlreich")
    yours = BASE.replace("selten", "kaum")
    outcome = apply_edit(BASE, current, yours, base_is_current=False)
    assert outcome == EditOutcome(
        text=BASE.replace("selten", "kaum").replace("zahlreich", "sehr zahlreich"),
        merged=True,
        unchanged=False,
    )


def test_a_save_that_changes_nothing_on_an_older_revision_keeps_the_current_text() -> None:
    current = BASE.replace("zahlreich", "sehr zahlreich")
    outcome = apply_edit(BASE, current, BASE, base_is_current=False)
    assert outcome == EditOutcome(text=current, merged=False, unchanged=True)


def test_overlapping_changes_raise_a_conflict_with_a_proposal() -> None:
    current = BASE.replace("selten", "kaum")
    yours = BASE.replace("selten", "nie")
    with pytest.raises(EditConflict) as raised:
        apply_edit(BASE, current, yours, base_is_current=False)
    conflict = raised.value
    assert (conflict.base, conflict.theirs, conflict.yours) == (BASE, current, yours)
    assert conflict.proposal == BASE.replace("selten", "kaum nie")
    assert str(conflict) == "The paragraph was changed by someone else in the same place."


def test_a_conflict_keeps_both_texts_in_the_proposal() -> None:
    current = BASE.replace("für Klimaschutz", "für den Schutz des Klimas")
    yours = BASE.replace("für Klimaschutz", "für Klimaanpassung")
    with pytest.raises(EditConflict) as raised:
        apply_edit(BASE, current, yours, base_is_current=False)
    assert "den Schutz des Klimas" in raised.value.proposal
    assert "Klimaanpassung" in raised.value.proposal


def test_a_merge_is_in_nfc() -> None:
    current = BASE.replace("zahlreich", "sehr zahlreich")
    yours = BASE.replace("über", "u\u0308ber").replace("selten", "kaum")
    outcome = apply_edit(BASE, current, yours, base_is_current=False)
    assert outcome.text == BASE.replace("selten", "kaum").replace("zahlreich", "sehr zahlreich")


def test_revision_sources_are_plain_strings() -> None:
    assert [source.value for source in Source] == [
        "human",
        "merge",
        "amendment",
        "restore",
        "machine",
    ]


@contextmanager
def transaction() -> Iterator[None]:
    yield


def test_a_conflict_passes_through_a_context_manager() -> None:
    with pytest.raises(EditConflict), transaction():
        apply_edit(BASE, "x", "y", base_is_current=False)
