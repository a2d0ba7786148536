"""JSON shapes of a working group's glossary and of the glossary check of a text."""

from __future__ import annotations

from app.fields import NoteInput, ShortNameInput
from app.schemas.common import Body, Shape
from drafting.text import Lang


class GlossaryTermIn(Body):
    term_de: ShortNameInput
    term_fr: ShortNameInput
    note: NoteInput = ""
    false_friend: bool = False


class GlossaryTermOut(Shape):
    id: int
    term_de: str
    term_fr: str
    note: str
    false_friend: bool


class GlossaryWarningOut(Shape):
    term_de: str
    term_fr: str
    missing_in: Lang | None
    false_friend: bool
    note: str


class GlossaryCheckOut(Shape):
    warnings: list[GlossaryWarningOut]
