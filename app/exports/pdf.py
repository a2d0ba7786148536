"""PDF through WeasyPrint: a title page (titles, version, approval status), then the text
side by side, DE | FR, with paragraph numbers, line numbers per language column,
headings, and the evidence as numbered endnotes.

Line numbers need known line breaks, so each text is wrapped here to a width that fits its
column (``LINE_WIDTH`` characters at the template's font size); the light Markdown marks
are reduced to their text first, since a mark may not survive being cut into lines.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from app.exports.model import ExportDocument, ExportParagraph, xml_safe
from app.templating import environment

LINE_WIDTH = 42
_inline = MarkdownIt("zero", {"html": False, "breaks": True}).enable(
    ["emphasis", "link", "newline", "escape"]
)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are missing."""


def plain_text(text: str) -> str:
    """The text a reader sees: light Markdown marks removed, link targets dropped."""
    parts: list[str] = []
    for block in _inline.parseInline(text):
        for token in block.children or []:
            if token.type == "text":
                parts.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                parts.append("\n")
    return "".join(parts)


def wrap(text: str, width: int = LINE_WIDTH) -> list[str]:
    lines: list[str] = []
    for line in plain_text(xml_safe(text)).split("\n"):
        lines += textwrap.wrap(
            line, width, break_long_words=False, break_on_hyphens=False, drop_whitespace=True
        ) or [""]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass(frozen=True)
class _Row:
    paragraph: ExportParagraph
    lines: dict[str, list[str]]
    notes: list[int]


def _rows(document: ExportDocument) -> list[_Row]:
    rows = []
    note = 1
    for paragraph in document.paragraphs:
        notes = list(range(note, note + len(paragraph.evidence)))
        note += len(paragraph.evidence)
        rows.append(
            _Row(
                paragraph=paragraph,
                lines={lang: wrap(paragraph.text(lang)) for lang in ("de", "fr")},
                notes=notes,
            )
        )
    return rows


def render_html(document: ExportDocument) -> str:
    context: dict[str, Any] = {
        "document": document,
        "rows": _rows(document),
        "notes": document.evidence_notes,
        "safe": xml_safe,
    }
    return environment.get_template("export_pdf.html").render(**context)


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, Any]:
    del args, kwargs
    raise ValueError(f"exports load nothing from outside ({url[:60]})")


def export_pdf(document: ExportDocument) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as missing:  # OSError: pango or harfbuzz missing
        raise PdfUnavailable(str(missing)) from missing
    pdf: bytes = HTML(string=render_html(document), url_fetcher=_no_fetching).write_pdf()
    return pdf
