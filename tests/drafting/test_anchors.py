"""Comment anchors: placed on an exact quote, relocated after edits, or detached."""

from __future__ import annotations

import json
import unicodedata

import pytest
import regex
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from drafting.anchors import Anchor, AnchorNotFound, AnchorState, place, relocate
from tests.helpers.corpus import RECOMMENDATION

WOMAN_JUDGE = "\U0001f469\U0001f3fd\u200d\u2696\ufe0f"  # 👩🏽‍⚖️, five code points
NNBSP = "\u202f"

DE = (
    "Diese Handlungsempfehlungen beruhen auf zwei Jahren Austausch mit Kommunen in "
    "Deutschland und Frankreich, die sich auf den Weg zur Klimaneutralität gemacht haben. "
    "Sie richten sich an die Regierungen beider Länder."
)
FR = (
    "Ces recommandations reposent sur deux années d'échanges avec des collectivités "
    f"d'Allemagne et de France{NNBSP}; elles s'adressent aux gouvernements des deux pays "
    f"«{NNBSP}et au-delà{NNBSP}»{NNBSP}!"
)


def cluster_boundaries(text: str) -> set[int]:
    return {0} | {match.end() for match in regex.finditer(r"\X", text)}


def assert_points_at_its_quote(text: str, anchor: Anchor) -> None:
    assert anchor.start is not None and anchor.end is not None
    assert text[anchor.start : anchor.end] == anchor.quote
    assert {anchor.start, anchor.end} <= cluster_boundaries(text)


# --- placing -----------------------------------------------------------------------------


def test_placing_a_quote_anchors_it_at_its_offsets() -> None:
    anchor = place(DE, "zwei Jahren Austausch")
    start = DE.index("zwei Jahren Austausch")
    assert anchor == Anchor("zwei Jahren Austausch", start, start + 21, AnchorState.ATTACHED)


def test_placing_takes_the_first_occurrence_without_a_hint() -> None:
    anchor = place(DE, "die")
    assert anchor.start == DE.index("die")


def test_placing_takes_the_occurrence_nearest_the_hint() -> None:
    last = DE.rindex("die")
    assert place(DE, "die", hint_start=last - 3).start == last
    assert place(DE, "die", hint_start=len(DE)).start == last


def test_placing_a_quote_that_is_not_in_the_text_raises_a_clear_error() -> None:
    with pytest.raises(AnchorNotFound, match="“Gemeinden” does not occur in the text"):
        place(DE, "Gemeinden")


def test_anchor_not_found_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        place(DE, "Gemeinden")


def test_placing_an_empty_quote_is_refused() -> None:
    with pytest.raises(AnchorNotFound, match="empty"):
        place(DE, "")


def test_a_long_missing_quote_is_shortened_in_the_message() -> None:
    with pytest.raises(AnchorNotFound) as raised:
        place(DE, "x" * 500)
    assert len(str(raised.value)) < 120


def test_placing_a_decomposed_quote_finds_the_nfc_text() -> None:
    anchor = place(DE, "Klimaneutralita\u0308t")
    assert anchor.quote == "Klimaneutralität"
    assert_points_at_its_quote(DE, anchor)


def test_placing_never_splits_an_emoji_sequence() -> None:
    text = f"Die Richterin {WOMAN_JUDGE} entscheidet."
    with pytest.raises(AnchorNotFound):
        place(text, "\U0001f469")  # only the first code point of the sequence
    anchor = place(text, f"Richterin {WOMAN_JUDGE}")
    assert anchor.end == text.index(" entscheidet")
    assert_points_at_its_quote(text, anchor)


def test_placing_never_separates_a_letter_from_its_combining_mark() -> None:
    text = "q\u0307 und q"  # q with a dot above has no precomposed form
    anchor = place(text, "q")
    assert anchor.start == len(text) - 1


def test_narrow_no_break_spaces_and_guillemets_are_quoted_exactly() -> None:
    quote = f"«{NNBSP}et au-delà{NNBSP}»{NNBSP}!"
    anchor = place(FR, quote)
    assert anchor.end == len(FR)
    assert_points_at_its_quote(FR, anchor)


# --- relocating --------------------------------------------------------------------------


def test_an_anchor_in_an_unchanged_text_stays_attached() -> None:
    anchor = place(DE, "zwei Jahren Austausch")
    assert relocate(DE, DE, anchor) == anchor


def test_an_edit_after_the_quote_keeps_its_offsets() -> None:
    anchor = place(DE, "zwei Jahren Austausch")
    new = DE.replace("beider Länder", "beider Staaten")
    assert relocate(DE, new, anchor) == anchor


def test_an_edit_before_the_quote_shifts_it_and_it_stays_attached() -> None:
    anchor = place(DE, "zwei Jahren Austausch")
    new = "Präambel: " + DE.replace("beruhen", "beruhen im Wesentlichen")
    moved = relocate(DE, new, anchor)
    assert moved.state is AnchorState.ATTACHED
    assert moved.quote == "zwei Jahren Austausch"
    assert moved.start == new.index("zwei Jahren Austausch")
    assert_points_at_its_quote(new, moved)


def test_a_slightly_edited_quote_moves_to_the_new_wording() -> None:
    anchor = place(DE, "zwei Jahren Austausch")
    new = DE.replace("zwei Jahren Austausch", "zwei Jahren intensivem Austausch")
    moved = relocate(DE, new, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.quote == "zwei Jahren intensivem Austausch"
    assert_points_at_its_quote(new, moved)


def test_a_quote_with_one_word_replaced_moves_to_the_new_wording() -> None:
    anchor = place(FR, "deux années d'échanges")
    new = FR.replace("deux années", "trois années")
    moved = relocate(FR, new, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.quote == "trois années d'échanges"


def test_a_quoted_word_whose_ending_changed_moves_with_it() -> None:
    anchor = place(DE, "Kommunen")
    new = DE.replace("Kommunen", "Kommune")
    moved = relocate(DE, new, anchor)
    assert moved == Anchor("Kommune", anchor.start, DE.index("Kommunen") + 7, AnchorState.MOVED)


def test_a_whole_word_quote_does_not_move_into_a_longer_word() -> None:
    text = "Die Kommune plant. Andere Kommunen auch."
    anchor = place(text, "Kommune")
    new = text.replace("Die Kommune plant", "Die Stadt plant")
    assert relocate(text, new, anchor).state is AnchorState.DETACHED


def test_a_quoted_word_is_never_attached_to_part_of_a_longer_word() -> None:
    text = "Die Kommune plant."
    anchor = place(text, "Kommune")
    longer = relocate(text, "Die Kommunen plant.", anchor)
    assert longer == Anchor("Kommunen", 4, 12, AnchorState.MOVED)
    assert relocate(text, "Die Großkommune plant.", anchor).state is AnchorState.DETACHED


def test_a_quote_on_part_of_a_word_stays_on_that_part() -> None:
    text = "Die Klimaneutralität kommt."
    anchor = place(text, "neutral")
    moved = relocate(text, "Bald: " + text, anchor)
    assert moved == Anchor("neutral", 15, 22, AnchorState.ATTACHED)


def test_a_deleted_quote_is_detached_with_its_original_quote() -> None:
    anchor = place(DE, "zwei Jahren Austausch mit ")
    new = DE.replace("zwei Jahren Austausch mit ", "")
    assert relocate(DE, new, anchor) == Anchor(
        "zwei Jahren Austausch mit ", None, None, AnchorState.DETACHED
    )


def test_a_quote_whose_words_were_all_replaced_is_detached() -> None:
    anchor = place(DE, "zwei Jahren Austausch")
    new = DE.replace("zwei Jahren Austausch", "langer Zusammenarbeit")
    assert relocate(DE, new, anchor).state is AnchorState.DETACHED


def test_a_quote_replaced_by_lookalike_words_is_detached() -> None:
    text = "Die Stadt Bonn hat gehandelt."
    anchor = place(text, "Stadt Bonn")
    new = "Die Staat Born hat gehandelt."  # similar letters, none of the words
    assert relocate(text, new, anchor).state is AnchorState.DETACHED


def test_a_repeated_quote_follows_the_occurrence_it_was_placed_on() -> None:
    text = "Kommunen helfen Kommunen. Kommunen lernen."
    second = place(text, "Kommunen", hint_start=16)
    assert second.start == 16
    new = "Kleine " + text
    moved = relocate(text, new, second)
    assert moved == Anchor("Kommunen", 23, 31, AnchorState.ATTACHED)


def test_a_deleted_occurrence_does_not_jump_to_another_that_was_already_there() -> None:
    text = "Kommunen helfen Kommunen. Kommunen lernen."
    second = place(text, "Kommunen", hint_start=16)
    new = "Kommunen helfen einander. Kommunen lernen."
    assert relocate(text, new, second).state is AnchorState.DETACHED


def test_a_quote_moved_elsewhere_in_the_text_is_found_there() -> None:
    first = "Förderprogramme sind zahlreich, aber zersplittert."
    second = "Kleine Kommunen haben selten eigenes Personal."
    third = "Die Antragsverfahren binden Kapazitäten."
    old = f"{first} {second} {third}"
    new = f"{second} {third} {first}"
    anchor = place(old, "zahlreich, aber zersplittert")
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.start == new.index("zahlreich, aber zersplittert")
    assert_points_at_its_quote(new, moved)


def test_a_quote_moved_and_edited_is_found_by_similarity() -> None:
    first = "Förderprogramme sind zahlreich, aber stark zersplittert."
    second = "Kleine Kommunen haben selten eigenes Personal."
    old = f"{first} {second}"
    new = f"{second} Förderprogramme sind zahlreich, aber sehr stark zersplittert."
    anchor = place(old, "zahlreich, aber stark zersplittert")
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.quote == "zahlreich, aber sehr stark zersplittert"
    assert_points_at_its_quote(new, moved)


def test_a_quote_pasted_twice_moves_to_the_copy_nearest_its_old_place() -> None:
    old = "Eins zwei drei. Vier fünf sechs. Sieben acht neun. Zehn elf zwölf."
    new = "Vier fünf sechs. Eins zwei drei. Sieben acht neun. Zehn elf zwölf. Eins zwei drei."
    anchor = place(old, "Eins zwei drei")
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.start == new.index("Eins zwei drei")


def test_an_anchor_on_an_emoji_stays_whole() -> None:
    old = f"Die Richterin {WOMAN_JUDGE} entscheidet über 𝔘."
    anchor = place(old, f"{WOMAN_JUDGE} entscheidet")
    new = "Heute: " + old
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.ATTACHED
    assert_points_at_its_quote(new, moved)


def test_an_emoji_changed_inside_the_quote_never_leaves_half_a_cluster() -> None:
    old = f"Die Richterin {WOMAN_JUDGE} entscheidet über 𝔘."
    anchor = place(old, f"Richterin {WOMAN_JUDGE} entscheidet")
    new = old.replace(WOMAN_JUDGE, "\U0001f469\U0001f3fd")  # the judge without her scales
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.quote == "Richterin \U0001f469\U0001f3fd entscheidet"
    assert_points_at_its_quote(new, moved)


def test_a_combining_mark_added_to_the_quote_never_splits_the_letter() -> None:
    old = "Die Bucht q bleibt."
    anchor = place(old, "Bucht q")
    new = "Die Bucht q\u0307 bleibt."
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.quote == "Bucht q\u0307"
    assert_points_at_its_quote(new, moved)


def test_quotes_with_combining_marks_are_relocated() -> None:
    old = "Le cap Ca\u0323\u0302 reste."  # no single precomposed letter for C with two marks
    anchor = place(old, "Ca\u0323\u0302")
    new = "Au nord, " + old
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.ATTACHED
    assert_points_at_its_quote(new, moved)


def test_invisible_characters_around_the_quote_are_kept() -> None:
    old = f"Kommune\u200b und \ufeffGemeinde \u202eUrteil{NNBSP}!"
    anchor = place(old, "\ufeffGemeinde \u202eUrteil")
    new = old.replace("und", "oder")
    moved = relocate(old, new, anchor)
    assert moved.state is AnchorState.ATTACHED
    assert_points_at_its_quote(new, moved)


def test_a_detached_anchor_stays_detached_while_its_quote_is_gone() -> None:
    detached = Anchor("zwei Jahren Austausch", None, None, AnchorState.DETACHED)
    text = DE.replace("zwei Jahren Austausch", "langem Austausch")
    assert relocate(text, text.replace("langem", "kurzem"), detached) == detached


def test_a_detached_anchor_comes_back_when_its_quote_is_written_again() -> None:
    detached = Anchor("zwei Jahren Austausch", None, None, AnchorState.DETACHED)
    old = DE.replace("zwei Jahren Austausch", "langem Austausch")
    moved = relocate(old, DE, detached)
    assert moved.state is AnchorState.MOVED
    assert moved.start == DE.index("zwei Jahren Austausch")


def test_an_anchor_with_stale_offsets_is_found_by_its_quote() -> None:
    stale = Anchor("zwei Jahren Austausch", 3, 24, AnchorState.ATTACHED)
    new = "Neu: " + DE
    moved = relocate(DE, new, stale)
    assert moved.state is AnchorState.ATTACHED
    assert moved.start == new.index("zwei Jahren Austausch")


def test_anchor_states_are_plain_strings() -> None:
    assert [state.value for state in AnchorState] == ["attached", "moved", "detached"]
    assert isinstance(AnchorState.DETACHED, str)
    assert f"{AnchorState.DETACHED}" == "detached"


# --- long texts --------------------------------------------------------------------------


def long_text() -> str:
    sentences = [DE, FR, f"Richterin {WOMAN_JUDGE} über 𝔘 und cafe\u0301."]
    parts = [f"Absatz {index}: {sentences[index % 3]}" for index in range(2_000)]
    return unicodedata.normalize("NFC", "\n".join(parts))[:200_000]


def test_anchors_in_a_200000_character_text_are_relocated() -> None:
    text = long_text()
    assert len(text) == 200_000
    quote = "Absatz 901: Ces recommandations"
    anchor = place(text, quote, hint_start=150_000)
    assert anchor.start == text.index(quote)

    shifted = "Neu. " + text
    assert relocate(text, shifted, anchor) == Anchor(
        quote, anchor.start + 5, anchor.end + 5 if anchor.end else None, AnchorState.ATTACHED
    )

    edited = text.replace(quote, "Absatz 901: Ces nouvelles recommandations")
    moved = relocate(text, edited, anchor)
    assert moved.state is AnchorState.MOVED
    assert moved.quote == "Absatz 901: Ces nouvelles recommandations"

    deleted = text.replace(quote, "")
    assert relocate(text, deleted, anchor).state is AnchorState.DETACHED


def test_a_200000_character_text_rewritten_throughout_is_handled() -> None:
    text = long_text()
    words = text.split(" ")
    rewritten = " ".join(words[1::2] + words[::2])
    anchor = place(text, "Absatz 901: Ces recommandations")
    moved = relocate(text, rewritten, anchor)
    if moved.state is not AnchorState.DETACHED:
        assert_points_at_its_quote(rewritten, moved)
    common = place(text, "die", hint_start=100_000)
    moved = relocate(text, rewritten, common)
    if moved.state is not AnchorState.DETACHED:
        assert_points_at_its_quote(rewritten, moved)


# --- properties --------------------------------------------------------------------------

WORDS = [
    "Kommune",
    "Kommunen",
    "collectivité",
    "über",
    "die",
    "la",
    "et",
    "und",
    WOMAN_JUDGE,
    "𝔘",
    "«",
    "»",
    f"{NNBSP};",
    "e\u0301te\u0301",
    "q\u0307",
    "\u0301",  # after the joining space: one cluster with it
]
JOINING = "\u0301"
# Words that do not occur in the texts above, so that where they were added is clear.
ADDED_WORDS = ["Neu", "Präambel:", "Au", "nord,", "\U0001f44d", "ajouté"]


@st.composite
def anchored_texts(draw: st.DrawFn) -> tuple[list[str], int, int]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    first = draw(st.integers(0, len(words) - 1))
    last = draw(st.integers(first + 1, len(words)))
    if words[first] == JOINING:
        words[first] = "Gemeinde"
    return [unicodedata.normalize("NFC", word) for word in words], first, last


def anchor_on(words: list[str], first: int, last: int) -> tuple[str, Anchor]:
    text = " ".join(words)
    start = len(" ".join(words[:first])) + (1 if first else 0)
    quote = " ".join(words[first:last])
    return text, Anchor(quote, start, start + len(quote), AnchorState.ATTACHED)


@st.composite
def edits(draw: st.DrawFn, words: list[str]) -> list[str]:
    edited = list(words)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(edited)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        word = unicodedata.normalize("NFC", draw(st.sampled_from(WORDS)))
        if kind == "insert" or where == len(edited):
            edited.insert(where, word)
        elif kind == "delete":
            del edited[where]
        else:
            edited[where] = word
    return edited


@settings(max_examples=200, deadline=None)
@given(data=st.data(), anchored=anchored_texts())
def test_a_relocated_anchor_points_at_its_quote_between_grapheme_clusters(
    data: st.DataObject, anchored: tuple[list[str], int, int]
) -> None:
    words, first, last = anchored
    old, anchor = anchor_on(words, first, last)
    new = " ".join(data.draw(edits(words)))
    moved = relocate(old, new, anchor)
    assert moved == relocate(old, new, anchor)
    if moved.state is AnchorState.DETACHED:
        assert moved == Anchor(anchor.quote, None, None, AnchorState.DETACHED)
        return
    assert_points_at_its_quote(new, moved)
    if moved.state is AnchorState.ATTACHED:
        assert moved.quote == anchor.quote


@settings(max_examples=200, deadline=None)
@given(anchored=anchored_texts(), prefix=st.lists(st.sampled_from(ADDED_WORDS), min_size=1))
def test_words_added_before_the_quote_shift_it_and_keep_it_attached(
    anchored: tuple[list[str], int, int], prefix: list[str]
) -> None:
    words, first, last = anchored
    old, anchor = anchor_on(words, first, last)
    added = " ".join(prefix) + " "
    moved = relocate(old, added + old, anchor)
    assert anchor.start is not None and anchor.end is not None
    assert moved == Anchor(
        anchor.quote, anchor.start + len(added), anchor.end + len(added), AnchorState.ATTACHED
    )


@settings(max_examples=200, deadline=None)
@given(anchored=anchored_texts(), suffix=st.lists(st.sampled_from(WORDS), min_size=1))
def test_words_added_after_the_quote_leave_it_where_it_is(
    anchored: tuple[list[str], int, int], suffix: list[str]
) -> None:
    words, first, last = anchored
    old, anchor = anchor_on(words, first, last)
    # A combining mark on the last space belongs to that space; the space we append then
    # joins the same white-space token, which is a change at the quote's edge.
    assume(not old.endswith(" \u0301"))
    assert relocate(old, old + " " + " ".join(suffix), anchor) == anchor


# --- the real recommendation -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_anchors_in_every_paragraph_follow_an_edit_at_its_start(lang: str) -> None:
    for paragraph in json.loads(RECOMMENDATION.read_text(encoding="utf-8"))["paragraphs"]:
        text: str = paragraph[lang]
        words = text.split(" ")
        if len(words) < 6:
            continue
        quote = " ".join(words[2:5])
        anchor = place(text, quote, hint_start=len(" ".join(words[:2])) + 1)
        new = "Neu: " + text
        moved = relocate(text, new, anchor)
        assert moved.state is AnchorState.ATTACHED, text
        assert_points_at_its_quote(new, moved)
