"""Diffing two 200-paragraph versions word by word, against difflib on the same word lists."""

from __future__ import annotations

import difflib
import statistics
import time
from collections.abc import Callable

from drafting.diffs import word_diff
from tests.bench.world import corpus_paragraphs, variant


def paragraph_pairs(count: int) -> list[tuple[str, str]]:
    """Real German paragraphs (headings left out), each against a copy with small edits."""
    texts = [p["de"] for p in corpus_paragraphs() if p["kind"] != "heading"]
    pairs = []
    for index in range(count):
        old = texts[index % len(texts)]
        new = variant(variant(old, index), index + 10_000)
        pairs.append((old, new))
    return pairs


def _time_rounds(work: Callable[[], object], rounds: int) -> list[float]:
    work()  # warm-up: regex compilation, caches
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return timings


def measure(paragraphs: int = 200, rounds: int = 15) -> dict[str, object]:
    pairs = paragraph_pairs(paragraphs)

    def tandem() -> object:
        return [word_diff(old, new) for old, new in pairs]

    def baseline() -> object:
        return [
            difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False).get_opcodes()
            for old, new in pairs
        ]

    tandem_times = _time_rounds(tandem, rounds)
    baseline_times = _time_rounds(baseline, rounds)
    tandem_ms = statistics.median(tandem_times) * 1000
    baseline_ms = statistics.median(baseline_times) * 1000
    return {
        "measures": "drafting.diffs.word_diff over the paragraph pairs of two versions "
        "(real German paragraphs, a few words edited)",
        "baseline_is": "difflib.SequenceMatcher(autojunk=False).get_opcodes() over str.split() "
        "word lists of the same pairs",
        "paragraph_pairs": paragraphs,
        "words_per_version": sum(len(old.split()) for old, _ in pairs),
        "rounds": rounds,
        "tandem_word_diff_ms": round(tandem_ms, 2),
        "baseline_difflib_ms": round(baseline_ms, 2),
        "ratio": round(tandem_ms / baseline_ms, 3),
        "ratio_means": "tandem time / baseline time (median of the rounds; lower is better)",
    }
