"""The document page: its context, and one paragraph's block of it.

Every area that changes a paragraph answers an HTMX request with that paragraph's block
of the same template (so the block cannot drift from the page), and a plain request with
a redirect back to the paragraph on the page.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.errors import NotFound
from app.models import ParagraphKind
from app.pages.forms import see_other
from app.permissions import Action
from app.queries import alignment, amendments, comments, evidence, versions
from app.queries import conflicts as conflict_queries
from app.queries import documents as document_queries
from app.queries.access import DocumentAccess
from app.services import phases
from app.templating import is_htmx, render
from drafting.text import Lang

# Each feature adds what the document page shows of it: queries/<area>.for_document
# returns its template context (in a constant number of queries) and the templates
# _<area>_document.html, _<area>_paragraph.html and _<area>_side.html show it.
FEATURES = (amendments, comments, alignment, evidence, versions)

# Where a plain form about a paragraph returns to: the document, or the translation page.
Back = Literal["document", "translate"]


def document_frame(access: DocumentAccess) -> dict[str, Any]:
    """What every page inside a document needs around its content: the document, its group,
    the caller's access, and the actions the templates ask that access about."""
    return {
        "document": access.document,
        "group": access.group,
        "access": access,
        "Action": Action,
    }


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
        | document_frame(access)
        | {
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
            "phase_draft": None,
        }
        | extra
    )


def document_page(
    request: Request,
    session: Session,
    access: DocumentAccess,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    return render(
        request,
        "document.html",
        document_context(session, access, **extra),
        status_code=status_code,
    )


def paragraph_block(
    request: Request,
    session: Session,
    access: DocumentAccess,
    paragraph_id: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """One paragraph's block of the document page for HTMX, or the whole page for a plain
    request (which then shows ``extra``: an error, a conflict, a notice)."""
    only = paragraph_id if is_htmx(request) else None
    context = document_context(session, access, only_paragraph=only, **extra)
    shown = [view for view in context["paragraphs"] if view.id == paragraph_id]
    if not shown:
        raise NotFound()
    context["p"] = shown[0]
    return render(request, "document.html", context, block="paragraph", status_code=status_code)


def back_to_paragraph(
    request: Request,
    access: DocumentAccess,
    paragraph_id: int,
    back: Back = "document",
    to: Lang = Lang.FR,
    query: dict[str, str | int] | None = None,
) -> RedirectResponse:
    """After a plain form about a paragraph: back to it, on the page it was sent from."""
    if back == "translate":
        return see_other(
            request,
            "translate_page",
            document_id=access.document.id,
            query={"to": to.value},
            fragment=f"t-{paragraph_id}",
        )
    return see_other(
        request,
        "document_page",
        document_id=access.document.id,
        query=query,
        fragment=f"p-{paragraph_id}",
    )


def paragraph_answer(
    request: Request,
    session: Session,
    access: DocumentAccess,
    paragraph_id: int,
    **extra: Any,
) -> Response:
    """What a successful paragraph form (or a live update's fetch) answers: the paragraph's
    block for HTMX, else a redirect to it on the document page."""
    if is_htmx(request):
        return paragraph_block(request, session, access, paragraph_id, **extra)
    return back_to_paragraph(request, access, paragraph_id)
