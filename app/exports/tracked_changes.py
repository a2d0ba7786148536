"""A DOCX of the changes between two versions, as tracked changes (``w:ins``/``w:del``).

Word, LibreOffice and the other tools show them as revisions to accept or reject. The
text of the newer version is laid out like the DOCX export (a Deutsch | Français table, one
row per paragraph, in the newer order); each row shows that paragraph's word diff from the
older version. A removed paragraph is a row of deleted text where it stood; an added one a
row of inserted text. python-docx has no API for revisions, so the runs are written with
its oxml layer.
"""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from app.exports.docx import LANGUAGE_NAMES
from app.exports.model import ExportDocument, ExportParagraph, xml_safe
from drafting.diffs import DELETE, EQUAL, INSERT, DiffOps, word_diff

AUTHOR = "Tandem"


def _run(text: str, *, deleted: bool) -> BaseOxmlElement:
    """One ``w:r`` holding ``text``; line breaks and tabs become ``w:br``/``w:tab``."""
    run = OxmlElement("w:r")
    text_tag = "w:delText" if deleted else "w:t"
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(OxmlElement("w:br"))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                run.append(OxmlElement("w:tab"))
            if part:
                element = OxmlElement(text_tag)
                element.set(qn("xml:space"), "preserve")
                element.text = xml_safe(part)
                run.append(element)
    return run


class _Revisions:
    """Hands out the unique ``w:id`` every revision mark needs."""

    def __init__(self, when: datetime) -> None:
        self.ids = itertools.count(1)
        self.date = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def mark(self, kind: str, text: str) -> BaseOxmlElement:
        element = OxmlElement(f"w:{kind}")
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), AUTHOR)
        element.set(qn("w:date"), self.date)
        element.append(_run(text, deleted=kind == "del"))
        return element


def _write_ops(paragraph: Paragraph, ops: DiffOps, revisions: _Revisions) -> None:
    for op, text in ops:
        if not text:
            continue
        if op == EQUAL:
            paragraph._p.append(_run(text, deleted=False))
        elif op == INSERT:
            paragraph._p.append(revisions.mark("ins", text))
        elif op == DELETE:
            paragraph._p.append(revisions.mark("del", text))


def _ordered(
    old: ExportDocument, new: ExportDocument
) -> list[tuple[ExportParagraph | None, ExportParagraph | None]]:
    """Pairs (old, new) in the new order; a removed paragraph follows the paragraph that
    preceded it in the old version."""
    old_by_id = {p.id: p for p in old.paragraphs}
    new_ids = {p.id for p in new.paragraphs}
    removed_after: dict[int | None, list[ExportParagraph]] = {}
    previous: int | None = None
    for paragraph in old.paragraphs:
        if paragraph.id not in new_ids:
            removed_after.setdefault(previous, []).append(paragraph)
        else:
            previous = paragraph.id
    pairs: list[tuple[ExportParagraph | None, ExportParagraph | None]] = [
        (p, None) for p in removed_after.get(None, [])
    ]
    for paragraph in new.paragraphs:
        pairs.append((old_by_id.get(paragraph.id), paragraph))
        pairs += [(p, None) for p in removed_after.get(paragraph.id, [])]
    return pairs


def _label(document: ExportDocument) -> str:
    if document.version_number is None:
        return "Aktueller Text · Texte actuel"
    label = f"Fassung · Version {document.version_number}"
    return f"{label}: {document.version_label}" if document.version_label else label


def export_tracked_changes(
    old: ExportDocument, new: ExportDocument, *, now: datetime | None = None
) -> bytes:
    revisions = _Revisions(now or new.version_created_at or datetime.now(UTC))
    docx = Document()
    for lang in ("de", "fr"):
        docx.add_paragraph(xml_safe(new.title(lang)), style="Title")
    docx.add_paragraph(xml_safe(f"{_label(old)} → {_label(new)}"))
    table = docx.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    for cell, lang in zip(table.rows[0].cells, ("de", "fr"), strict=True):
        cell.paragraphs[0].add_run(LANGUAGE_NAMES[lang]).bold = True
    for before, after in _ordered(old, new):
        row = table.add_row()
        shown = after or before
        kind = shown.kind if shown else "text"
        for cell, lang in zip(row.cells, ("de", "fr"), strict=True):
            paragraph = cell.paragraphs[0]
            if kind == "heading":
                paragraph.style = "Heading 2"
            old_text = before.text(lang) if before else ""
            new_text = after.text(lang) if after else ""
            _write_ops(paragraph, word_diff(old_text, new_text), revisions)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()
