"""Deterministic word-level three-way merge.

Both edited versions are diffed against their common ``base`` with the word diff of
:mod:`drafting.diffs`. Each side's changes become *hunks*: a range of base tokens and the
tokens that replace it (an insertion is an empty range). The hunks of both sides are then
combined the way diff3 does it:

* a change made by one side only is taken;
* the same change made by both sides is taken once;
* changes that overlap in base tokens, or two different insertions at exactly the same
  place, are a **conflict**. A conflict is never resolved silently: the result lists it,
  and its text is only a proposal for a person to edit.

Changes to neighbouring words merge cleanly as long as they do not touch the same base
token, for instance two words separated by a single space, or two deletions that meet.
An insertion right before or right after a range the other side replaced or deleted is a
conflict, though: the words it was written next to are gone, so where it belongs and
whether it still makes sense is for a person to decide.

The word diff cleans up its result for people (``diff_cleanupSemantic``), so when one side
makes two changes with only a word or two between them, those words count as changed by
that side too; a change by the other side in between is then a conflict.

In the proposal, each conflicting stretch reads "theirs, then yours": when one side's
version already contains the other's (as whole tokens) only the longer one is kept; when
one of them is empty only the other is kept; otherwise both follow each other, separated
by a space unless there is white space between them already.

All three texts are normalised to NFC first, and the result is NFC.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from drafting.diffs import DELETE, EQUAL, token_diff, tokenize


@dataclass(frozen=True)
class ConflictHunk:
    """One conflicting stretch: what it was in ``base`` and what each side made of it.

    ``start`` and ``end`` are offsets (``str`` indices, end exclusive) in the merged
    proposal, where the proposed text for this stretch stands.
    """

    base: str
    theirs: str
    yours: str
    start: int
    end: int


@dataclass(frozen=True)
class MergeResult:
    """The merged text, or on conflict a proposal together with the conflicting stretches."""

    text: str
    conflicts: list[ConflictHunk] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass(frozen=True)
class _Hunk:
    """Base tokens ``start:end`` replaced by ``tokens`` (an insertion when start == end)."""

    start: int
    end: int
    tokens: tuple[str, ...]


@dataclass
class _Cluster:
    """Hunks of both sides that overlap, directly or through one another."""

    start: int
    end: int
    theirs: list[_Hunk] = field(default_factory=list)
    yours: list[_Hunk] = field(default_factory=list)


def three_way(base: str, theirs: str, yours: str) -> MergeResult:
    """Merge the changes ``theirs`` and ``yours`` both made to ``base``.

    ``theirs`` is the text stored meanwhile, ``yours`` the one being saved; when they
    conflict, the proposal puts their version of each stretch before yours.
    """
    base, theirs, yours = (unicodedata.normalize("NFC", t) for t in (base, theirs, yours))
    if theirs == yours or base == yours:
        return MergeResult(theirs)
    if base == theirs:
        return MergeResult(yours)

    base_tokens = tokenize(base)
    clusters = _clusters(
        _hunks(base_tokens, tokenize(theirs)),
        _hunks(base_tokens, tokenize(yours)),
    )
    pieces: list[str] = []
    length = 0
    conflicts: list[ConflictHunk] = []
    position = 0
    for cluster in clusters:
        unchanged = "".join(base_tokens[position : cluster.start])
        pieces.append(unchanged)
        length += len(unchanged)
        theirs_part = _apply(base_tokens, cluster.start, cluster.end, cluster.theirs)
        yours_part = _apply(base_tokens, cluster.start, cluster.end, cluster.yours)
        if not cluster.yours or theirs_part == yours_part:
            merged = "".join(theirs_part)
        elif not cluster.theirs:
            merged = "".join(yours_part)
        else:
            merged = "".join(_proposal(theirs_part, yours_part))
            conflicts.append(
                ConflictHunk(
                    base="".join(base_tokens[cluster.start : cluster.end]),
                    theirs="".join(theirs_part),
                    yours="".join(yours_part),
                    start=length,
                    end=length + len(merged),
                )
            )
        pieces.append(merged)
        length += len(merged)
        position = cluster.end
    pieces.append("".join(base_tokens[position:]))
    return MergeResult("".join(pieces), conflicts)


def _hunks(base: Sequence[str], other: Sequence[str]) -> list[_Hunk]:
    hunks: list[_Hunk] = []
    position = 0
    start: int | None = None
    replacement: list[str] = []
    for op, tokens in token_diff(base, other):
        if op == EQUAL:
            if start is not None:
                hunks.append(_Hunk(start, position, tuple(replacement)))
                start, replacement = None, []
            position += len(tokens)
            continue
        if start is None:
            start = position
        if op == DELETE:
            position += len(tokens)
        else:
            replacement.extend(tokens)
    if start is not None:
        hunks.append(_Hunk(start, position, tuple(replacement)))
    return hunks


def _clusters(theirs: list[_Hunk], yours: list[_Hunk]) -> Iterator[_Cluster]:
    # Hunks of one side are separated by at least one unchanged token, so they never
    # overlap one another: a cluster is a chain of hunks that alternate between sides.
    tagged = sorted(
        [(hunk.start, hunk.end, 0, hunk) for hunk in theirs]
        + [(hunk.start, hunk.end, 1, hunk) for hunk in yours],
        key=lambda item: item[:3],
    )
    current: _Cluster | None = None
    for start, end, side, hunk in tagged:
        if current is None or not _overlaps(current, hunk, side):
            if current is not None:
                yield current
            current = _Cluster(start, end)
        current.end = max(current.end, end)
        (current.theirs if side == 0 else current.yours).append(hunk)
    if current is not None:
        yield current


def _overlaps(cluster: _Cluster, hunk: _Hunk, side: int) -> bool:
    """Whether ``hunk`` (of ``side``, 0 for theirs) conflicts with a hunk of the cluster.

    Hunks arrive sorted by position, so only the end of the cluster needs a look. Two
    ranges conflict when they share a base token; an insertion conflicts with a change of
    the other side at, or right next to, its place.
    """
    if hunk.start < cluster.end and cluster.start < hunk.end:
        return True
    if hunk.start == hunk.end:
        return cluster.start <= hunk.start <= cluster.end
    others = cluster.yours if side == 0 else cluster.theirs
    return any(other.start == other.end == hunk.start for other in others)


def _apply(base: Sequence[str], start: int, end: int, hunks: list[_Hunk]) -> list[str]:
    """Base tokens ``start:end`` as one side changed them."""
    result: list[str] = []
    position = start
    for hunk in hunks:
        result.extend(base[position : hunk.start])
        result.extend(hunk.tokens)
        position = hunk.end
    result.extend(base[position:end])
    return result


def _proposal(theirs: list[str], yours: list[str]) -> list[str]:
    if _contains(yours, theirs):
        return yours
    if _contains(theirs, yours):
        return theirs
    if theirs[-1].isspace() or yours[0].isspace():
        return theirs + yours
    return [*theirs, " ", *yours]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as a run of whole tokens."""
    if not needle:
        return True
    if len(needle) > len(haystack):
        return False
    text, wanted = "".join(haystack), "".join(needle)
    boundaries = set(accumulate((len(token) for token in haystack), initial=0))
    found = text.find(wanted)
    while found != -1:
        if found in boundaries and found + len(wanted) in boundaries:
            return True
        found = text.find(wanted, found + 1)
    return False
