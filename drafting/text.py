"""Normalisation of every text that enters Tandem.

All text is stored in NFC with LF line endings. NUL and the other C0 control characters
(except LF and TAB) are refused rather than stripped, so that nothing changes silently and
SQLite and PostgreSQL behave the same (PostgreSQL cannot store NUL at all).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

MAX_TEXT_LENGTH = 200_000
MAX_TITLE_LENGTH = 500

_FORBIDDEN_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Lang(StrEnum):
    DE = "de"
    FR = "fr"

    @property
    def other(self) -> Lang:
        return Lang.FR if self is Lang.DE else Lang.DE


class InvalidText(ValueError):
    """A text that Tandem refuses, with a message meant for the person who typed it.

    ``template`` is an English sentence with ``{named}`` placeholders so that the
    application can translate it before filling in ``params``.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


def _control_name(char: str) -> str:
    if char == "\x00":
        return "NUL (U+0000)"
    return f"U+{ord(char):04X}"


def normalise(text: str, *, max_length: int = MAX_TEXT_LENGTH, single_line: bool = False) -> str:
    """Return ``text`` in NFC with LF line endings, or raise :class:`InvalidText`."""
    # Look for refused characters before CR LF becomes LF, so the position we report is
    # the one the person typed.
    forbidden = _FORBIDDEN_CONTROLS.search(text)
    if forbidden is not None:
        raise InvalidText(
            "The text contains the control character {character} at position {position};"
            " remove it and try again.",
            character=_control_name(forbidden.group()),
            position=forbidden.start() + 1,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if single_line and ("\n" in text or "\t" in text):
        raise InvalidText("This field must be a single line.")
    text = unicodedata.normalize("NFC", text)
    if len(text) > max_length:
        raise InvalidText(
            "The text is {length} characters long; at most {maximum} are allowed.",
            length=len(text),
            maximum=max_length,
        )
    return text


def normalise_name(text: str, *, max_length: int = MAX_TITLE_LENGTH) -> str:
    """A one-line name or title: normalised, trimmed and not empty."""
    text = normalise(text, max_length=max_length, single_line=True).strip()
    if not text:
        raise InvalidText("This field must not be empty.")
    return text
