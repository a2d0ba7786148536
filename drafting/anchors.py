"""Comment anchors: a quoted passage of a text, followed through later edits.

An anchor is placed on an exact quote. After an edit, :func:`relocate` looks for the
passage in the new text, in this order:

1. the old offsets mapped through the word diff of old and new text: if the quote stands
   there (and begins and ends words where it did), the anchor is ``attached``, possibly
   at shifted offsets;
2. the exact quote in text that the edit wrote (not in text that was already there
   before, which would be some other passage that happens to read the same): ``moved``,
   to the occurrence nearest the mapped position;
3. the most similar window of whole tokens in or next to text that the edit wrote, with
   a similarity of at least 0.75 and at least one word in common with the quote
   (or a word that merely changed its ending): ``moved``, and the anchor's quote becomes
   the new wording;
4. otherwise ``detached``, without offsets and with the original quote.

A detached anchor has no position to start from; it comes back (``moved``) only when an
edit writes its exact quote again, once.

Offsets are ``str`` indices (end exclusive) and never split a grapheme cluster. The work
is bounded for long texts: unchanged leading and trailing tokens are not diffed, very
large rewrites are not diffed word by word, and fuzzy candidates are only tried at a
bounded number of token positions.
"""

from __future__ import annotations

import os
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from itertools import accumulate

import regex

from drafting.diffs import DELETE, EQUAL, INSERT, token_diff, tokenize

MIN_SIMILARITY = 0.75

# Beyond this many changed tokens on either side the word diff may take seconds (it
# grows with the product of both lengths); positions are then estimated proportionally.
_MAX_DIFFED_TOKENS = 3_000
# How far (in tokens) a fuzzy window's start and end may move from a candidate position.
_SLACK = 4
_MAX_VOTES = 50_000
_MAX_SEEDS = 8
# Longer quotes are compared token by token rather than character by character.
_MAX_CHAR_COMPARED_QUOTE = 300

_GRAPHEME = regex.compile(r"\X")
_WORD = regex.compile(r"\w")


class AnchorState(StrEnum):
    ATTACHED = "attached"
    MOVED = "moved"
    DETACHED = "detached"


@dataclass(frozen=True)
class Anchor:
    """A quoted passage at ``text[start:end]``; ``start`` and ``end`` are None when detached."""

    quote: str
    start: int | None
    end: int | None
    state: AnchorState


class AnchorNotFound(ValueError):
    """The quote to anchor a comment on does not occur in the text."""

    def __init__(self, quote: str) -> None:
        self.quote = quote
        if not quote:
            message = "The quoted passage is empty; select some text to comment on."
        else:
            shown = quote if len(quote) <= 60 else quote[:57] + "…"
            message = f"The quoted passage “{shown}” does not occur in the text."
        super().__init__(message)


def place(text: str, quote: str, hint_start: int | None = None) -> Anchor:
    """Anchor ``quote`` in ``text``; of several occurrences, the one nearest ``hint_start``.

    The quote is matched in NFC (as stored texts are), and only where it starts and ends
    between grapheme clusters. Raises :class:`AnchorNotFound` otherwise.
    """
    if not quote:
        raise AnchorNotFound(quote)
    normalised = unicodedata.normalize("NFC", quote)
    tokens = _Tokens(text)
    for candidate in dict.fromkeys((normalised, quote)):
        starts = [
            start
            for start in _occurrences(text, candidate)
            if tokens.is_grapheme_boundary(start)
            and tokens.is_grapheme_boundary(start + len(candidate))
        ]
        if starts:
            start = _nearest(starts, hint_start)
            return Anchor(candidate, start, start + len(candidate), AnchorState.ATTACHED)
    raise AnchorNotFound(quote)


def relocate(old_text: str, new_text: str, anchor: Anchor) -> Anchor:
    """Where ``anchor``, placed in ``old_text``, stands in ``new_text`` (see module doc)."""
    quote = anchor.quote
    detached = Anchor(quote, None, None, AnchorState.DETACHED)
    if not quote:
        return detached
    old = _Tokens(old_text)
    located = _locate_in_old(old, anchor)
    if located is not None and old_text == new_text:
        return Anchor(quote, located[0], located[1], AnchorState.ATTACHED)
    new = _Tokens(new_text)
    changes = _Changes.between(old, new)

    if located is None:
        # Nothing to map from: only a single exact occurrence in written text is safe.
        hint = None if anchor.start is None else changes.map_start(_clip(anchor.start, old))
        exact = _written_occurrences(new, changes, quote, None)
        if len(exact) == 1 or (exact and hint is not None):
            start = _nearest(exact, hint)
            return Anchor(quote, start, start + len(quote), AnchorState.MOVED)
        return detached

    old_start, old_end = located
    word_edges = _word_edges(old_text, old_start, old_end)
    start, end = changes.map_start(old_start), changes.map_end(old_end)
    end = max(start, end)
    if (
        new_text[start:end] == quote
        and (not changes.approximate or changes.unchanged(old_start, old_end))
        and new.is_grapheme_boundary(start)
        and new.is_grapheme_boundary(end)
        and _keeps_word_edges(word_edges, new_text, start, end)
    ):
        return Anchor(quote, start, end, AnchorState.ATTACHED)

    exact = _written_occurrences(new, changes, quote, word_edges)
    if exact:
        found = _nearest(exact, start)
        return Anchor(quote, found, found + len(quote), AnchorState.MOVED)

    window = _fuzzy_window(quote, new, changes, start, end)
    if window is not None:
        return Anchor(new_text[window[0] : window[1]], window[0], window[1], AnchorState.MOVED)
    return detached


class _Tokens:
    """A text's word tokens with their offsets; every token starts a grapheme cluster."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.offsets = list(accumulate((len(token) for token in self.tokens), initial=0))
        self._cluster_ends: dict[int, set[int]] = {}

    def index_at(self, offset: int) -> int:
        """The index of the token containing ``offset`` (len(tokens) at the end)."""
        if offset >= len(self.text):
            return len(self.tokens)
        return bisect_right(self.offsets, offset) - 1

    def is_grapheme_boundary(self, offset: int) -> bool:
        if not 0 <= offset <= len(self.text):
            return False
        index = self.index_at(offset)
        if index == len(self.tokens):
            return True
        token_start = self.offsets[index]
        if token_start == offset:
            return True
        # A token starts a cluster and no cluster spans two tokens, so the clusters of the
        # token alone are the clusters of the text.
        ends = self._cluster_ends.get(index)
        if ends is None:
            ends = {m.end() for m in _GRAPHEME.finditer(self.tokens[index])}
            self._cluster_ends[index] = ends
        return offset - token_start in ends


@dataclass(frozen=True)
class _Segment:
    """Old text ``old_start:old_end`` became new text ``new_start:new_end``."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    equal: bool


@dataclass(frozen=True)
class _Changes:
    """How an old text maps onto a new one, as a list of equal and changed segments."""

    old_text: str
    new_text: str
    segments: list[_Segment]
    # The changed part was too large to diff word by word: positions in it are estimates.
    approximate: bool
    # New-text ranges that the edit wrote, or where it deleted something (then empty);
    # in order, so that their ends are in order too.
    written: list[tuple[int, int]]
    written_ends: list[int]

    @classmethod
    def between(cls, old: _Tokens, new: _Tokens) -> _Changes:
        a, b = old.tokens, new.tokens
        prefix = 0
        limit = min(len(a), len(b))
        while prefix < limit and a[prefix] == b[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
            suffix += 1
        old_middle = a[prefix : len(a) - suffix]
        new_middle = b[prefix : len(b) - suffix]
        old_from, new_from = old.offsets[prefix], new.offsets[prefix]
        old_to = old.offsets[len(a) - suffix]
        new_to = new.offsets[len(b) - suffix]

        segments: list[_Segment] = []
        if old_from:
            segments.append(_Segment(0, old_from, 0, new_from, equal=True))
        approximate = max(len(old_middle), len(new_middle)) > _MAX_DIFFED_TOKENS
        if approximate:
            segments.append(_Segment(old_from, old_to, new_from, new_to, equal=False))
        elif old_middle or new_middle:
            segments.extend(_diff_segments(old_middle, new_middle, old_from, new_from))
        if old_to < len(old.text):
            segments.append(_Segment(old_to, len(old.text), new_to, len(new.text), equal=True))
        written = [(s.new_start, s.new_end) for s in segments if not s.equal]
        written_ends = [written_end for _, written_end in written]
        return cls(old.text, new.text, segments, approximate, written, written_ends)

    def map_start(self, offset: int) -> int:
        """Where a passage starting at old ``offset`` starts in the new text."""
        for segment in self.segments:
            if segment.old_start <= offset < segment.old_end:
                if segment.equal:
                    return segment.new_start + offset - segment.old_start
                return self._within_change(segment, offset, start=True)
        return len(self.new_text)

    def map_end(self, offset: int) -> int:
        """Where a passage ending at old ``offset`` ends in the new text."""
        for segment in self.segments:
            if segment.old_start < offset <= segment.old_end:
                if segment.equal:
                    return segment.new_start + offset - segment.old_start
                return self._within_change(segment, offset, start=False)
        return 0

    def _within_change(self, segment: _Segment, offset: int, *, start: bool) -> int:
        """Map an offset inside a changed segment by the characters that stayed.

        A changed token may keep most of its characters (a run of white space that grew,
        a word that got a new ending); an offset in the kept beginning or end maps exactly,
        any other goes to the start (for a passage's start) or end of the replacement.
        """
        if self.approximate:
            span = segment.old_end - segment.old_start
            moved = (offset - segment.old_start) * (segment.new_end - segment.new_start) // span
            return segment.new_start + moved
        old = self.old_text[segment.old_start : segment.old_end]
        new = self.new_text[segment.new_start : segment.new_end]
        kept_before = len(os.path.commonprefix([old, new]))
        kept_after = len(os.path.commonprefix([old[kept_before:][::-1], new[kept_before:][::-1]]))
        before, after = offset - segment.old_start, segment.old_end - offset
        if start:
            if after <= kept_after:
                return segment.new_end - after
            if before < kept_before:
                return segment.new_start + before
            return segment.new_start
        if before <= kept_before:
            return segment.new_start + before
        if after < kept_after:
            return segment.new_end - after
        return segment.new_end

    def unchanged(self, start: int, end: int) -> bool:
        """Whether old text ``start:end`` lies within one unchanged segment."""
        return any(s.equal and s.old_start <= start and end <= s.old_end for s in self.segments)

    def touches_written(self, start: int, end: int) -> bool:
        """Whether new text ``start:end`` overlaps written text, or spans a deletion."""
        index = bisect_right(self.written_ends, start)
        return index < len(self.written) and self.written[index][0] < end


def _diff_segments(
    old: Sequence[str], new: Sequence[str], old_position: int, new_position: int
) -> list[_Segment]:
    segments: list[_Segment] = []
    change_old, change_new = old_position, new_position
    for op, tokens in token_diff(old, new):
        length = sum(len(token) for token in tokens)
        if op == EQUAL:
            if (change_old, change_new) != (old_position, new_position):
                segments.append(
                    _Segment(change_old, old_position, change_new, new_position, equal=False)
                )
            segments.append(
                _Segment(
                    old_position, old_position + length, new_position, new_position + length, True
                )
            )
            old_position += length
            new_position += length
            change_old, change_new = old_position, new_position
        elif op == DELETE:
            old_position += length
        elif op == INSERT:
            new_position += length
    if (change_old, change_new) != (old_position, new_position):
        segments.append(_Segment(change_old, old_position, change_new, new_position, equal=False))
    return segments


def _locate_in_old(old: _Tokens, anchor: Anchor) -> tuple[int, int] | None:
    """The anchor's range in the old text, found again by its quote if the offsets are off."""
    quote, start, end = anchor.quote, anchor.start, anchor.end
    if start is None or end is None:
        return None
    if 0 <= start <= end <= len(old.text) and old.text[start:end] == quote:
        return start, end
    starts = [
        s
        for s in _occurrences(old.text, quote)
        if old.is_grapheme_boundary(s) and old.is_grapheme_boundary(s + len(quote))
    ]
    if not starts:
        return None
    found = _nearest(starts, start)
    return found, found + len(quote)


def _written_occurrences(
    new: _Tokens, changes: _Changes, quote: str, word_edges: tuple[bool, bool] | None
) -> list[int]:
    """Starts of the quote in the new text that an edit wrote, cut where the original was.

    ``word_edges`` tells whether the original passage began and ended at the edge of a word;
    if it did, so must the new occurrence (a whole word does not move into a longer word).
    """
    found: list[int] = []
    for start in _occurrences(new.text, quote):
        end = start + len(quote)
        if not (new.is_grapheme_boundary(start) and new.is_grapheme_boundary(end)):
            continue
        if word_edges is not None and not _keeps_word_edges(word_edges, new.text, start, end):
            continue
        if changes.touches_written(start, end):
            found.append(start)
    return found


def _keeps_word_edges(word_edges: tuple[bool, bool], text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins and ends a word wherever the original passage did."""
    begins, ends = _word_edges(text, start, end)
    return (begins or not word_edges[0]) and (ends or not word_edges[1])


def _word_edges(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether ``text[start:end]`` begins a word at its start, and ends one at its end."""
    begins = _WORD.match(text, start) is not None and (
        start == 0 or _WORD.match(text, start - 1) is None
    )
    ends = (
        end > start
        and _WORD.match(text, end - 1) is not None
        and (end == len(text) or _WORD.match(text, end) is None)
    )
    return begins, ends


def _fuzzy_window(
    quote: str, new: _Tokens, changes: _Changes, start: int, end: int
) -> tuple[int, int] | None:
    """The most similar run of whole tokens that the edit wrote or changed, if similar enough."""
    quote_tokens = tokenize(quote)
    if not quote_tokens or not new.tokens:
        return None
    scorer = _Similarity(quote, quote_tokens)
    seeds = [(new.index_at(start), max(new.index_at(end), new.index_at(start) + 1))]
    seeds.extend(_voted_seeds(quote_tokens, new, changes, seeds[0][0]))
    best: tuple[float, int, int, int, int] | None = None  # score, -distance, -start, ...
    for seed_start, seed_end in dict.fromkeys(seeds):
        window = _refine(scorer, quote, new, changes, seed_start, seed_end)
        if window is None:
            continue
        score, first, last = window
        char_start = new.offsets[first]
        key = (score, -abs(char_start - start), -char_start, first, last)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    return new.offsets[best[3]], new.offsets[best[4]]


def _voted_seeds(
    quote_tokens: list[str], new: _Tokens, changes: _Changes, hint: int
) -> list[tuple[int, int]]:
    """Token positions where the quote would start if it moved, by the tokens that match."""
    positions: dict[str, list[int]] = {}
    for index, token in enumerate(quote_tokens):
        if not token.isspace():
            positions.setdefault(token, []).append(index)
    if not positions:
        return []
    reach = len(quote_tokens) + _SLACK + 1
    zones: list[tuple[int, int]] = []
    for written_start, written_end in changes.written:
        first = max(0, new.index_at(written_start) - reach)
        last = min(len(new.tokens), new.index_at(written_end) + reach + 1)
        if zones and first <= zones[-1][1]:
            zones[-1] = (zones[-1][0], max(zones[-1][1], last))
        else:
            zones.append((first, last))
    votes: Counter[int] = Counter()
    work = 0
    for first, last in zones:
        for index in range(first, last):
            matches = positions.get(new.tokens[index])
            if matches is None:
                continue
            for quote_index in matches:
                votes[index - quote_index] += 1
            work += len(matches)
            if work > _MAX_VOTES:
                break
        if work > _MAX_VOTES:
            break
    ranked = sorted(votes.items(), key=lambda item: (-item[1], abs(item[0] - hint), item[0]))
    return [(begin, begin + len(quote_tokens)) for begin, _ in ranked[:_MAX_SEEDS]]


def _refine(
    scorer: _Similarity,
    quote: str,
    new: _Tokens,
    changes: _Changes,
    seed_start: int,
    seed_end: int,
) -> tuple[float, int, int] | None:
    """Best window near ``seed_start:seed_end`` (token indices): start first, then end."""
    tokens = new.tokens
    first_is_space, last_is_space = quote[0].isspace(), quote[-1].isspace()

    def acceptable(first: int, last: int) -> bool:
        return (
            0 <= first < last <= len(tokens)
            and (first_is_space or not tokens[first].isspace())
            and (last_is_space or not tokens[last - 1].isspace())
            and changes.touches_written(new.offsets[first], new.offsets[last])
            and scorer.shares_a_word(tokens[first:last])
        )

    best: tuple[float, int, int] | None = None
    first, last = seed_start, seed_end
    for _ in range(2):
        for candidate_first in range(first - _SLACK, first + _SLACK + 1):
            if acceptable(candidate_first, last):
                score = scorer.score(tokens[candidate_first:last])
                if best is None or score > best[0]:
                    best = (score, candidate_first, last)
        if best is not None:
            first = best[1]
        for candidate_last in range(last - _SLACK, last + _SLACK + 1):
            if acceptable(first, candidate_last):
                score = scorer.score(tokens[first:candidate_last])
                if best is None or score > best[0]:
                    best = (score, first, candidate_last)
        if best is not None:
            first, last = best[1], best[2]
    if best is None or best[0] < MIN_SIMILARITY:
        return None
    return best


class _Similarity:
    """Similarity of candidate windows to one quote (difflib ratio, 0 to 1)."""

    def __init__(self, quote: str, quote_tokens: list[str]) -> None:
        self.by_characters = len(quote) <= _MAX_CHAR_COMPARED_QUOTE
        self.tokens = {token for token in quote_tokens if not token.isspace()}
        self.words = [token.casefold() for token in self.tokens if _WORD.match(token)]
        self._chars: SequenceMatcher[str] = SequenceMatcher(autojunk=False)
        self._chars.set_seq2(quote)
        self._tokens: SequenceMatcher[str] = SequenceMatcher(autojunk=False)
        self._tokens.set_seq2(quote_tokens)

    def score(self, window: list[str]) -> float:
        if self.by_characters:
            self._chars.set_seq1("".join(window))
            return self._chars.ratio()
        self._tokens.set_seq1(window)
        return self._tokens.ratio()

    def shares_a_word(self, window: list[str]) -> bool:
        """Whether the window keeps a token of the quote, or a word with a changed ending.

        This keeps a quote whose words were all replaced from being matched to other words
        that merely look alike.
        """
        for token in window:
            if token in self.tokens:
                return True
            if _WORD.match(token):
                folded = token.casefold()
                if any(_same_stem(folded, word) for word in self.words):
                    return True
        return False


def _same_stem(a: str, b: str) -> bool:
    """Kommune / Kommunen, collectivité / collectivités: a long common beginning."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4 and common >= min(len(a), len(b)) - 2


def _occurrences(text: str, quote: str) -> list[int]:
    starts: list[int] = []
    found = text.find(quote)
    while found != -1:
        starts.append(found)
        found = text.find(quote, found + 1)
    return starts


def _nearest(starts: list[int], hint: int | None) -> int:
    if hint is None:
        return starts[0]
    return min(starts, key=lambda start: (abs(start - hint), start))


def _clip(offset: int, tokens: _Tokens) -> int:
    return min(max(offset, 0), len(tokens.text))
