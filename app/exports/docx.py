"""DOCX: the titles and status, then a two-column table (Deutsch | Français) with one row
per paragraph, then the evidence as numbered endnotes. Editable in any word processor and
importable again (``app.imports``): headings use the style "Heading 2", recommendations
the paragraph style "Tandem Recommendation", and the paragraph numbers and note markers
are runs in their own character styles, which the import skips.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from app.exports.model import ExportDocument, ExportParagraph, xml_safe

RECOMMENDATION_STYLE = "Tandem Recommendation"
NUMBER_STYLE = "Tandem Paragraph Number"
NOTE_STYLE = "Tandem Note Reference"
LANGUAGE_NAMES = {"de": "Deutsch", "fr": "Français"}


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    recommendation = styles.add_style(RECOMMENDATION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    recommendation.base_style = styles["Normal"]
    recommendation.font.bold = True
    number = styles.add_style(NUMBER_STYLE, WD_STYLE_TYPE.CHARACTER)
    number.font.bold = True
    number.font.size = Pt(8)
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.CHARACTER)
    note.font.superscript = True


def _mark_header_row(row_element: object) -> None:
    properties = row_element.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_language(paragraph: Paragraph, lang: str) -> None:
    for run in paragraph.runs:
        properties = run._r.get_or_add_rPr()
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), "de-DE" if lang == "de" else "fr-FR")
        properties.append(language)


class _StyleIds:
    """Style ids looked up once: python-docx looks a style name up anew for every run,
    which made a document of thousands of paragraphs take minutes."""

    def __init__(self, document: DocxDocument) -> None:
        styles = document.styles
        self.heading = styles["Heading 2"].style_id
        self.recommendation = styles[RECOMMENDATION_STYLE].style_id
        self.number = styles[NUMBER_STYLE].style_id
        self.note = styles[NOTE_STYLE].style_id


def _styled_run(paragraph: Paragraph, text: str, style_id: str | None = None) -> None:
    run = paragraph.add_run(text)
    if style_id is not None:
        run._r.style = style_id


def _fill_cell(
    cell_paragraph: Paragraph,
    paragraph: ExportParagraph,
    lang: str,
    first_note: int,
    style_ids: _StyleIds,
) -> None:
    if paragraph.kind == "heading":
        cell_paragraph._p.style = style_ids.heading
    elif paragraph.kind == "recommendation":
        cell_paragraph._p.style = style_ids.recommendation
    _styled_run(cell_paragraph, f"{paragraph.number}\u2002", style_ids.number)
    _styled_run(cell_paragraph, xml_safe(paragraph.text(lang)))
    for offset in range(len(paragraph.evidence)):
        _styled_run(cell_paragraph, f"[{first_note + offset}]", style_ids.note)
    _set_language(cell_paragraph, lang)


def export_docx(document: ExportDocument) -> bytes:
    docx = Document()
    _styles(docx)
    style_ids = _StyleIds(docx)
    for lang in ("de", "fr"):
        title = docx.add_paragraph(xml_safe(document.title(lang)), style="Title")
        _set_language(title, lang)
    docx.add_paragraph(xml_safe(document.version_text))
    docx.add_paragraph(f"{document.approval_status('de')} · {document.approval_status('fr')}")
    for approval in document.approvals:
        docx.add_paragraph(
            xml_safe(f"{approval.government}: {approval.name}, {approval.at:%Y-%m-%d %H:%M} UTC")
        )
    table = docx.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0]
    _mark_header_row(header._tr)
    for cell, lang in zip(header.cells, ("de", "fr"), strict=True):
        cell.paragraphs[0].add_run(LANGUAGE_NAMES[lang]).bold = True
    note = 1
    for paragraph in document.paragraphs:
        row = table.add_row()
        for cell, lang in zip(row.cells, ("de", "fr"), strict=True):
            _fill_cell(cell.paragraphs[0], paragraph, lang, note, style_ids)
        note += len(paragraph.evidence)
    notes = document.evidence_notes
    if notes:
        docx.add_heading("Belege · Sources", level=1)
        for number, paragraph, evidence in notes:
            line = (
                f"[{number}] {paragraph.number}: {evidence.initiative_key} — "
                f"{evidence.name_de} / {evidence.name_fr} ({evidence.country})"
            )
            if evidence.note:
                line += f": {evidence.note}"
            docx.add_paragraph(xml_safe(line))
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()
