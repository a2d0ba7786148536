"""Whether the German and the French text of a paragraph still say the same thing.

An alignment is the pair of revisions (DE, FR) that a person last confirmed as
equivalent. The status follows from comparing that pair with the current revisions:

- ``missing``: one side (or both) is empty; nothing can be in sync with nothing.
- ``in_sync``: both current revisions are the confirmed pair.
- ``fr_outdated``: the German text changed since the confirmation, the French did not.
- ``de_outdated``: the French text changed since, the German did not.
- ``both_changed``: both changed since, or the pair was never confirmed at all (both
  sides then need a person's look, exactly as when both changed).
"""

from __future__ import annotations

from enum import StrEnum

from drafting.diffs import DiffOps, word_diff
from drafting.text import Lang


class Status(StrEnum):
    IN_SYNC = "in_sync"
    FR_OUTDATED = "fr_outdated"
    DE_OUTDATED = "de_outdated"
    BOTH_CHANGED = "both_changed"
    MISSING = "missing"

    def needs_translation_into(self, lang: Lang) -> bool:
        """Whether a translator working into ``lang`` has something to do here."""
        if self is Status.BOTH_CHANGED:
            return True
        return self is (Status.FR_OUTDATED if lang is Lang.FR else Status.DE_OUTDATED)


def status(
    *,
    aligned_de: int | None,
    aligned_fr: int | None,
    current_de: int | None,
    current_fr: int | None,
    de_text: str,
    fr_text: str,
) -> Status:
    """The alignment status of a paragraph; ``aligned_*`` are None when never confirmed."""
    if not de_text.strip() or not fr_text.strip():
        return Status.MISSING
    if aligned_de is None or aligned_fr is None:
        return Status.BOTH_CHANGED
    de_changed = aligned_de != current_de
    fr_changed = aligned_fr != current_fr
    if de_changed and fr_changed:
        return Status.BOTH_CHANGED
    if de_changed:
        return Status.FR_OUTDATED
    if fr_changed:
        return Status.DE_OUTDATED
    return Status.IN_SYNC


def changes_since(aligned_text: str | None, current_text: str) -> DiffOps:
    """What changed in one language since the confirmed pair (all of it if never confirmed)."""
    return word_diff(aligned_text or "", current_text)


def missing_side(de_text: str, fr_text: str) -> Lang | None:
    """The empty side of a paragraph (German first when both are empty)."""
    if not de_text.strip():
        return Lang.DE
    if not fr_text.strip():
        return Lang.FR
    return None
