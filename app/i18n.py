"""Interface language: gettext catalogues (Babel) for German, French and English.

The ``.po`` files under ``app/locale`` are compiled in memory at start-up, so there is no
build step and no binary file in the repository. The language of a request is held in a
context variable that the templates' ``_()`` and the error pages read.
"""

from __future__ import annotations

import gettext as gettext_module
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = ("de", "fr", "en")
LOCALE_NAMES = {"de": "Deutsch", "fr": "Français", "en": "English"}
LOCALE_DIR = Path(__file__).parent / "locale"

current_locale: ContextVar[str] = ContextVar("current_locale", default="en")


@cache
def translations(locale: str) -> gettext_module.NullTranslations:
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return gettext_module.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def gettext(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


def translate(template: str, params: dict[str, object] | None = None) -> str:
    """Translate a message template, then fill in its ``{named}`` placeholders."""
    text = gettext(template)
    return text.format(**params) if params else text


def best_locale(accept_language: str | None) -> str | None:
    """The first of our locales that the browser's Accept-Language asks for."""
    if not accept_language:
        return None
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag:
            weighted.append((-quality, index, tag))
    for negative_quality, _index, tag in sorted(weighted):
        if negative_quality >= 0:
            continue
        primary = tag.split("-")[0]
        if primary in LOCALES:
            return primary
    return None
