"""A document: the side-by-side page and its paragraph list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app import page_versions
from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.errors import AppError, NotFound
from app.i18n import translate
from app.models import ParagraphKind, User
from app.page_cache import cached_page, page_key
from app.permissions import Action
from app.queries import access as access_queries
from app.queries import alignment, amendments, comments, evidence, versions
from app.queries import conflicts as conflict_queries
from app.queries import documents as document_queries
from app.queries.access import MAX_ID, DocumentAccess
from app.schemas import DocumentDetailOut, DocumentOut, NewParagraph, ParagraphOut
from app.services import documents, phases
from app.templating import is_htmx, render
from drafting.text import Lang

router = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


# Each feature adds what the document page shows of it: queries/<area>.for_document
# returns its template context (in a constant number of queries) and the templates
# _<area>_document.html, _<area>_paragraph.html and _<area>_side.html show it.
FEATURES = (amendments, comments, alignment, evidence, versions)


def document_context(
    session: Session,
    access: DocumentAccess,
    *,
    only_paragraph: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The page's context; with ``only_paragraph``, just what that paragraph's block shows
    (a live update re-renders one block per open page after every save)."""
    assert access.document.id is not None
    every = document_queries.paragraphs_of(session, access.document.id)
    paragraphs = every if only_paragraph is None else [p for p in every if p.id == only_paragraph]
    features: dict[str, Any] = {}
    for feature in FEATURES:
        features |= feature.for_document(session, access, paragraphs)
    return (
        features
        | {
            "document": access.document,
            "group": access.group,
            "access": access,
            "Action": Action,
            "kinds": list(ParagraphKind),
            "langs": list(Lang),
            "paragraphs": paragraphs,
            "paragraph_count": len(every),
            "phase_targets": phases.allowed_targets(access.phase),
            "my_conflicts": conflict_queries.open_conflicts_of(
                session, access.user, access.document.id
            ),
            "conflict": None,
            "notice": None,
            "failed_edit": None,
            "error": None,
            "draft": None,
        }
        | extra
    )


def paragraph_response(
    request: Request,
    session: Session,
    user: User,
    paragraph_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """One paragraph's block of the document page for HTMX (the same template, so the
    block cannot drift from the page), or the whole page for a plain request."""
    access, _paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    only = paragraph_id if is_htmx(request) else None
    context = document_context(session, access, only_paragraph=only, **extra)
    shown = [view for view in context["paragraphs"] if view.id == paragraph_id]
    if not shown:
        raise NotFound()
    context["p"] = shown[0]
    return render(request, "document.html", context, block="paragraph", status_code=status_code)


def document_page_for(
    request: Request,
    session: Session,
    user: User,
    document_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    return render(
        request,
        "document.html",
        document_context(session, access, **extra),
        status_code=status_code,
    )


@pages.get("/documents/{document_id}", name="document_page")
def document_page(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    merged: int | None = None,
    lang: Lang | None = None,
) -> Response:
    if merged is not None and lang is not None:
        notice = {"paragraph_id": merged, "lang": lang.value, "kind": "merged"}
        return document_page_for(request, session, user, document_id, notice=notice)
    access = access_queries.document_for(session, user, document_id)
    key = page_key(request, access.document.content_version, page_versions.site_version(session))
    return cached_page(
        request,
        key,
        lambda: render(request, "document.html", document_context(session, access)),
    )


@pages.post("/documents/{document_id}/paragraphs", name="add_paragraph_form")
def add_paragraph_form(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    kind: Annotated[str, Form()] = "text",
    de: Annotated[str, Form(max_length=400_000)] = "",
    fr: Annotated[str, Form(max_length=400_000)] = "",
    after_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    try:
        paragraph = documents.add_paragraph(
            session, access, kind=kind, texts={Lang.DE: de, Lang.FR: fr}, after_id=after_id
        )
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        message = translate(refusal.template, refusal.params)
        return render(
            request,
            "document.html",
            document_context(
                session, access, error=message, draft={"kind": kind, "de": de, "fr": fr}
            ),
            status_code=refusal.status,
        )
    return RedirectResponse(f"/documents/{document_id}#p-{paragraph.id}", status_code=303)


@pages.post("/documents/{document_id}/phase", name="change_phase_form")
def change_phase_form(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    phase: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    try:
        phases.change_phase(session, access, phase, reason)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        message = translate(refusal.template, refusal.params)
        return render(
            request,
            "document.html",
            document_context(session, access, error=message),
            status_code=refusal.status,
        )
    return RedirectResponse(f"/documents/{document_id}", status_code=303)


class PhaseChange(BaseModel):
    phase: str
    reason: str = Field(default="", max_length=5000)


@router.post("/api/v1/documents/{document_id}/phase", tags=["documents"])
def change_phase(
    document_id: Id, body: PhaseChange, user: ApiUser, session: SessionDep
) -> DocumentOut:
    access = access_queries.document_for(session, user, document_id)
    phases.change_phase(session, access, body.phase, body.reason)
    return DocumentOut.of(access.document, access.group.slug)


@router.get("/api/v1/documents/{document_id}", tags=["documents"])
def get_document(document_id: Id, user: ApiUser, session: SessionDep) -> DocumentDetailOut:
    access = access_queries.document_for(session, user, document_id)
    assert access.document.id is not None
    summary = DocumentOut.of(access.document, access.group.slug)
    paragraphs = document_queries.paragraphs_of(session, access.document.id)
    document_id = access.document.id
    statuses = alignment.counts(session, document_id)
    evidence_counts = evidence.counts(session, document_id)
    comment_counts = comments.counts(session, document_id)
    amendment_counts = amendments.counts(session, document_id)
    return DocumentDetailOut(
        **summary.model_dump(),
        paragraphs=[
            ParagraphOut.of(p).model_copy(
                update={
                    "alignment": statuses.get(p.id),
                    "evidence_count": evidence_counts.get(p.id, 0),
                    "open_comments": comment_counts.get(p.id, 0),
                    "open_amendments": amendment_counts.get(p.id, 0),
                }
            )
            for p in paragraphs
        ],
    )


@router.post("/api/v1/documents/{document_id}/paragraphs", status_code=201, tags=["paragraphs"])
def add_paragraph(
    document_id: Id, body: NewParagraph, user: ApiUser, session: SessionDep
) -> ParagraphOut:
    access = access_queries.document_for(session, user, document_id)
    paragraph = documents.add_paragraph(
        session,
        access,
        kind=body.kind,
        texts={Lang.DE: body.de, Lang.FR: body.fr},
        after_id=body.after_id,
    )
    return ParagraphOut.of(document_queries.paragraph_view(session, paragraph))


router.include_router(pages)
