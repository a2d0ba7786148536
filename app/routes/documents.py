"""A document: the side-by-side page, its paragraph list and its phase."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app import page_versions
from app.deps import ApiDocument, PageDocument, SessionDep, verify_csrf
from app.fields import ParagraphText, PhaseName, PositiveId, ReasonInput
from app.page_cache import cached_page, page_key
from app.pages.document import document_page as render_document_page
from app.pages.forms import see_other, submit
from app.queries import documents as document_queries
from app.queries import overview
from app.schemas.documents import (
    DocumentDetailOut,
    DocumentOut,
    NewParagraph,
    ParagraphOut,
    PhaseChange,
)
from app.services import documents, phases
from drafting.text import Lang

api = APIRouter(tags=["documents"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


@pages.get("/documents/{document_id}", name="document_page")
def document_page(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    merged: PositiveId | None = None,
    lang: Lang | None = None,
) -> Response:
    if merged is not None and lang is not None:
        notice = {"paragraph_id": merged, "lang": lang.value, "kind": "merged"}
        return render_document_page(request, session, doc, notice=notice)
    key = page_key(request, doc.document.content_version, page_versions.site_version(session))
    return cached_page(request, key, lambda: render_document_page(request, session, doc))


@pages.post("/documents/{document_id}/paragraphs", name="add_paragraph_form")
def add_paragraph_form(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    kind: Annotated[str, Form()] = "text",
    de: Annotated[ParagraphText, Form()] = "",
    fr: Annotated[ParagraphText, Form()] = "",
    after_id: Annotated[PositiveId | None, Form()] = None,
) -> Response:
    return submit(
        request,
        lambda: documents.add_paragraph(
            session, doc, kind=kind, texts={Lang.DE: de, Lang.FR: fr}, after_id=after_id
        ),
        then=lambda paragraph: see_other(
            request, "document_page", document_id=doc.document.id, fragment=f"p-{paragraph.id}"
        ),
        show=lambda error: render_document_page(
            request,
            session,
            doc,
            error=error,
            draft={"kind": kind, "de": de, "fr": fr, "after_id": after_id},
        ),
    )


@pages.post("/documents/{document_id}/phase", name="change_phase_form")
def change_phase_form(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    phase: Annotated[PhaseName, Form()],
    reason: Annotated[ReasonInput, Form()] = "",
) -> Response:
    return submit(
        request,
        lambda: phases.change_phase(session, doc, phase, reason),
        then=lambda _phase: see_other(request, "document_page", document_id=doc.document.id),
        show=lambda error: render_document_page(
            request, session, doc, error=error, phase_draft={"phase": phase, "reason": reason}
        ),
    )


@api.post("/documents/{document_id}/phase")
def change_phase(body: PhaseChange, doc: ApiDocument, session: SessionDep) -> DocumentOut:
    phases.change_phase(session, doc, body.phase, body.reason)
    return DocumentOut.of(doc.document, doc.group.slug)


@api.get("/documents/{document_id}")
def get_document(doc: ApiDocument, session: SessionDep) -> DocumentDetailOut:
    return DocumentDetailOut.of_access(doc, overview.paragraphs_with_counts(session, doc))


@api.post("/documents/{document_id}/paragraphs", status_code=201, tags=["paragraphs"])
def add_paragraph(body: NewParagraph, doc: ApiDocument, session: SessionDep) -> ParagraphOut:
    paragraph = documents.add_paragraph(
        session,
        doc,
        kind=body.kind,
        texts={Lang.DE: body.de, Lang.FR: body.fr},
        after_id=body.after_id,
    )
    return ParagraphOut.model_validate(document_queries.paragraph_view(session, paragraph))
