from __future__ import annotations

import json

from drafting.memory import Pair, score, suggest
from tests.helpers.corpus import CORPUS

RECOMMENDATION = json.loads(
    (CORPUS / "recommendation-climate-neutral-municipalities.json").read_text(encoding="utf-8")
)["paragraphs"]
PAIRS = [Pair(index, p["de"], p["fr"]) for index, p in enumerate(RECOMMENDATION)]


def test_the_same_words_score_one_and_nothing_in_common_scores_zero() -> None:
    assert score("Viele Kommunen handeln.", "viele kommunen handeln") == 1.0
    assert score("Viele Kommunen handeln.", "Das Wetter ist schön.") == 0.0
    assert score("", "Text") == 0.0


def test_a_closer_text_scores_higher() -> None:
    source = "Viele Kommunen haben den Klimanotstand ausgerufen."
    near = "Viele Kommunen haben den Klimanotstand erklärt."
    far = "Kommunen haben Ziele."
    assert score(source, near) > score(source, far) > 0


def test_an_edited_corpus_paragraph_finds_its_earlier_translation_first() -> None:
    edited = RECOMMENDATION[4]["de"].replace("Viele Kommunen", "Zahlreiche Kommunen")
    [best, *_] = suggest(edited, PAIRS)
    assert best.paragraph_id == 4
    assert best.text == RECOMMENDATION[4]["fr"]
    assert 0.8 < best.score < 1.0
    assert (-1, "Viele") in best.diff and (1, "Zahlreiche") in best.diff


def test_suggestions_are_sorted_limited_and_above_the_minimum() -> None:
    suggestions = suggest(RECOMMENDATION[13]["de"], PAIRS, limit=3, minimum=0.1)
    assert 1 <= len(suggestions) <= 3
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= 0.1 for s in scores)


def test_identical_pairs_are_suggested_once_and_empty_targets_never() -> None:
    pairs = [
        Pair(1, "Präambel", "Préambule"),
        Pair(2, "Präambel", "Préambule"),
        Pair(3, "Präambel", ""),
    ]
    assert [s.paragraph_id for s in suggest("Präambel", pairs)] == [1]


def test_nothing_to_suggest_for_an_empty_source() -> None:
    assert suggest("  ", PAIRS) == []
