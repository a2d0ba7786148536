from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drafting.compare import Change, ParagraphState, compare, only_changes, summary
from drafting.diffs import new_text, old_text


def state(id: int, de: str = "", fr: str = "", kind: str = "text") -> ParagraphState:  # noqa: A002
    return ParagraphState(id=id, kind=kind, de=de or f"Absatz {id}.", fr=fr or f"Alinéa {id}.")


def changes(result: list) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(entry.paragraph_id, entry.change.value) for entry in result]


def test_identical_snapshots_are_the_same_everywhere() -> None:
    paragraphs = [state(1), state(2), state(3)]
    result = compare(paragraphs, paragraphs)
    assert changes(result) == [(1, "same"), (2, "same"), (3, "same")]
    assert only_changes(result) == []
    assert result[0].diffs == {"de": [(0, "Absatz 1.")], "fr": [(0, "Alinéa 1.")]}


def test_a_changed_word_is_a_word_diff_in_its_language_only() -> None:
    old = [state(1, de="Die Kommune plant.", fr="La commune planifie.")]
    new = [state(1, de="Die Gemeinde plant.", fr="La commune planifie.")]
    [entry] = compare(old, new)
    assert entry.change is Change.CHANGED
    assert entry.diffs["de"] == [(0, "Die "), (-1, "Kommune"), (1, "Gemeinde"), (0, " plant.")]
    assert entry.diffs["fr"] == [(0, "La commune planifie.")]
    assert entry.text_changed


def test_a_new_kind_alone_counts_as_changed() -> None:
    [entry] = compare([state(1, kind="text")], [state(1, kind="heading")])
    assert entry.change is Change.CHANGED
    assert entry.kind_changed and not entry.text_changed


def test_added_and_removed_paragraphs_carry_their_whole_text() -> None:
    result = compare([state(1), state(2)], [state(1), state(3)])
    # A replaced paragraph reads as "removed, then added" at the same place.
    assert changes(result) == [(1, "same"), (2, "removed"), (3, "added")]
    added = result[2]
    assert added.diffs["de"] == [(1, "Absatz 3.")] and added.old is None
    removed = result[1]
    assert removed.diffs["fr"] == [(-1, "Alinéa 2.")] and removed.new is None
    assert (removed.old_number, removed.new_number) == (2, None)


def test_a_removed_first_paragraph_is_listed_first() -> None:
    result = compare([state(1), state(2)], [state(2)])
    assert changes(result) == [(1, "removed"), (2, "same")]


def test_a_paragraph_moved_to_the_end_is_the_only_one_moved() -> None:
    result = compare(
        [state(1), state(2), state(3), state(4)], [state(2), state(3), state(4), state(1)]
    )
    assert changes(result) == [(2, "same"), (3, "same"), (4, "same"), (1, "moved")]
    moved = result[-1]
    assert (moved.old_number, moved.new_number) == (1, 4)


def test_a_moved_paragraph_with_new_text_is_moved_and_shows_its_diff() -> None:
    old = [state(1), state(2, de="Alt."), state(3)]
    new = [state(2, de="Neu."), state(1), state(3)]
    result = compare(old, new)
    moved = [entry for entry in result if entry.change is Change.MOVED]
    assert len(moved) == 1
    assert moved[0].text_changed


def test_a_paragraph_inserted_before_others_does_not_move_them() -> None:
    result = compare([state(1), state(2)], [state(9), state(1), state(2)])
    assert changes(result) == [(9, "added"), (1, "same"), (2, "same")]
    assert [entry.new_number for entry in result] == [1, 2, 3]


def test_summary_counts_every_kind_of_change() -> None:
    result = compare([state(1), state(2), state(3)], [state(3), state(1, de="Neu."), state(4)])
    assert summary(result) == {"added": 1, "removed": 1, "changed": 1, "moved": 1, "same": 0}


def test_empty_texts_give_empty_diffs() -> None:
    empty = ParagraphState(id=1, kind="text", de="", fr="")
    [entry] = compare([], [empty])
    assert entry.diffs == {"de": [], "fr": []}


paragraph_ids = st.lists(st.integers(min_value=1, max_value=30), unique=True, max_size=12)


@given(paragraph_ids, paragraph_ids)
def test_every_paragraph_of_either_side_appears_exactly_once(
    old_ids: list[int], new_ids: list[int]
) -> None:
    old = [state(i) for i in old_ids]
    new = [state(i, de=f"Neu {i}.") if i % 3 == 0 else state(i) for i in new_ids]
    result = compare(old, new)
    seen = [entry.paragraph_id for entry in result]
    assert sorted(seen) == sorted(set(old_ids) | set(new_ids))
    # The new order is kept, and the diffs rebuild both texts.
    assert [i for i in seen if i in set(new_ids)] == new_ids
    for entry in result:
        for lang in ("de", "fr"):
            if entry.old is not None:
                assert old_text(entry.diffs[lang]) == entry.old.text(lang)
            if entry.new is not None:
                assert new_text(entry.diffs[lang]) == entry.new.text(lang)


@given(paragraph_ids)
def test_reordering_moves_as_few_paragraphs_as_possible(ids: list[int]) -> None:
    old = [state(i) for i in sorted(ids)]
    new = [state(i) for i in ids]
    moved = [entry for entry in compare(old, new) if entry.change is Change.MOVED]
    # Whatever stays put keeps its relative order.
    staying = [entry.paragraph_id for entry in compare(old, new) if entry.change is Change.SAME]
    assert staying == sorted(staying)
    assert len(moved) + len(staying) == len(ids)
