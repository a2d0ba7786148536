"""exports and import: HTML pages and JSON API."""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app import exports, imports
from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.errors import AppError, ValidationFailed
from app.exports import model
from app.exports.pdf import PdfUnavailable
from app.exports.tracked_changes import export_tracked_changes
from app.fields import MAX_ID
from app.i18n import translate
from app.models import User
from app.permissions import Action
from app.queries import access as access_queries
from app.queries.access import GroupAccess
from app.schemas.documents import DocumentOut
from app.templating import render

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

VersionNumber = Annotated[int | None, Query(ge=1, le=MAX_ID)]
LangParam = Annotated[str, Query(max_length=10)]
MAX_UPLOAD = 4 * 1024 * 1024 + 1


class ExportUnavailable(AppError):
    status: ClassVar[int] = 503
    code: ClassVar[str] = "export_unavailable"
    default_message: ClassVar[str] = "This export format is not available on this server."


# --- Exports -------------------------------------------------------------------------------


def _attachment(file: exports.ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def _export(
    session: Session, user: User, document_id: int, fmt: str, version: int | None, lang: str
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    access.require(Action.READ)
    export_format = exports.parse_format(fmt)
    lang = exports.parse_lang(lang)
    document = model.load(session, document_id, version)
    try:
        return _attachment(exports.export(document, export_format, lang))
    except PdfUnavailable:
        raise ExportUnavailable() from None


def _changes(session: Session, user: User, document_id: int, old: int, new: int | None) -> Response:
    access_queries.document_for(session, user, document_id)
    before = model.load(session, document_id, old)
    after = model.load(session, document_id, new)
    to = f"v{new}" if new is not None else "current"
    return _attachment(
        exports.ExportFile(
            export_tracked_changes(before, after),
            exports.DOCX_MEDIA_TYPE,
            f"tandem-document-{document_id}-changes-v{old}-{to}.docx",
        )
    )


@pages.get("/documents/{document_id}/export.{fmt}", name="export_page")
def export_page(
    document_id: Id,
    fmt: str,
    user: PageUser,
    session: SessionDep,
    version: VersionNumber = None,
    lang: LangParam = "both",
) -> Response:
    return _export(session, user, document_id, fmt, version, lang)


@pages.get("/documents/{document_id}/export", name="export_form")
def export_form(
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    format: Annotated[str, Query(max_length=10)] = "pdf",
    version: VersionNumber = None,
    lang: LangParam = "both",
) -> Response:
    """The export form of the document page (a GET form cannot choose the path)."""
    access_queries.document_for(session, user, document_id)
    export_format = exports.parse_format(format)
    lang = exports.parse_lang(lang)
    query = f"?lang={lang}" + (f"&version={version}" if version is not None else "")
    return RedirectResponse(
        f"/documents/{document_id}/export.{export_format.value}{query}", status_code=303
    )


@pages.get("/documents/{document_id}/changes.docx", name="changes_page")
def changes_page(
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    from_: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
    to: VersionNumber = None,
) -> Response:
    return _changes(session, user, document_id, from_, to)


@api.get("/documents/{document_id}/export.{fmt}", tags=["exports"])
def export_api(
    document_id: Id,
    fmt: str,
    user: ApiUser,
    session: SessionDep,
    version: VersionNumber = None,
    lang: LangParam = "both",
) -> Response:
    """The document (or version ``version``) as pdf, docx, md, xml (Akoma Ntoso) or json."""
    return _export(session, user, document_id, fmt, version, lang)


@api.get("/documents/{document_id}/changes.docx", tags=["exports"])
def changes_api(
    document_id: Id,
    user: ApiUser,
    session: SessionDep,
    from_: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
    to: VersionNumber = None,
) -> Response:
    """The changes from version ``from`` to version ``to`` (or the current text) as a DOCX
    with tracked changes."""
    return _changes(session, user, document_id, from_, to)


# --- Import --------------------------------------------------------------------------------


def _moderator(session: Session, user: User, slug: str) -> GroupAccess:
    access = access_queries.group_for(session, user, slug)
    access.require(Action.CREATE_DOCUMENT)
    return access


def _read(upload: UploadFile | None) -> bytes | None:
    """The uploaded bytes; the file name and the announced type are ignored."""
    if upload is None:
        return None
    content = upload.file.read(MAX_UPLOAD)
    if not content and not upload.filename:
        return None  # a form's empty file field
    return content


def _preview(
    file: UploadFile, file2: UploadFile | None, lang: str, title_de: str, title_fr: str
) -> imports.ImportPreview:
    first = _read(file)
    if first is None:
        raise ValidationFailed("Choose a file to import.", details={"field": "file"})
    return imports.build_preview(
        first, _read(file2), first_lang=lang, title_de=title_de, title_fr=title_fr
    )


def _import_page(
    request: Request,
    access: GroupAccess,
    *,
    preview: imports.ImportPreview | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "import.html",
        {
            "group": access.group,
            "preview": preview,
            "payload": json.dumps(preview.as_data(), ensure_ascii=False) if preview else "",
            "error": error,
        },
        status_code=status,
    )


@pages.get("/groups/{slug}/import", name="import_page")
def import_page(request: Request, slug: str, user: PageUser, session: SessionDep) -> Response:
    return _import_page(request, _moderator(session, user, slug))


@pages.post("/groups/{slug}/import", name="import_preview_form")
def import_preview_form(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    file2: Annotated[UploadFile | None, File()] = None,
    lang: Annotated[str, Form(max_length=10)] = "de",
    title_de: Annotated[str, Form(max_length=2000)] = "",
    title_fr: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    access = _moderator(session, user, slug)
    try:
        preview = _preview(file, file2, lang, title_de, title_fr)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        message = translate(refusal.template, refusal.params)
        return _import_page(request, access, error=message, status=refusal.status)
    return _import_page(request, access, preview=preview)


class _Payload(BaseModel):
    title_de: str
    title_fr: str
    paragraphs: list[dict[str, str]]


def _payload_preview(payload: str) -> imports.ImportPreview:
    try:
        data = _Payload.model_validate_json(payload)
    except ValidationError:
        raise ValidationFailed(
            "The preview could not be read; upload the file again.", details={"field": "payload"}
        ) from None
    rows = [(p.get("kind", "text"), p.get("de", ""), p.get("fr", "")) for p in data.paragraphs]
    return imports.validate_preview(data.title_de, data.title_fr, rows)


@pages.post("/groups/{slug}/import/create", name="import_create_form")
def import_create_form(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    payload: Annotated[str, Form(max_length=5_000_000)],
    title_de: Annotated[str, Form(max_length=2000)] = "",
    title_fr: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    access = _moderator(session, user, slug)
    try:
        preview = _payload_preview(payload)
        if title_de.strip() or title_fr.strip():
            preview = imports.validate_preview(
                title_de or preview.title_de,
                title_fr or preview.title_fr,
                [(p.kind, p.de, p.fr) for p in preview.paragraphs],
            )
        document = imports.create_document(session, access, preview)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        message = translate(refusal.template, refusal.params)
        return _import_page(request, access, error=message, status=refusal.status)
    return RedirectResponse(f"/documents/{document.id}", status_code=303)


class ImportedParagraphOut(BaseModel):
    kind: str
    de: str
    fr: str


class ImportPreviewOut(BaseModel):
    title_de: str
    title_fr: str
    paragraphs: list[ImportedParagraphOut]

    @classmethod
    def of(cls, preview: imports.ImportPreview) -> ImportPreviewOut:
        data: dict[str, Any] = preview.as_data()
        return cls.model_validate(data)


ImportFile = Annotated[UploadFile, File(description="A .md (UTF-8) or .docx file")]
SecondFile = Annotated[
    UploadFile | None, File(description="Optional: the other language, block by block")
]
FirstLang = Annotated[str, Form(max_length=10, description="Language of `file`: de or fr")]
Title = Annotated[str, Form(max_length=2000)]


@api.post("/groups/{slug}/documents/import/preview", tags=["documents"], include_in_schema=True)
def import_preview_api(
    slug: str,
    user: ApiUser,
    session: SessionDep,
    file: ImportFile,
    file2: SecondFile = None,
    lang: FirstLang = "de",
    title_de: Title = "",
    title_fr: Title = "",
) -> ImportPreviewOut:
    """What importing the file(s) would create, without creating anything."""
    _moderator(session, user, slug)
    return ImportPreviewOut.of(_preview(file, file2, lang, title_de, title_fr))


@api.post("/groups/{slug}/documents/import", status_code=201, tags=["documents"])
def import_api(
    slug: str,
    user: ApiUser,
    session: SessionDep,
    file: ImportFile,
    file2: SecondFile = None,
    lang: FirstLang = "de",
    title_de: Title = "",
    title_fr: Title = "",
) -> DocumentOut:
    """A new document from a Markdown or DOCX draft (one paragraph per block)."""
    access = _moderator(session, user, slug)
    preview = _preview(file, file2, lang, title_de, title_fr)
    document = imports.create_document(session, access, preview)
    return DocumentOut.of(document, access.group.slug)
