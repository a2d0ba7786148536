"""Translation memory: the closest earlier confirmed pairs for a text to translate.

The score is the share of words two source texts have in common, in order (difflib's
ratio over case-folded words): 1.0 for the same words, 0.0 for nothing in common.
Punctuation and spacing do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from drafting.diffs import DiffOps, word_diff

_WORD = re.compile(r"\w+")
# Scoring every pair exactly is quadratic in words; a cheap word-set overlap picks the
# candidates worth scoring.
_SHORTLIST = 50


@dataclass(frozen=True)
class Pair:
    """A confirmed pair: the text in the source language and its confirmed translation."""

    paragraph_id: int
    source: str
    target: str


@dataclass(frozen=True)
class Suggestion:
    paragraph_id: int
    source: str
    text: str
    score: float
    # How the earlier source differs from the text being translated (old → current).
    diff: DiffOps


def words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def score(text: str, other: str) -> float:
    """How alike two texts are, from 0.0 to 1.0, by their words in order."""
    a, b = words(text), words(other)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def suggest(
    source: str, pairs: list[Pair], *, limit: int = 5, minimum: float = 0.3
) -> list[Suggestion]:
    """The best-scoring pairs for ``source``, best first; identical pairs only once."""
    wanted = words(source)
    if not wanted:
        return []
    wanted_set = set(wanted)
    seen: set[tuple[str, str]] = set()
    shortlist: list[tuple[float, Pair]] = []
    for pair in pairs:
        if (pair.source, pair.target) in seen or not pair.target.strip():
            continue
        seen.add((pair.source, pair.target))
        their_set = set(words(pair.source))
        overlap = len(wanted_set & their_set) / len(wanted_set | their_set) if their_set else 0
        if overlap > 0:
            shortlist.append((overlap, pair))
    shortlist.sort(key=lambda item: -item[0])
    scored = []
    for _, pair in shortlist[:_SHORTLIST]:
        value = score(source, pair.source)
        if value >= minimum:
            scored.append((value, pair))
    scored.sort(key=lambda item: (-item[0], item[1].paragraph_id))
    return [
        Suggestion(
            paragraph_id=pair.paragraph_id,
            source=pair.source,
            text=pair.target,
            score=round(value, 3),
            diff=word_diff(pair.source, source),
        )
        for value, pair in scored[:limit]
    ]
