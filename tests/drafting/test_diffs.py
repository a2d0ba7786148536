"""Word-level diffs: whole words, NFC, whole grapheme clusters, always the same answer."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.diffs import (
    DELETE,
    EQUAL,
    INSERT,
    changed,
    new_text,
    old_text,
    token_diff,
    tokenize,
    word_diff,
)

WOMAN_JUDGE = "\U0001f469\U0001f3fd\u200d\u2696\ufe0f"  # 👩🏽‍⚖️
NNBSP = "\u202f"

VOCABULARY = [
    "Kommune",
    "Kommunen",
    "collectivité",
    "über",
    "u\u0308ber",
    "e\u0301te\u0301",
    "Straße",
    "STRAẞE",
    "œuvre",
    "d’échanges",
    "die",
    "la",
    WOMAN_JUDGE,
    "\U0001f469\U0001f3fd",
    "\U0001d518",
    "🇩🇪",
    "«",
    "»",
    f"{NNBSP};",
    f"{NNBSP}:",
    "\u200b",
    "\u00ad",
    "\ufeff",
    "\u202e",
    "\n",
    "\t",
]

texts = st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def cluster_boundaries(text: str) -> set[int]:
    return {0} | {match.end() for match in regex.finditer(r"\X", text)}


def cut_points(pieces: list[str]) -> set[int]:
    points, position = {0}, 0
    for piece in pieces:
        position += len(piece)
        points.add(position)
    return points


def test_a_changed_word_in_a_german_sentence_is_one_deletion_and_one_insertion() -> None:
    old = "Kleine und mittlere Kommunen verfügen selten über eigenes Personal für Klimaschutz."
    new = "Kleine und mittlere Kommunen verfügen kaum über eigenes Personal für den Klimaschutz."
    assert word_diff(old, new) == [
        (EQUAL, "Kleine und mittlere Kommunen verfügen "),
        (DELETE, "selten"),
        (INSERT, "kaum"),
        (EQUAL, " über eigenes Personal für "),
        (INSERT, "den "),
        (EQUAL, "Klimaschutz."),
    ]


def test_a_french_sentence_is_diffed_by_whole_words() -> None:
    old = f"Les programmes sont nombreux mais fragmentés{NNBSP}; ils mobilisent des capacités."
    new = f"Les programmes sont nombreux et fragmentés{NNBSP}; ils mobilisent trop de capacités."
    assert word_diff(old, new) == [
        (EQUAL, "Les programmes sont nombreux "),
        (DELETE, "mais"),
        (INSERT, "et"),
        (EQUAL, f" fragmentés{NNBSP}; ils mobilisent "),
        (DELETE, "des"),
        (INSERT, "trop de"),
        (EQUAL, " capacités."),
    ]


def test_a_word_is_never_diffed_letter_by_letter() -> None:
    assert word_diff("Die Kommune plant.", "Die Kommunen planen.") == [
        (EQUAL, "Die "),
        (DELETE, "Kommune plant"),
        (INSERT, "Kommunen planen"),
        (EQUAL, "."),
    ]


def test_precomposed_and_decomposed_umlauts_are_the_same_letter() -> None:
    assert word_diff("über", "u\u0308ber") == [(EQUAL, "über")]
    assert word_diff("Klimaneutralität und Gemeinde", "Klimaneutralita\u0308t und Kommune") == [
        (EQUAL, "Klimaneutralität und "),
        (DELETE, "Gemeinde"),
        (INSERT, "Kommune"),
    ]


def test_identical_texts_are_one_equal_run() -> None:
    text = f"Die Richterin {WOMAN_JUDGE} entscheidet{NNBSP}!"
    assert word_diff(text, text) == [(EQUAL, text)]
    assert not changed(word_diff(text, text))


def test_two_empty_texts_have_no_ops() -> None:
    assert word_diff("", "") == []


def test_from_and_to_an_empty_text_is_one_insertion_or_deletion() -> None:
    assert word_diff("", "Kommune") == [(INSERT, "Kommune")]
    assert word_diff("Kommune", "") == [(DELETE, "Kommune")]
    assert changed(word_diff("", "Kommune"))


def test_an_emoji_sequence_is_replaced_whole() -> None:
    old = f"Die Richterin {WOMAN_JUDGE} entscheidet."
    new = "Die Richterin \U0001f469\U0001f3fd entscheidet."
    ops = word_diff(old, new)
    assert (DELETE, WOMAN_JUDGE) in ops
    assert (INSERT, "\U0001f469\U0001f3fd") in ops


def test_a_letter_is_never_separated_from_its_combining_mark() -> None:
    old = "q\u0307 et q"  # no precomposed q with a dot above
    new = "q et q\u0307"
    ops = word_diff(old, new)
    assert cut_points([t for op, t in ops if op != INSERT]) <= cluster_boundaries(old)
    assert cut_points([t for op, t in ops if op != DELETE]) <= cluster_boundaries(new)


def test_a_10000_character_word_is_one_token() -> None:
    word = "a" * 10_000
    assert tokenize(word) == [word]
    assert word_diff(word + " x", word[:-1] + "b x") == [
        (DELETE, word),
        (INSERT, word[:-1] + "b"),
        (EQUAL, " x"),
    ]


def test_a_200000_character_text_with_one_change_gives_a_small_diff() -> None:
    sentence = "Kleine Kommunen verfügen selten über eigenes Personal. "
    old = sentence * (200_000 // len(sentence))
    new = old[:100_000] + "NEU " + old[100_000:]
    ops = word_diff(old, new)
    assert len(ops) <= 5
    assert old_text(ops) == old
    assert new_text(ops) == new


def test_tokens_are_words_white_space_runs_and_single_clusters() -> None:
    text = f"Die Kommune{NNBSP}; la «\u202fcollectivité » {WOMAN_JUDGE}!  e\u0301t\u00e9"
    assert tokenize(nfc(text)) == [
        "Die",
        " ",
        "Kommune",
        NNBSP,
        ";",
        " ",
        "la",
        " ",
        "«",
        NNBSP,
        "collectivité",
        " ",
        "»",
        " ",
        WOMAN_JUDGE,
        "!",
        "  ",
        "été",
    ]


def test_token_diff_carries_the_tokens_of_each_op() -> None:
    assert token_diff(["a", " ", "b"], ["a", " ", "c"]) == [
        (EQUAL, ["a", " "]),
        (DELETE, ["b"]),
        (INSERT, ["c"]),
    ]


def test_changed_tells_whether_anything_changed() -> None:
    assert not changed([(EQUAL, "x")])
    assert changed([(EQUAL, "x"), (INSERT, "y")])
    assert not changed([])


def test_a_space_and_its_combining_mark_are_never_split() -> None:
    text = "a \u0301b"
    assert cut_points(tokenize(text)) <= cluster_boundaries(text)


# --- properties --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_a_diff_rebuilds_both_texts_in_nfc(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert old_text(ops) == nfc(old)
    assert new_text(ops) == nfc(new)


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_a_diff_never_splits_a_grapheme_cluster(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert cut_points([t for op, t in ops if op != INSERT]) <= cluster_boundaries(nfc(old))
    assert cut_points([t for op, t in ops if op != DELETE]) <= cluster_boundaries(nfc(new))


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_the_same_texts_always_give_the_same_diff(old: str, new: str) -> None:
    assert word_diff(old, new) == word_diff(old, new)


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_a_diff_has_no_empty_ops_and_no_two_equal_runs_in_a_row(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert all(text for _, text in ops)
    assert all(ops[i][0] != ops[i + 1][0] for i in range(len(ops) - 1))
    assert changed(ops) == (nfc(old) != nfc(new))


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_tokens_put_together_give_the_text_back(text: str) -> None:
    assert "".join(tokenize(nfc(text))) == nfc(text)
