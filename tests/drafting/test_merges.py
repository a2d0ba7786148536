"""The word-level three-way merge: what combines, what conflicts, and what is proposed."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.diffs import EQUAL, INSERT, token_diff, tokenize
from drafting.merges import ConflictHunk, MergeResult, three_way
from tests.helpers.corpus import RECOMMENDATION

WOMAN_JUDGE = "\U0001f469\U0001f3fd\u200d\u2696\ufe0f"  # 👩🏽‍⚖️, one grapheme cluster
FRAKTUR_U = "\U0001d518"  # 𝔘, outside the Basic Multilingual Plane
NNBSP = "\u202f"  # narrow no-break space, before ; : ! ? in French

DE = (
    "Kleine und mittlere Kommunen verfügen selten über eigenes Personal für Klimaschutz. "
    "Förderprogramme sind zahlreich, aber zersplittert. "
    "Ihre Antragsverfahren binden Kapazitäten, die für die Umsetzung fehlen."
)
FR = (
    "Les petites et moyennes communes disposent rarement de personnel dédié à la protection "
    f"du climat{NNBSP}! Les programmes de financement sont nombreux mais fragmentés{NNBSP}; "
    "leurs procédures de candidature mobilisent des capacités qui font ensuite défaut."
)

VOCABULARY = [
    "Kommune",
    "Kommunen",
    "collectivité",
    "über",
    "u\u0308ber",
    "Gemeinde",
    "die",
    "la",
    "und",
    "et",
    "Straße",
    "œuvre",
    "e\u0301te\u0301",
    WOMAN_JUDGE,
    FRAKTUR_U,
    "«",
    "»",
    f"{NNBSP};",
    f"{NNBSP}!",
    "’",
    "\u200b",
    "\u0301",  # after the joining space: one cluster with it
    "\u200d",
]

JOINING = ("\u0301", "\u200d")


def words_joined(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    # A text never starts with a combining mark or joiner here: one that does has no letter
    # to join, and in a conflict proposal it joins the separating space instead.
    return (
        st.lists(st.sampled_from(VOCABULARY), min_size=min_size, max_size=max_size)
        .filter(lambda words: not words or words[0] not in JOINING)
        .map(" ".join)
    )


texts = words_joined(0, 10)
sentences = words_joined(1, 6)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clusters(text: str) -> set[str]:
    return set(regex.findall(r"\X", text))


def kept_by(base_tokens: list[str], other: str) -> set[int]:
    """Indices of the base tokens that the diff to ``other`` keeps."""
    kept: set[int] = set()
    position = 0
    for op, tokens in token_diff(base_tokens, tokenize(nfc(other))):
        if op == EQUAL:
            kept.update(range(position, position + len(tokens)))
        if op != INSERT:
            position += len(tokens)
    return kept


def appear_in_order(pieces: list[str], text: str) -> bool:
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found == -1:
            return False
        position = found + len(piece)
    return True


# --- properties --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(base=texts, yours=texts)
def test_when_only_you_changed_the_text_your_version_is_the_result(base: str, yours: str) -> None:
    result = three_way(base, base, yours)
    assert result.clean
    assert result.text == nfc(yours)


@settings(max_examples=200, deadline=None)
@given(base=texts, theirs=texts)
def test_when_only_they_changed_the_text_their_version_is_the_result(
    base: str, theirs: str
) -> None:
    result = three_way(base, theirs, base)
    assert result.clean
    assert result.text == nfc(theirs)


@settings(max_examples=200, deadline=None)
@given(base=texts, both=texts)
def test_when_both_made_the_same_change_it_counts_once(base: str, both: str) -> None:
    result = three_way(base, both, both)
    assert result == MergeResult(nfc(both), [])


@settings(max_examples=200, deadline=None)
@given(base=texts, theirs=texts, yours=texts)
def test_the_same_inputs_always_give_the_same_merge(base: str, theirs: str, yours: str) -> None:
    assert three_way(base, theirs, yours) == three_way(base, theirs, yours)


@settings(max_examples=200, deadline=None)
@given(base=texts, theirs=texts, yours=texts)
def test_a_clean_merge_never_drops_a_word_both_sides_kept(
    base: str, theirs: str, yours: str
) -> None:
    result = three_way(base, theirs, yours)
    if not result.clean:
        return
    base_tokens = tokenize(nfc(base))
    kept = sorted(kept_by(base_tokens, theirs) & kept_by(base_tokens, yours))
    assert appear_in_order([base_tokens[index] for index in kept], result.text)


@settings(max_examples=200, deadline=None)
@given(base=texts, theirs=texts, yours=texts)
def test_a_clean_merge_does_not_depend_on_who_saved_first(
    base: str, theirs: str, yours: str
) -> None:
    one_way = three_way(base, theirs, yours)
    other_way = three_way(base, yours, theirs)
    assert one_way.clean == other_way.clean
    if one_way.clean:
        assert one_way.text == other_way.text


@settings(max_examples=200, deadline=None)
@given(first=sentences, new_first=sentences, third=sentences, new_third=sentences)
def test_edits_in_different_sentences_merge_cleanly(
    first: str, new_first: str, third: str, new_third: str
) -> None:
    middle = "Dieser Satz bleibt, wie er ist."
    base = f"{first}. {middle} {third}."
    theirs = f"{new_first}. {middle} {third}."
    yours = f"{first}. {middle} {new_third}."
    result = three_way(base, theirs, yours)
    assert result.clean
    assert result.text == nfc(f"{new_first}. {middle} {new_third}.")


@settings(max_examples=200, deadline=None)
@given(base=texts, theirs=texts, yours=texts)
def test_a_merge_never_splits_a_grapheme_cluster(base: str, theirs: str, yours: str) -> None:
    result = three_way(base, theirs, yours)
    known = clusters(nfc(base)) | clusters(nfc(theirs)) | clusters(nfc(yours)) | {" "}
    assert clusters(result.text) <= known


@settings(max_examples=200, deadline=None)
@given(base=texts, theirs=texts, yours=texts)
def test_a_conflict_proposal_loses_nothing_either_side_wrote(
    base: str, theirs: str, yours: str
) -> None:
    result = three_way(base, theirs, yours)
    previous_end = 0
    for hunk in result.conflicts:
        assert previous_end <= hunk.start < hunk.end <= len(result.text)
        proposal = result.text[hunk.start : hunk.end]
        assert hunk.theirs in proposal
        assert hunk.yours in proposal
        assert hunk.theirs != hunk.yours
        previous_end = hunk.end


# --- real sentences ----------------------------------------------------------------------


def test_german_edits_in_different_sentences_merge_cleanly() -> None:
    theirs = DE.replace("selten", "kaum")
    yours = DE.replace("die Umsetzung", "die konkrete Umsetzung")
    result = three_way(DE, theirs, yours)
    assert result.clean
    assert result.text == DE.replace("selten", "kaum").replace(
        "die Umsetzung", "die konkrete Umsetzung"
    )


def test_french_edits_around_narrow_no_break_spaces_merge_cleanly() -> None:
    theirs = FR.replace(f"climat{NNBSP}!", f"climat{NNBSP}?")
    yours = FR.replace("fragmentés", "très fragmentés")
    result = three_way(FR, theirs, yours)
    assert result.clean
    assert result.text == FR.replace(f"climat{NNBSP}!", f"climat{NNBSP}?").replace(
        "fragmentés", "très fragmentés"
    )


def test_changes_to_neighbouring_words_merge_cleanly() -> None:
    base = "Kleine und mittlere Kommunen"
    result = three_way(base, "Kleine und große Kommunen", "Kleine und mittlere Gemeinden")
    assert result == MergeResult("Kleine und große Gemeinden", [])


def test_the_same_word_changed_differently_is_a_conflict_with_theirs_then_yours() -> None:
    theirs = DE.replace("selten", "kaum")
    yours = DE.replace("selten", "nie")
    result = three_way(DE, theirs, yours)
    assert not result.clean
    assert result.text == DE.replace("selten", "kaum nie")
    (hunk,) = result.conflicts
    assert hunk == ConflictHunk(
        base="selten",
        theirs="kaum",
        yours="nie",
        start=DE.index("selten"),
        end=DE.index("selten") + len("kaum nie"),
    )
    assert result.text[hunk.start : hunk.end] == "kaum nie"


def test_a_conflict_does_not_stop_other_changes_from_merging() -> None:
    theirs = DE.replace("selten", "kaum").replace("zahlreich", "sehr zahlreich")
    yours = DE.replace("selten", "nie").replace("fehlen.", "fehlen werden.")
    result = three_way(DE, theirs, yours)
    assert len(result.conflicts) == 1
    assert "sehr zahlreich" in result.text
    assert "fehlen werden." in result.text


def test_both_deleting_the_same_word_merges_cleanly() -> None:
    base = "Förderprogramme sind zahlreich, aber stark zersplittert."
    both = "Förderprogramme sind zahlreich, aber zersplittert."
    assert three_way(base, both, both) == MergeResult(both, [])


def test_both_deleting_the_same_word_next_to_other_changes_merges_cleanly() -> None:
    base = "Förderprogramme sind zahlreich, aber stark zersplittert. Das kostet Zeit."
    theirs = "Die Förderprogramme sind zahlreich, aber zersplittert. Das kostet Zeit."
    yours = "Förderprogramme sind zahlreich, aber zersplittert. Das kostet viel Zeit."
    result = three_way(base, theirs, yours)
    assert result == MergeResult(
        "Die Förderprogramme sind zahlreich, aber zersplittert. Das kostet viel Zeit.", []
    )


def test_deletions_that_meet_merge_cleanly() -> None:
    base = "Förderprogramme sind sehr stark zersplittert."
    result = three_way(base, base.replace("sehr ", ""), base.replace("stark ", ""))
    assert result == MergeResult("Förderprogramme sind zersplittert.", [])


def test_a_word_between_two_close_edits_of_one_side_counts_as_changed_by_that_side() -> None:
    # The word diff merges two changes separated by one word into one change (as people
    # read it), so the other side's deletion of "stark" overlaps it.
    base = "Förderprogramme sind zahlreich, aber stark zersplittert."
    theirs = "Förderprogramme sind zahlreich, aber zersplittert."
    yours = "Förderprogramme sind zahlreich, aber zersplittert!"
    result = three_way(base, theirs, yours)
    assert not result.clean
    assert result.text == "Förderprogramme sind zahlreich, aber zersplittert. zersplittert!"


def test_deleting_a_word_the_other_side_edited_is_a_conflict() -> None:
    base = "Förderprogramme sind zahlreich, aber stark zersplittert."
    theirs = "Förderprogramme sind zahlreich, aber zersplittert."
    yours = "Förderprogramme sind zahlreich, aber völlig zersplittert."
    result = three_way(base, theirs, yours)
    assert not result.clean
    assert result.text == yours
    (hunk,) = result.conflicts
    assert (hunk.base, hunk.theirs, hunk.yours) == ("stark ", "", "völlig ")


def test_different_insertions_at_the_same_place_are_a_conflict() -> None:
    base = "Kommunen brauchen Personal."
    result = three_way(
        base, "Kommunen brauchen eigenes Personal.", "Kommunen brauchen mehr Personal."
    )
    assert not result.clean
    (hunk,) = result.conflicts
    assert (hunk.base, hunk.theirs, hunk.yours) == ("", "eigenes ", "mehr ")
    assert result.text == "Kommunen brauchen eigenes mehr Personal."


def test_the_same_insertion_on_both_sides_counts_once() -> None:
    base = "Kommunen brauchen Personal. Und Geld."
    theirs = "Kommunen brauchen eigenes Personal. Und Geld."
    yours = "Kommunen brauchen eigenes Personal. Und mehr Geld."
    result = three_way(base, theirs, yours)
    assert result == MergeResult("Kommunen brauchen eigenes Personal. Und mehr Geld.", [])


def test_an_insertion_next_to_a_word_the_other_side_replaced_is_a_conflict() -> None:
    result = three_way("la voie", "la voie commune", "la route")
    assert not result.clean
    assert result.conflicts == [ConflictHunk("voie", "voie commune", "route", 3, 21)]
    assert result.text == "la voie commune route"


def test_an_insertion_next_to_a_word_the_other_side_deleted_is_a_conflict() -> None:
    base = "Förderprogramme sind zahlreich, aber stark zersplittert."
    theirs = "Förderprogramme sind zahlreich, aber zersplittert."
    yours = "Förderprogramme sind zahlreich, aber sehr stark zersplittert."
    result = three_way(base, theirs, yours)
    assert result.text == yours
    assert result.conflicts == [ConflictHunk("stark ", "", "sehr stark ", 37, 48)]


def test_an_insertion_one_space_away_from_a_replaced_word_merges_cleanly() -> None:
    result = three_way("la voie est libre", "la voie est très libre", "la route est libre")
    assert result == MergeResult("la route est très libre", [])


def test_a_proposal_keeps_only_the_longer_version_when_it_contains_the_other() -> None:
    base = "Kommunen brauchen Personal."
    theirs = "Kommunen brauchen eigenes Personal."
    yours = "Kommunen brauchen eigenes und geschultes Personal."
    result = three_way(base, theirs, yours)
    assert not result.clean
    assert result.text == yours


def test_an_empty_base_with_text_on_one_side_takes_that_text() -> None:
    assert three_way("", "", FR) == MergeResult(FR, [])
    assert three_way("", DE, "") == MergeResult(DE, [])


def test_an_empty_base_with_two_different_texts_is_a_conflict() -> None:
    result = three_way("", "Kommunen", "Collectivités")
    assert result.text == "Kommunen Collectivités"
    assert result.conflicts == [ConflictHunk("", "Kommunen", "Collectivités", 0, 22)]


def test_emptying_the_text_while_the_other_side_edits_it_is_a_conflict() -> None:
    yours = DE.replace("selten", "kaum")
    result = three_way(DE, "", yours)
    assert not result.clean
    assert result.text == yours


def test_both_emptying_the_text_merges_cleanly() -> None:
    assert three_way(DE, "", "") == MergeResult("", [])


def test_all_three_empty_merge_to_empty() -> None:
    assert three_way("", "", "") == MergeResult("", [])


def test_precomposed_and_decomposed_umlauts_count_as_the_same_letter() -> None:
    base = "Personal über Klimaschutz"
    theirs = "Personal u\u0308ber Klimaschutz"  # the same text, decomposed
    yours = "Personal über den Klimaschutz"
    assert three_way(base, theirs, yours) == MergeResult("Personal über den Klimaschutz", [])


def test_the_result_is_in_nfc() -> None:
    result = three_way("", "", "e\u0301te\u0301 u\u0308ber")
    assert result.text == "été über"


def test_emoji_and_astral_characters_merge_as_whole_clusters() -> None:
    base = f"Die Richterin {WOMAN_JUDGE} entscheidet über {FRAKTUR_U}."
    theirs = f"Die Richterin {WOMAN_JUDGE}{WOMAN_JUDGE} entscheidet über {FRAKTUR_U}."
    yours = f"Die Richterin {WOMAN_JUDGE} entscheidet heute über {FRAKTUR_U}{FRAKTUR_U}."
    result = three_way(base, theirs, yours)
    assert result == MergeResult(
        f"Die Richterin {WOMAN_JUDGE}{WOMAN_JUDGE} entscheidet heute über {FRAKTUR_U}{FRAKTUR_U}.",
        [],
    )


def test_conflicting_emoji_are_proposed_as_whole_clusters() -> None:
    result = three_way(f"a {WOMAN_JUDGE} b", f"a {FRAKTUR_U} b", "a \U0001f469 b")
    assert not result.clean
    assert clusters(result.text) <= {"a", "b", " ", FRAKTUR_U, "\U0001f469"}


def test_combining_marks_stay_on_their_letter() -> None:
    base = "cafe\u0301 et the\u0301"
    result = three_way(base, "café noir et thé", "café et thé vert")
    assert result == MergeResult("café noir et thé vert", [])


def test_a_combining_mark_after_a_space_is_not_split_from_it() -> None:
    # " \u0301" is one grapheme cluster, though the tokenizer cuts it after the space.
    base = "a \u0301b c"
    result = three_way(base, "a \u0301b c d", "X a \u0301b c")
    assert result == MergeResult("X a \u0301b c d", [])
    conflict = three_way(base, " \u0301b c", "a \u0301b")
    assert conflict.clean
    assert clusters(conflict.text) <= clusters(base) | {" "}


def test_guillemets_and_narrow_spaces_are_kept_exactly() -> None:
    base = f"Le principe «{NNBSP}commune{NNBSP}» reste flou{NNBSP}; il faut agir{NNBSP}!"
    theirs = base.replace("flou", "très flou")
    yours = base.replace("agir", "agir vite")
    result = three_way(base, theirs, yours)
    assert result.clean
    assert result.text == (
        f"Le principe «{NNBSP}commune{NNBSP}» reste très flou{NNBSP}; il faut agir vite{NNBSP}!"
    )


def test_invisible_characters_are_merged_like_any_other() -> None:
    base = "Kommune\u200b und \ufeffGemeinde \u202eUrteil"
    theirs = base.replace("und", "oder")
    yours = base.replace("Urteil", "Entscheid")
    result = three_way(base, theirs, yours)
    assert result == MergeResult("Kommune\u200b oder \ufeffGemeinde \u202eEntscheid", [])


def test_a_merge_result_is_clean_only_without_conflicts() -> None:
    assert MergeResult("x").clean
    assert not MergeResult("x", [ConflictHunk("a", "b", "c", 0, 1)]).clean


# --- the real recommendation -------------------------------------------------------------


def recommendation() -> list[dict[str, Any]]:
    paragraphs: list[dict[str, Any]] = json.loads(RECOMMENDATION.read_text(encoding="utf-8"))[
        "paragraphs"
    ]
    return paragraphs


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_edits_to_first_and_last_sentence_of_every_paragraph_merge_cleanly(lang: str) -> None:
    for paragraph in recommendation():
        text: str = paragraph[lang]
        sentences = text.split(". ")
        if len(sentences) < 2:
            continue
        theirs = ". ".join(["Neu: " + sentences[0], *sentences[1:]])
        yours = ". ".join([*sentences[:-1], sentences[-1] + " (ergänzt)"])
        result = three_way(text, theirs, yours)
        assert result.clean, text
        assert result.text == ". ".join(
            ["Neu: " + sentences[0], *sentences[1:-1], sentences[-1] + " (ergänzt)"]
        )


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_rewriting_the_same_sentence_differently_conflicts_in_every_paragraph(lang: str) -> None:
    for paragraph in recommendation():
        text: str = paragraph[lang]
        words = text.split(" ")
        if len(words) < 4:
            continue
        theirs = " ".join([*words[:2], "THEIRS", *words[3:]])
        yours = " ".join([*words[:2], "YOURS", *words[3:]])
        result = three_way(text, theirs, yours)
        assert [(h.base, h.theirs, h.yours) for h in result.conflicts] == [
            (words[2], "THEIRS", "YOURS")
        ], text
