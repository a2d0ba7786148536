"""Glossary checks: a term used on one side whose counterpart is missing on the other.

Matching is deliberately simple and explainable, good enough for warnings (never blocks):

- German: a term's words are reduced to a stem by dropping a case or plural ending
  (``Kommune`` → ``kommun``); a word of the text matches when it starts with the stem
  (``Kommunen``, ``Kommunalverwaltung``) or, for stems of five letters and more, contains
  it as the tail of a compound (``Praxiskommune``, ``Oberbürgermeisterin``). ``ß`` and
  ``ss`` are the same letter (case folding).
- French: an elided article or preposition is dropped (``l'énergie`` → ``énergie``) and
  plural and feminine endings are removed (``collectivités``, ``municipaux`` →
  ``municipal``, ``communes`` → ``commun``); multi-word terms match the same words in a row
  (``groupes de travail``).
- A *false friend* entry pairs words that look alike but do not correspond (Kommune ≠
  commune). It is never "missing"; it is flagged when the German text uses its German word
  and the French text its French word, with the entry's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drafting.text import Lang

# A word: letters only; hyphens and digits separate words. In French an elided article or
# preposition before an apostrophe is matched but not kept.
_FRENCH_WORD = re.compile(r"(?:\b(?:jusqu|lorsqu|puisqu|qu|[cdjlmnst])['’ʼ])?([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")
_GERMAN_ENDINGS = ("ern", "en", "er", "es", "em", "e", "n", "s")
_MIN_STEM = 4
_MIN_COMPOUND_STEM = 5


@dataclass(frozen=True)
class Term:
    term_de: str
    term_fr: str
    note: str = ""
    false_friend: bool = False


@dataclass(frozen=True)
class TermWarning:
    term_de: str
    term_fr: str
    # The side where the counterpart is missing; None for a false friend.
    missing_in: Lang | None
    false_friend: bool
    note: str
    # The words of the text that matched, as written (German, French).
    found_de: str
    found_fr: str


@dataclass(frozen=True)
class Token:
    key: str
    start: int
    end: int


def _german_stem(word: str) -> str:
    word = word.casefold()
    for ending in _GERMAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def _french_key(word: str) -> str:
    word = word.casefold()
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and len(word) > 3:
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def tokens(text: str, lang: Lang) -> list[Token]:
    """The words of ``text`` with their positions, keyed for matching in ``lang``."""
    return list(_tokens(text, lang))


# A page checks every paragraph against every glossary term: each text is split into
# words once, not once per term.
@lru_cache(maxsize=4096)
def _tokens(text: str, lang: Lang) -> tuple[Token, ...]:
    if lang is Lang.FR:
        return tuple(
            Token(_french_key(m.group(1)), m.start(1), m.end(1))
            for m in _FRENCH_WORD.finditer(text)
        )
    return tuple(Token(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text))


@lru_cache(maxsize=4096)
def _keys_and_folded(text: str, lang: Lang) -> tuple[frozenset[str], str]:
    return frozenset(token.key for token in _tokens(text, lang)), text.casefold()


@lru_cache(maxsize=4096)
def _term_keys(term: str, lang: Lang) -> tuple[str, ...]:
    if lang is Lang.FR:
        return tuple(token.key for token in _tokens(term, lang))
    return tuple(_german_stem(m.group()) for m in _WORD.finditer(term))


def _german_word_matches(word: str, stem: str, *, head: bool) -> bool:
    if word.startswith(stem):
        return True
    # Only a term's head (last word) may be the tail of a compound: "Praxiskommune".
    return head and len(stem) >= _MIN_COMPOUND_STEM and stem in word


def find(text: str, term: str, lang: Lang) -> list[tuple[int, int]]:
    """Where ``term`` occurs in ``text`` (character spans), allowing for inflection."""
    keys = _term_keys(term, lang)
    if not keys:
        return []
    # Cheap refusals first: a French key must be one of the text's word keys; a German
    # stem matches only as a prefix or part of a word, so it must occur in the text.
    present, folded = _keys_and_folded(text, lang)
    if lang is Lang.FR and not present.issuperset(keys):
        return []
    if lang is Lang.DE and any(key not in folded for key in keys):
        return []
    words = _tokens(text, lang)
    spans = []
    for index in range(len(words) - len(keys) + 1):
        window = words[index : index + len(keys)]
        if lang is Lang.FR:
            matched = all(w.key == k for w, k in zip(window, keys, strict=True))
        else:
            matched = all(
                _german_word_matches(w.key, k, head=position == len(keys) - 1)
                for position, (w, k) in enumerate(zip(window, keys, strict=True))
            )
        if matched:
            spans.append((window[0].start, window[-1].end))
    return spans


def _found(text: str, spans: list[tuple[int, int]]) -> str:
    return text[spans[0][0] : spans[0][1]] if spans else ""


def check(de_text: str, fr_text: str, terms: list[Term]) -> list[TermWarning]:
    """Warnings for a paragraph's pair of texts; none when a side is still empty."""
    if not de_text.strip() or not fr_text.strip():
        return []
    warnings = []
    found = {
        term: (find(de_text, term.term_de, Lang.DE), find(fr_text, term.term_fr, Lang.FR))
        for term in terms
    }
    for term in terms:
        in_de, in_fr = found[term]
        if term.false_friend:
            if in_de and in_fr:
                warnings.append(
                    TermWarning(
                        term.term_de,
                        term.term_fr,
                        None,
                        True,
                        term.note,
                        _found(de_text, in_de),
                        _found(fr_text, in_fr),
                    )
                )
            continue
        if bool(in_de) == bool(in_fr):
            continue
        warnings.append(
            TermWarning(
                term.term_de,
                term.term_fr,
                Lang.FR if in_de else Lang.DE,
                False,
                term.note,
                _found(de_text, in_de),
                _found(fr_text, in_fr),
            )
        )
    return _without_covered(warnings, found)


def _without_covered(
    warnings: list[TermWarning],
    found: dict[Term, tuple[list[tuple[int, int]], list[tuple[int, int]]]],
) -> list[TermWarning]:
    """Drop a "missing" warning when another entry for the same word is satisfied.

    A glossary may give several translations of one word (Gemeinde → commune, Gemeinde →
    municipalité); using any of them is fine.
    """
    satisfied_de: set[str] = set()
    satisfied_fr: set[str] = set()
    for term, (in_de, in_fr) in found.items():
        if term.false_friend:
            continue
        if in_de and in_fr:
            satisfied_de.add(term.term_de.casefold())
            satisfied_fr.add(term.term_fr.casefold())
    kept = []
    for warning in warnings:
        if warning.missing_in is Lang.FR and warning.term_de.casefold() in satisfied_de:
            continue
        if warning.missing_in is Lang.DE and warning.term_fr.casefold() in satisfied_fr:
            continue
        kept.append(warning)
    return kept
