"""Importing an existing draft from Markdown or DOCX: parse → preview → create.

- **Markdown** (UTF-8): one paragraph per block (blocks are separated by blank lines).
  ``#`` headings are heading paragraphs; front matter (``---`` / ``title: …`` / ``---``,
  as the Markdown export writes it) gives the document title. A block starting with
  ``**Empfehlung`` / ``**Recommandation``, or with the marker line ``<!-- recommendation
  -->``, is a recommendation; ``<!-- empty -->`` is an empty text (see
  ``app.exports.markdown``, whose files import back unchanged). Two files, one per
  language, are aligned block by block; one file made by the "both" export (German then
  French, each with its front matter) works too.
- **DOCX**: a table of two columns (Deutsch | Français; an optional first column of
  paragraph numbers and a header row naming the languages are recognised) gives both
  languages; without a table, each non-empty paragraph is a block, and two files are
  aligned block by block. Heading styles give headings, the style "Tandem
  Recommendation" or a text starting with "Empfehlung"/"Recommandation" recommendations,
  the "Title" style the title.

The kind of file is told from its content, never from the uploaded file name. Anything
unreadable is a 422 with a message saying what is wrong, never a 500.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app import validation
from app.db import unit_of_work
from app.errors import ValidationFailed
from app.exports.docx import NOTE_STYLE, NUMBER_STYLE, RECOMMENDATION_STYLE
from app.exports.markdown import BLANK_LINE
from app.models import Document, Paragraph, ParagraphKind, Revision
from app.permissions import Action
from app.queries.access import GroupAccess
from app.services import audit
from drafting.revisions import Source
from drafting.text import Lang, normalise

MAX_PARAGRAPHS = 5000
# A DOCX is a ZIP archive: refuse archives that unpack to much more than the upload limit.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_FILE_CHARS = 4 * 1024 * 1024

_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*))?$")
_MARKER = re.compile(r"^<!--\s*(?:tandem\s*:\s*)?([a-z]+)\s*-->\s*$", re.IGNORECASE)
_RECOMMENDATION_START = re.compile(r"^\W{0,3}(empfehlung|recommandation)", re.IGNORECASE)
_MARKER_KINDS = {
    "recommendation": "recommendation",
    "empfehlung": "recommendation",
    "recommandation": "recommendation",
    "heading": "heading",
    "text": "text",
    "empty": "empty",
}
_LANGUAGE_HEADERS = {
    "de": {"de", "deutsch", "german", "allemand", "deutsche fassung"},
    "fr": {"fr", "français", "francais", "french", "französisch", "version française"},
}


@dataclass(frozen=True)
class Block:
    kind: str
    text: str


@dataclass(frozen=True)
class ParsedFile:
    """One uploaded file: its title if it names one, and either blocks of one language or
    rows of both (a two-column table)."""

    title: str | None
    blocks: list[Block]
    rows: list[tuple[str, str, str]] | None = None  # (kind, de, fr) from a table
    titles: tuple[str | None, str | None] = (None, None)  # from a DOCX with a table


@dataclass(frozen=True)
class ImportedParagraph:
    kind: str
    de: str
    fr: str

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.fr


@dataclass(frozen=True)
class ImportPreview:
    title_de: str
    title_fr: str
    paragraphs: list[ImportedParagraph]

    def as_data(self) -> dict[str, Any]:
        return {
            "title_de": self.title_de,
            "title_fr": self.title_fr,
            "paragraphs": [{"kind": p.kind, "de": p.de, "fr": p.fr} for p in self.paragraphs],
        }


def _refuse(message: str, field: str = "file", **params: object) -> ValidationFailed:
    return ValidationFailed(message, details={"field": field}, **params)


# --- Markdown ---------------------------------------------------------------------------


def _decode(content: bytes, field: str) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(
            "The file is neither a DOCX document nor UTF-8 text (undecodable byte at"
            " position {position}).",
            field,
            position=error.start + 1,
        ) from None
    with validation.field(field):
        return normalise(text, max_length=MAX_FILE_CHARS)


def _split_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _unescape(lines: list[str]) -> str:
    if lines and re.match(r"^\\(#|<!--|\\)", lines[0]):
        lines = [lines[0][1:], *lines[1:]]
    return "\n".join("" if line == BLANK_LINE else line for line in lines)


def _markdown_block(lines: list[str]) -> tuple[Block | None, int]:
    """The block and its heading level (0 when not a heading); None to skip it."""
    marker = _MARKER.match(lines[0])
    kind = None
    if marker:
        kind = _MARKER_KINDS.get(marker.group(1).lower())
        lines = lines[1:]
        if kind == "empty":
            return Block("text", ""), 0
        if not lines:
            return None, 0  # a comment of its own, or a marker with nothing after it
    heading = _HEADING.match(lines[0])
    if heading and kind in (None, "heading"):
        first = heading.group(2) or ""
        text = "\n".join([first.rstrip().rstrip("#").rstrip(), *lines[1:]]).strip()
        return Block("heading", text), len(heading.group(1))
    text = _unescape(lines)
    if kind is None:
        kind = "recommendation" if _RECOMMENDATION_START.match(text) else "text"
    return Block(kind, text), 0


_FRONT_MATTER = re.compile(r"^---[ \t]*\n((?:.*\n)*?)---[ \t]*(?:\n|$)")
_FRONT_MATTER_START = re.compile(r"^---[ \t]*\ntitle:", re.MULTILINE)


def _title_of(front_matter: str) -> str | None:
    for line in front_matter.split("\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() != "title":
            continue
        value = value.strip()
        if value.startswith('"'):
            try:
                loaded = json.loads(value)
            except ValueError:
                return value.strip('"')
            return loaded if isinstance(loaded, str) else None
        return value.strip("'") or None
    return None


def parse_markdown_text(text: str) -> ParsedFile:
    title = None
    front_matter = _FRONT_MATTER.match(text)
    if front_matter:
        title = _title_of(front_matter.group(1))
        text = text[front_matter.end() :]
    blocks = [_markdown_block(lines)[0] for lines in _split_blocks(text)]
    return ParsedFile(title=title, blocks=[block for block in blocks if block is not None])


def parse_markdown(content: bytes, field: str = "file") -> ParsedFile | tuple[ParsedFile, ...]:
    text = _decode(content, field)
    starts = [match.start() for match in _FRONT_MATTER_START.finditer(text)]
    if len(starts) == 2 and starts[0] == 0:
        return parse_markdown_text(text[: starts[1]]), parse_markdown_text(text[starts[1] :])
    return parse_markdown_text(text)


# --- DOCX -------------------------------------------------------------------------------


def _open_docx(content: bytes, field: str) -> Any:
    from docx import Document as open_document

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise _refuse("The DOCX file unpacks to more than 64 MiB; it is refused.", field)
            if "word/document.xml" not in archive.namelist():
                raise _refuse("The ZIP archive is not a DOCX document.", field)
        return open_document(io.BytesIO(content))
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means the same to the uploader
        raise _refuse(
            "The DOCX file is damaged or not a Word document; it could not be read.", field
        ) from None


def _style_name(item: Any) -> str:
    try:
        style = item.style
    except (KeyError, ValueError, AttributeError):
        return ""
    return str(getattr(style, "name", "") or "")


def _paragraph_text(paragraph: Any) -> str:
    parts = []
    for item in paragraph.iter_inner_content():
        if hasattr(item, "style") and _style_name(item) in (NUMBER_STYLE, NOTE_STYLE):
            continue
        parts.append(item.text)
    return "".join(parts)


def _kind_of(style_names: list[str], text: str) -> str:
    if any(name.lower().startswith(("heading", "überschrift", "titre")) for name in style_names):
        return "heading"
    if RECOMMENDATION_STYLE in style_names or _RECOMMENDATION_START.match(text):
        return "recommendation"
    return "text"


def _cell_content(cell: Any) -> tuple[str, list[str]]:
    texts = [_paragraph_text(paragraph) for paragraph in cell.paragraphs]
    styles = [_style_name(paragraph) for paragraph in cell.paragraphs]
    return "\n".join(texts).strip(), styles


def _table_rows(table: Any) -> list[tuple[str, str, str]] | None:
    rows: list[tuple[str, str, str]] = []
    order = ("de", "fr")
    for index, row in enumerate(table.rows):
        cells: list[Any] = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:  # merged cells repeat
                cells.append(cell)
        if len(cells) == 3 and re.fullmatch(r"\s*[\d.§ ]*\s*", cells[0].text):
            cells = cells[1:]
        if len(cells) != 2:
            return None
        (first, first_styles), (second, second_styles) = (_cell_content(c) for c in cells)
        if index == 0:
            names = (first.lower(), second.lower())
            if names[0] in _LANGUAGE_HEADERS["fr"] and names[1] in _LANGUAGE_HEADERS["de"]:
                order = ("fr", "de")
                continue
            if names[0] in _LANGUAGE_HEADERS["de"] and names[1] in _LANGUAGE_HEADERS["fr"]:
                continue
        if not first and not second:
            continue
        texts = dict(zip(order, (first, second), strict=True))
        kind = _kind_of(first_styles + second_styles, texts["de"] or texts["fr"])
        rows.append((kind, texts["de"], texts["fr"]))
    return rows


def parse_docx(content: bytes, field: str = "file") -> ParsedFile:
    document = _open_docx(content, field)
    try:
        titles = [
            _paragraph_text(p).strip()
            for p in document.paragraphs
            if _style_name(p) == "Title" and _paragraph_text(p).strip()
        ]
        for table in document.tables:
            rows = _table_rows(table)
            if rows:
                return ParsedFile(
                    title=titles[0] if titles else None,
                    blocks=[],
                    rows=rows,
                    titles=(
                        titles[0] if titles else None,
                        titles[1] if len(titles) > 1 else None,
                    ),
                )
        blocks = []
        for paragraph in document.paragraphs:
            text = _paragraph_text(paragraph).strip()
            style = _style_name(paragraph)
            if not text or style == "Title":
                continue
            blocks.append(Block(_kind_of([style], text), text))
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - a malformed part of the document
        raise _refuse(
            "The DOCX file is damaged or not a Word document; it could not be read.", field
        ) from None
    return ParsedFile(title=titles[0] if titles else None, blocks=blocks)


# --- Preview ----------------------------------------------------------------------------


def parse_file(content: bytes, field: str = "file") -> ParsedFile | tuple[ParsedFile, ...]:
    """Markdown or DOCX, told from the content (a DOCX is a ZIP archive)."""
    if not content.strip():
        raise _refuse("The file is empty.", field)
    if content.startswith(b"PK\x03\x04"):
        return parse_docx(content, field)
    return parse_markdown(content, field)


def _kind(first: str, second: str) -> str:
    return first if first != "text" else second


def _pair_blocks(de: ParsedFile, fr: ParsedFile) -> list[ImportedParagraph]:
    if len(de.blocks) != len(fr.blocks):
        raise _refuse(
            "The German file has {de} paragraphs and the French file {fr}; they are paired"
            " block by block, so they must have the same number.",
            "file2",
            de=len(de.blocks),
            fr=len(fr.blocks),
        )
    return [
        ImportedParagraph(_kind(a.kind, b.kind), a.text, b.text)
        for a, b in zip(de.blocks, fr.blocks, strict=True)
    ]


def preview_of_upload(
    first: bytes | None,
    second: bytes | None,
    *,
    first_lang: str,
    title_de: str,
    title_fr: str,
) -> ImportPreview:
    """The preview of an upload form; ``first`` is None when no file was chosen."""
    if first is None:
        raise ValidationFailed("Choose a file to import.", details={"field": "file"})
    return build_preview(first, second, first_lang=first_lang, title_de=title_de, title_fr=title_fr)


class _PreviewPayload(BaseModel):
    """The preview as the preview page carries it back (``ImportPreview.as_data``)."""

    title_de: str
    title_fr: str
    paragraphs: list[dict[str, str]]


def preview_of_payload(payload: str, title_de: str = "", title_fr: str = "") -> ImportPreview:
    """The preview the person confirmed, checked again (it came back through the browser),
    with the titles they may have corrected."""
    try:
        data = _PreviewPayload.model_validate_json(payload)
    except ValidationError:
        raise ValidationFailed(
            "The preview could not be read; upload the file again.", details={"field": "payload"}
        ) from None
    rows = [(p.get("kind", "text"), p.get("de", ""), p.get("fr", "")) for p in data.paragraphs]
    preview = validate_preview(data.title_de, data.title_fr, rows)
    if not (title_de.strip() or title_fr.strip()):
        return preview
    return validate_preview(
        title_de or preview.title_de,
        title_fr or preview.title_fr,
        [(p.kind, p.de, p.fr) for p in preview.paragraphs],
    )


def build_preview(
    first: bytes,
    second: bytes | None = None,
    *,
    first_lang: str = "de",
    title_de: str = "",
    title_fr: str = "",
) -> ImportPreview:
    """Parse the uploaded file(s) into the paragraphs that would be created.

    ``first_lang`` is the language of ``first`` when it holds one language only; the
    optional ``second`` file holds the other language.
    """
    if first_lang not in ("de", "fr"):
        raise _refuse("Unknown language {lang}; choose de or fr.", "lang", lang=first_lang[:20])
    parsed_first = parse_file(first, "file")
    parsed_second = parse_file(second, "file2") if second is not None else None
    titles: dict[str, str | None] = {"de": None, "fr": None}
    if isinstance(parsed_first, tuple):
        if parsed_second is not None:
            raise _refuse("The first file already holds both languages; send it alone.")
        de_file, fr_file = parsed_first[0], parsed_first[1]
        paragraphs = _pair_blocks(de_file, fr_file)
        titles = {"de": de_file.title, "fr": fr_file.title}
    elif parsed_first.rows is not None:
        if parsed_second is not None:
            raise _refuse("The first file already holds both languages in a table; send it alone.")
        paragraphs = [ImportedParagraph(kind, de, fr) for kind, de, fr in parsed_first.rows]
        titles = {"de": parsed_first.titles[0], "fr": parsed_first.titles[1]}
    else:
        if isinstance(parsed_second, tuple) or (
            parsed_second is not None and parsed_second.rows is not None
        ):
            raise _refuse("The second file must hold one language only.", "file2")
        other: ParsedFile = parsed_second or ParsedFile(
            title=None, blocks=[Block("text", "") for _ in parsed_first.blocks]
        )
        de_file, fr_file = (parsed_first, other) if first_lang == "de" else (other, parsed_first)
        paragraphs = _pair_blocks(de_file, fr_file)
        titles = {"de": de_file.title, "fr": fr_file.title}
    if not paragraphs:
        raise _refuse("The file holds no paragraphs.")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise _refuse(
            "The file holds {count} paragraphs; at most {maximum} can be imported at once.",
            count=len(paragraphs),
            maximum=MAX_PARAGRAPHS,
        )
    return validate_preview(
        title_de.strip() or titles["de"] or "",
        title_fr.strip() or titles["fr"] or "",
        [(p.kind, p.de, p.fr) for p in paragraphs],
    )


def validate_preview(
    title_de: str, title_fr: str, paragraphs: list[tuple[str, str, str]]
) -> ImportPreview:
    """Normalise and check titles and texts (every text through ``app.validation``)."""
    if not title_de.strip():
        raise _refuse("Give the German title (the file names none).", "title_de")
    if not title_fr.strip():
        raise _refuse("Give the French title (the file names none).", "title_fr")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise _refuse(
            "At most {maximum} paragraphs can be imported at once.", maximum=MAX_PARAGRAPHS
        )
    checked = []
    for number, (kind, de, fr) in enumerate(paragraphs, start=1):
        if kind not in {k.value for k in ParagraphKind}:
            raise _refuse("Unknown paragraph kind {kind}.", "kind", kind=str(kind)[:20])
        checked.append(
            ImportedParagraph(
                kind,
                validation.text_field(f"paragraph {number} (de)", de),
                validation.text_field(f"paragraph {number} (fr)", fr),
            )
        )
    return ImportPreview(
        title_de=validation.name_field("title_de", title_de),
        title_fr=validation.name_field("title_fr", title_fr),
        paragraphs=checked,
    )


# --- Creating the document ----------------------------------------------------------------


def create_document(session: Session, access: GroupAccess, preview: ImportPreview) -> Document:
    """A new document in drafting with the previewed paragraphs, in one transaction."""
    access.require(Action.CREATE_DOCUMENT)
    assert access.group.id is not None and access.user.id is not None
    with unit_of_work(session):
        document = Document(
            group_id=access.group.id,
            title_de=validation.name_field("title_de", preview.title_de),
            title_fr=validation.name_field("title_fr", preview.title_fr),
            created_by=access.user.id,
        )
        session.add(document)
        session.flush()
        assert document.id is not None
        _write_paragraphs(session, document.id, access.user.id, preview.paragraphs)
        audit.record(
            session,
            access.user,
            "document.import",
            f"document:{document.id}",
            group_id=access.group.id,
            paragraphs=len(preview.paragraphs),
        )
    return document


def _write_paragraphs(
    session: Session, document_id: int, author_id: int, imported: list[ImportedParagraph]
) -> None:
    """A new document's paragraphs take the positions 1..n: written in bulk rather than
    one insert_paragraph() each (which looks up the last position every time)."""
    paragraphs = [
        Paragraph(document_id=document_id, position=position, kind=ParagraphKind(item.kind))
        for position, item in enumerate(imported, start=1)
    ]
    session.add_all(paragraphs)
    session.flush()
    revisions: list[tuple[Paragraph, Revision]] = []
    for paragraph, item in zip(paragraphs, imported, strict=True):
        assert paragraph.id is not None
        for lang in Lang:
            revision = Revision(
                paragraph_id=paragraph.id,
                lang=lang,
                text=validation.text_field(lang.value, item.text(lang.value)),
                author_id=author_id,
                source=Source.HUMAN,
            )
            revisions.append((paragraph, revision))
    session.add_all([revision for _paragraph, revision in revisions])
    session.flush()
    for paragraph, revision in revisions:
        assert revision.id is not None
        paragraph.set_current_revision_id(revision.lang, revision.id)
    session.add_all(paragraphs)
