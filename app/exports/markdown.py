"""Markdown, one language per file: one block per paragraph, so that the file imports
back block by block (see ``app.imports``).

- the title and language are front matter (``---`` / ``title: "…"`` / ``lang: de`` /
  ``---``, the title as a JSON string, which is also valid YAML); heading paragraphs are
  ``## …``; texts are written as they are stored (they already are light Markdown);
- a recommendation starts with the marker line ``<!-- recommendation -->``, an empty
  text is the block ``<!-- empty -->`` (so that the DE and FR files keep the same blocks);
- a text starting with ``#`` or ``<!--`` gets a backslash, and a blank line inside a text
  is written as a line holding one backslash, so it does not split the block.
"""

from __future__ import annotations

import json
import re

from app.exports.model import ExportDocument, ExportParagraph

RECOMMENDATION_MARKER = "<!-- recommendation -->"
EMPTY_MARKER = "<!-- empty -->"
BLANK_LINE = "\\"

_NEEDS_ESCAPE = re.compile(r"^(#|<!--|\\)")


def _body(text: str) -> str:
    lines = [BLANK_LINE if not line.strip() else line for line in text.split("\n")]
    return "\n".join(lines)


def _block(paragraph: ExportParagraph, lang: str) -> str:
    text = paragraph.text(lang).strip("\n")
    if not text.strip():
        return EMPTY_MARKER
    if paragraph.kind == "heading":
        return "## " + _body(text)
    body = _body(text)
    if _NEEDS_ESCAPE.match(body):
        body = "\\" + body
    if paragraph.kind == "recommendation":
        return f"{RECOMMENDATION_MARKER}\n{body}"
    return body


def front_matter(title: str, lang: str) -> str:
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nlang: {lang}\n---"


def export_markdown(document: ExportDocument, lang: str) -> bytes:
    blocks = [front_matter(document.title(lang), lang)]
    blocks += [_block(paragraph, lang) for paragraph in document.paragraphs]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def export_markdown_both(document: ExportDocument) -> bytes:
    """Both languages in one file: the German text, then the French one."""
    return export_markdown(document, "de") + b"\n" + export_markdown(document, "fr")
