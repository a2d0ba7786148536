"""Every text entering Tandem: NFC, LF, and no control characters but LF and TAB."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.text import (
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    InvalidText,
    Lang,
    normalise,
    normalise_name,
)


def test_text_is_stored_in_nfc() -> None:
    assert normalise("u\u0308ber") == "\u00fcber"
    assert normalise("e\u0301te\u0301") == "été"


def test_precomposed_text_stays_as_it_is() -> None:
    text = "Klimaneutralität, collectivité, Straße, STRAẞE, œuvre"
    assert normalise(text) == text


def test_crlf_and_lone_cr_become_lf() -> None:
    assert normalise("eins\r\nzwei\rdrei\n") == "eins\nzwei\ndrei\n"


def test_nul_is_refused_with_a_message_naming_it_and_its_position() -> None:
    with pytest.raises(InvalidText) as refused:
        normalise("abc\x00def")
    assert "NUL (U+0000)" in refused.value.message
    assert "position 4" in refused.value.message
    assert str(refused.value) == refused.value.message


def test_the_position_of_a_refused_character_counts_from_one() -> None:
    with pytest.raises(InvalidText) as refused:
        normalise("\x00")
    assert refused.value.params["position"] == 1


def test_an_invalid_text_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        normalise("\x00")


@pytest.mark.parametrize(
    "control", ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"]
)
def test_other_control_characters_are_refused(control: str) -> None:
    with pytest.raises(InvalidText) as refused:
        normalise(f"Kommune{control}")
    assert f"U+{ord(control):04X}" in refused.value.message
    assert "position 8" in refused.value.message


def test_tab_and_lf_are_kept() -> None:
    assert normalise("a\tb\nc") == "a\tb\nc"


@pytest.mark.parametrize(
    "character",
    [
        "\u202f",  # narrow no-break space
        "\u00a0",  # no-break space
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner
        "\u00ad",  # soft hyphen
        "\ufeff",  # byte order mark
        "\u202e",  # right-to-left override
        "\u2028",  # line separator
    ],
)
def test_invisible_and_bidi_characters_are_kept_exactly(character: str) -> None:
    text = f"Kommune{character}Gemeinde{character}"
    assert normalise(text) == text


def test_french_typography_is_kept_exactly() -> None:
    text = "Elles s’adressent «\u202faux gouvernements\u202f» des deux pays\u202f!"
    assert normalise(text) == text


def test_emoji_and_astral_characters_are_kept() -> None:
    text = "Richterin \U0001f469\U0001f3fd\u200d\u2696\ufe0f über \U0001d518"
    assert normalise(text) == text


def test_a_text_of_the_maximum_length_is_accepted() -> None:
    text = "a" * MAX_TEXT_LENGTH
    assert normalise(text) == text


def test_a_text_over_the_maximum_length_is_refused() -> None:
    with pytest.raises(InvalidText) as refused:
        normalise("a" * (MAX_TEXT_LENGTH + 1))
    assert refused.value.params == {"length": MAX_TEXT_LENGTH + 1, "maximum": MAX_TEXT_LENGTH}
    assert "at most 200000" in refused.value.message


def test_the_length_limit_counts_the_normalised_text() -> None:
    decomposed = "u\u0308" * 6  # 12 code points, 6 after NFC
    assert normalise(decomposed, max_length=6) == "ü" * 6


def test_crlf_counts_as_one_character_for_the_limit() -> None:
    assert normalise("a\r\nb", max_length=3) == "a\nb"


def test_the_empty_text_and_a_single_space_are_accepted() -> None:
    assert normalise("") == ""
    assert normalise(" ") == " "


def test_markup_is_stored_as_typed() -> None:
    text = "<script>alert(1)</script> {{ 7*7 }} {% raw %} [x](javascript:alert(1))"
    assert normalise(text) == text


def test_a_name_is_trimmed() -> None:
    assert normalise_name("  Arbeitsgruppe Klimaneutrale Kommunen \u202f") == (
        "Arbeitsgruppe Klimaneutrale Kommunen"
    )


def test_a_name_is_normalised_to_nfc() -> None:
    assert normalise_name("Gemeinde u\u0308ber") == "Gemeinde über"


@pytest.mark.parametrize("name", ["", "   ", "\u202f\u00a0"])
def test_an_empty_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidText, match="must not be empty"):
        normalise_name(name)


@pytest.mark.parametrize("name", ["zwei\nZeilen", "zwei\r\nZeilen", "mit\tTab"])
def test_a_name_must_be_a_single_line(name: str) -> None:
    with pytest.raises(InvalidText, match="single line"):
        normalise_name(name)


def test_a_name_refuses_control_characters() -> None:
    with pytest.raises(InvalidText, match="NUL"):
        normalise_name("Gruppe\x00")


def test_a_name_has_its_own_length_limit() -> None:
    assert normalise_name("a" * MAX_TITLE_LENGTH) == "a" * MAX_TITLE_LENGTH
    with pytest.raises(InvalidText):
        normalise_name("a" * (MAX_TITLE_LENGTH + 1))


def test_an_invalid_text_keeps_its_template_for_translation() -> None:
    with pytest.raises(InvalidText) as refused:
        normalise_name("")
    assert refused.value.template == "This field must not be empty."
    assert refused.value.params == {}


def test_each_language_knows_the_other() -> None:
    assert Lang.DE.other is Lang.FR
    assert Lang.FR.other is Lang.DE
    assert Lang("de") is Lang.DE


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"]), max_size=50))
def test_text_without_control_characters_comes_back_in_nfc(text: str) -> None:
    assert normalise(text) == unicodedata.normalize("NFC", text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=50))
def test_normalising_twice_changes_nothing_more(text: str) -> None:
    try:
        once = normalise(text)
    except InvalidText:
        return
    assert normalise(once) == once
