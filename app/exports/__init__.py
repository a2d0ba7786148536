"""Exports of a document version or the current text: pure functions of an
:class:`~app.exports.model.ExportDocument` to bytes, one module per format.

:func:`export_file` and :func:`changes_file` load what they print (callers check access).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from sqlmodel import Session

from app.errors import AppError, ValidationFailed
from app.exports import model
from app.exports.akoma_ntoso import export_akoma_ntoso
from app.exports.docx import export_docx
from app.exports.json_export import export_json
from app.exports.markdown import export_markdown, export_markdown_both
from app.exports.model import ExportDocument
from app.exports.pdf import PdfUnavailable, export_pdf
from app.exports.tracked_changes import export_tracked_changes


class ExportUnavailable(AppError):
    status: ClassVar[int] = 503
    code: ClassVar[str] = "export_unavailable"
    default_message: ClassVar[str] = "This export format is not available on this server."


class Format(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    MD = "md"
    XML = "xml"
    JSON = "json"


MEDIA_TYPES = {
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.MD: "text/markdown; charset=utf-8",
    Format.XML: "application/akn+xml; charset=utf-8",
    Format.JSON: "application/json",
}
DOCX_MEDIA_TYPE = MEDIA_TYPES[Format.DOCX]
LANGS = ("de", "fr", "both")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


def parse_format(value: str) -> Format:
    try:
        return Format(value.lower())
    except ValueError:
        raise ValidationFailed(
            "Unknown export format {format}; choose pdf, docx, md, xml or json.",
            details={"field": "format"},
            format=value[:20],
        ) from None


def parse_lang(value: str) -> str:
    if value not in LANGS:
        raise ValidationFailed(
            "Unknown language {lang}; choose de, fr or both.",
            details={"field": "lang"},
            lang=value[:20],
        )
    return value


def filename_for(document: ExportDocument, extension: str, lang: str = "both") -> str:
    """An ASCII file name made of ids only: titles never reach a header."""
    version = f"v{document.version_number}" if document.version_number else "current"
    suffix = f"-{lang}" if lang in ("de", "fr") else ""
    return f"tandem-document-{document.id}-{version}{suffix}.{extension}"


def export(document: ExportDocument, format: Format, lang: str = "both") -> ExportFile:
    """The document as a file; ``lang`` matters for Markdown (one language per file, or
    both one after the other)."""
    if format is Format.PDF:
        content = export_pdf(document)
    elif format is Format.DOCX:
        content = export_docx(document)
    elif format is Format.MD:
        content = (
            export_markdown_both(document) if lang == "both" else export_markdown(document, lang)
        )
    elif format is Format.XML:
        content = export_akoma_ntoso(document)
    else:
        content = export_json(document)
    name_lang = lang if format is Format.MD else "both"
    return ExportFile(content, MEDIA_TYPES[format], filename_for(document, format.value, name_lang))


def export_file(
    session: Session, document_id: int, format: str, version: int | None, lang: str
) -> ExportFile:
    """The document (or its version ``version``) in ``format``, parsed from the request."""
    export_format = parse_format(format)
    lang = parse_lang(lang)
    document = model.load(session, document_id, version)
    try:
        return export(document, export_format, lang)
    except PdfUnavailable:
        raise ExportUnavailable() from None


def changes_file(session: Session, document_id: int, old: int, new: int | None) -> ExportFile:
    """The changes from version ``old`` to version ``new`` (None: the current text) as a
    DOCX with tracked changes."""
    before = model.load(session, document_id, old)
    after = model.load(session, document_id, new)
    to = f"v{new}" if new is not None else "current"
    return ExportFile(
        export_tracked_changes(before, after),
        DOCX_MEDIA_TYPE,
        f"tandem-document-{document_id}-changes-v{old}-{to}.docx",
    )
