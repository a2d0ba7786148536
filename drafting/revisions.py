"""What happens when a person saves a text: a plain decision on plain values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from drafting.merges import three_way


class Source(StrEnum):
    """Where a revision's text came from."""

    HUMAN = "human"
    MERGE = "merge"
    AMENDMENT = "amendment"
    RESTORE = "restore"
    MACHINE = "machine"


@dataclass(frozen=True)
class EditOutcome:
    text: str
    merged: bool
    unchanged: bool = False


class EditConflict(Exception):
    """The text changed since the editor started and the changes overlap."""

    def __init__(self, *, base: str, theirs: str, yours: str, proposal: str) -> None:
        super().__init__("The paragraph was changed by someone else in the same place.")
        self.base = base
        self.theirs = theirs
        self.yours = yours
        self.proposal = proposal


def apply_edit(base: str, current: str, yours: str, *, base_is_current: bool) -> EditOutcome:
    """Decide the text of a save that started from ``base`` while ``current`` is stored.

    ``unchanged`` tells that saving would repeat the current text (a double submit or an
    empty edit): no new revision should be written.
    """
    if base_is_current:
        return EditOutcome(text=yours, merged=False, unchanged=yours == current)
    merge = three_way(base, current, yours)
    if merge.conflicts:
        raise EditConflict(base=base, theirs=current, yours=yours, proposal=merge.text)
    return EditOutcome(
        text=merge.text, merged=merge.text != current, unchanged=merge.text == current
    )
