"""Exports of a document and the import of a draft: HTML pages and JSON API."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from app import exports, imports
from app.deps import (
    ApiDocument,
    ApiGroup,
    PageDocument,
    PageGroup,
    SessionDep,
    requires,
    verify_csrf,
)
from app.fields import NameInput, PositiveId
from app.pages.forms import Refusal, see_other, submit
from app.permissions import Action
from app.queries.access import GroupAccess
from app.schemas.documents import DocumentOut
from app.schemas.exports import ImportPreviewOut, ImportUpload
from app.templating import render

api = APIRouter(tags=["exports"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

VersionNumber = Annotated[PositiveId | None, Query()]
FromVersion = Annotated[PositiveId, Query(alias="from")]
LangParam = Annotated[str, Query(max_length=10)]
MAX_UPLOAD = 4 * 1024 * 1024 + 1

ReadPage = requires(Action.READ, PageDocument)
ReadApi = requires(Action.READ, ApiDocument)
ImportPage = requires(Action.CREATE_DOCUMENT, PageGroup)
ImportApi = requires(Action.CREATE_DOCUMENT, ApiGroup)
# File(), not Form(): the OpenAPI document then says multipart/form-data, as files need.
ImportForm = Annotated[ImportUpload, File()]


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


@pages.get("/documents/{document_id}/export.{fmt}", name="export_page", dependencies=[ReadPage])
def export_page(
    doc: PageDocument,
    fmt: str,
    session: SessionDep,
    version: VersionNumber = None,
    lang: LangParam = "both",
) -> Response:
    assert doc.document.id is not None
    return _attachment(exports.export_file(session, doc.document.id, fmt, version, lang))


@pages.get("/documents/{document_id}/export", name="export_form", dependencies=[ReadPage])
def export_form(
    request: Request,
    doc: PageDocument,
    format: Annotated[str, Query(max_length=10)] = "pdf",
    version: VersionNumber = None,
    lang: LangParam = "both",
) -> Response:
    """The export form of the document page (a GET form cannot choose the path)."""
    export_format = exports.parse_format(format)
    query: dict[str, str | int] = {"lang": exports.parse_lang(lang)}
    if version is not None:
        query["version"] = version
    return see_other(
        request, "export_page", document_id=doc.document.id, fmt=export_format.value, query=query
    )


@pages.get("/documents/{document_id}/changes.docx", name="changes_page", dependencies=[ReadPage])
def changes_page(
    doc: PageDocument, session: SessionDep, from_: FromVersion, to: VersionNumber = None
) -> Response:
    assert doc.document.id is not None
    return _attachment(exports.changes_file(session, doc.document.id, from_, to))


@api.get("/documents/{document_id}/export.{fmt}", dependencies=[ReadApi])
def export_api(
    doc: ApiDocument,
    fmt: str,
    session: SessionDep,
    version: VersionNumber = None,
    lang: LangParam = "both",
) -> Response:
    """The document (or version ``version``) as pdf, docx, md, xml (Akoma Ntoso) or json."""
    assert doc.document.id is not None
    return _attachment(exports.export_file(session, doc.document.id, fmt, version, lang))


@api.get("/documents/{document_id}/changes.docx", dependencies=[ReadApi])
def changes_api(
    doc: ApiDocument, session: SessionDep, from_: FromVersion, to: VersionNumber = None
) -> Response:
    """The changes from version ``from`` to version ``to`` (or the current text) as a DOCX
    with tracked changes."""
    assert doc.document.id is not None
    return _attachment(exports.changes_file(session, doc.document.id, from_, to))


# --- Import --------------------------------------------------------------------------------


def _read(upload: UploadFile | None) -> bytes | None:
    """The uploaded bytes; the file name and the announced type are ignored."""
    if upload is None:
        return None
    content = upload.file.read(MAX_UPLOAD)
    if not content and not upload.filename:
        return None  # a form's empty file field
    return content


def _preview(form: ImportUpload) -> imports.ImportPreview:
    return imports.preview_of_upload(
        _read(form.file),
        _read(form.file2),
        first_lang=form.lang,
        title_de=form.title_de,
        title_fr=form.title_fr,
    )


def _import_page(
    request: Request,
    group: GroupAccess,
    *,
    preview: imports.ImportPreview | None = None,
    error: Refusal | None = None,
) -> Response:
    return render(
        request,
        "import.html",
        {
            "group": group.group,
            "preview": preview,
            "payload": json.dumps(preview.as_data(), ensure_ascii=False) if preview else "",
            "error": error,
        },
    )


@pages.get("/groups/{slug}/import", name="import_page", dependencies=[ImportPage])
def import_page(request: Request, group: PageGroup) -> Response:
    return _import_page(request, group)


@pages.post("/groups/{slug}/import", name="import_preview_form", dependencies=[ImportPage])
def import_preview_form(request: Request, group: PageGroup, form: ImportForm) -> Response:
    return submit(
        request,
        lambda: _preview(form),
        then=lambda preview: _import_page(request, group, preview=preview),
        show=lambda error: _import_page(request, group, error=error),
    )


@pages.post("/groups/{slug}/import/create", name="import_create_form", dependencies=[ImportPage])
def import_create_form(
    request: Request,
    group: PageGroup,
    session: SessionDep,
    payload: Annotated[str, Form(max_length=5_000_000)],
    title_de: Annotated[NameInput, Form()] = "",
    title_fr: Annotated[NameInput, Form()] = "",
) -> Response:
    return submit(
        request,
        lambda: imports.create_document(
            session, group, imports.preview_of_payload(payload, title_de, title_fr)
        ),
        then=lambda document: see_other(request, "document_page", document_id=document.id),
        show=lambda error: _import_page(request, group, error=error),
    )


@api.post("/groups/{slug}/documents/import/preview", tags=["documents"], dependencies=[ImportApi])
def import_preview_api(form: ImportForm) -> ImportPreviewOut:
    """What importing the file(s) would create, without creating anything."""
    return ImportPreviewOut.model_validate(_preview(form))


@api.post(
    "/groups/{slug}/documents/import",
    status_code=201,
    tags=["documents"],
    dependencies=[ImportApi],
)
def import_api(group: ApiGroup, session: SessionDep, form: ImportForm) -> DocumentOut:
    """A new document from a Markdown or DOCX draft (one paragraph per block)."""
    document = imports.create_document(session, group, _preview(form))
    return DocumentOut.of(document, group.group.slug)
