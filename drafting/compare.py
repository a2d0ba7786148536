"""Comparing two snapshots of a document, paragraph by paragraph.

Paragraphs are matched by their id. A paragraph only in the newer snapshot is ``added``,
one only in the older is ``removed``. Among the paragraphs in both, the longest run that
kept its relative order stays put; the others are ``moved`` (whether or not their text
changed too). Of the rest, those whose kind or text changed are ``changed``, the others
``same``. Every entry carries a word diff per language.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from drafting.diffs import DELETE, INSERT, DiffOps, changed, word_diff

LANGS = ("de", "fr")


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    SAME = "same"


@dataclass(frozen=True)
class ParagraphState:
    """A paragraph as one snapshot has it."""

    id: int
    kind: str
    de: str
    fr: str

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.fr


@dataclass(frozen=True)
class ParagraphComparison:
    paragraph_id: int
    change: Change
    old: ParagraphState | None
    new: ParagraphState | None
    old_number: int | None  # 1-based place in the older snapshot
    new_number: int | None
    diffs: dict[str, DiffOps]  # per language "de", "fr"

    @property
    def text_changed(self) -> bool:
        return any(changed(ops) for ops in self.diffs.values())

    @property
    def kind_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.kind != self.new.kind

    @property
    def is_change(self) -> bool:
        return self.change is not Change.SAME


def _diffs(old: ParagraphState | None, new: ParagraphState | None) -> dict[str, DiffOps]:
    result: dict[str, DiffOps] = {}
    for lang in LANGS:
        if old is None and new is not None:
            text = new.text(lang)
            result[lang] = [(INSERT, text)] if text else []
        elif new is None and old is not None:
            text = old.text(lang)
            result[lang] = [(DELETE, text)] if text else []
        elif old is not None and new is not None:
            result[lang] = word_diff(old.text(lang), new.text(lang))
        else:
            result[lang] = []
    return result


def _stable_positions(old_indices: Sequence[int]) -> set[int]:
    """Positions (in ``old_indices``) of one longest increasing subsequence.

    ``old_indices`` are the old places of the common paragraphs in their new order; the
    longest increasing run is the largest set that kept its relative order.
    """
    tails: list[int] = []  # smallest old index ending an increasing run of each length
    tail_at: list[int] = []  # position in old_indices of that tail
    previous: list[int] = [-1] * len(old_indices)
    for position, value in enumerate(old_indices):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[length] = value
            tail_at[length] = position
        previous[position] = tail_at[length - 1] if length > 0 else -1
    stable: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position != -1:
        stable.add(position)
        position = previous[position]
    return stable


def compare(
    old: Sequence[ParagraphState], new: Sequence[ParagraphState]
) -> list[ParagraphComparison]:
    """Compare ``old`` with ``new`` (each in document order).

    The result follows the new order; a removed paragraph appears right after the
    paragraph that preceded it in the old order (or first, when none did).
    """
    old_index = {paragraph.id: index for index, paragraph in enumerate(old)}
    new_ids = {paragraph.id for paragraph in new}
    common = [paragraph for paragraph in new if paragraph.id in old_index]
    stable_positions = _stable_positions([old_index[p.id] for p in common])
    stable_ids = {common[position].id for position in stable_positions}

    entries: list[ParagraphComparison] = []
    for new_number, paragraph in enumerate(new, start=1):
        if paragraph.id not in old_index:
            entries.append(
                ParagraphComparison(
                    paragraph_id=paragraph.id,
                    change=Change.ADDED,
                    old=None,
                    new=paragraph,
                    old_number=None,
                    new_number=new_number,
                    diffs=_diffs(None, paragraph),
                )
            )
            continue
        before = old[old_index[paragraph.id]]
        diffs = _diffs(before, paragraph)
        if paragraph.id not in stable_ids:
            change = Change.MOVED
        elif before.kind != paragraph.kind or any(changed(ops) for ops in diffs.values()):
            change = Change.CHANGED
        else:
            change = Change.SAME
        entries.append(
            ParagraphComparison(
                paragraph_id=paragraph.id,
                change=change,
                old=before,
                new=paragraph,
                old_number=old_index[paragraph.id] + 1,
                new_number=new_number,
                diffs=diffs,
            )
        )

    # Place each removed paragraph after its nearest surviving predecessor in the old order.
    removed_after: dict[int | None, list[ParagraphComparison]] = {}
    anchor: int | None = None
    for old_number, paragraph in enumerate(old, start=1):
        if paragraph.id in new_ids:
            anchor = paragraph.id
            continue
        removed_after.setdefault(anchor, []).append(
            ParagraphComparison(
                paragraph_id=paragraph.id,
                change=Change.REMOVED,
                old=paragraph,
                new=None,
                old_number=old_number,
                new_number=None,
                diffs=_diffs(paragraph, None),
            )
        )
    result = list(removed_after.get(None, []))
    for entry in entries:
        result.append(entry)
        result.extend(removed_after.get(entry.paragraph_id, []))
    return result


def only_changes(comparisons: Sequence[ParagraphComparison]) -> list[ParagraphComparison]:
    return [entry for entry in comparisons if entry.is_change]


def summary(comparisons: Sequence[ParagraphComparison]) -> dict[str, int]:
    """How many paragraphs of each kind of change (every kind present, zero or more)."""
    counts = {change.value: 0 for change in Change}
    for entry in comparisons:
        counts[entry.change.value] += 1
    return counts
