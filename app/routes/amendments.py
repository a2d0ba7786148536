"""Amendments: the paragraph forms, the document-wide list, one amendment, and the API."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import (
    ApiDocument,
    ApiParagraph,
    ApiUser,
    Id,
    PageDocument,
    PageParagraph,
    PageUser,
    SessionDep,
    verify_csrf,
)
from app.fields import MAX_ID, AmendmentNote, ParagraphText, PositiveId
from app.models import AmendmentStatus, User
from app.pages.document import (
    back_to_paragraph,
    document_frame,
    paragraph_answer,
    paragraph_block,
)
from app.pages.forms import Refusal, see_other, submit
from app.queries import amendments as queries
from app.queries import documents as document_queries
from app.queries.access import DocumentAccess, ParagraphAccess
from app.queries.amendments import Filters
from app.schemas.amendments import (
    AmendmentDecisionIn,
    AmendmentMergeIn,
    AmendmentMergeOut,
    AmendmentOut,
    AmendmentStatusFilter,
    NewAmendment,
    RebasedAmendment,
)
from app.services import amendments
from app.services.amendments import MergePlan
from app.templating import is_htmx, render
from drafting.diffs import word_diff
from drafting.text import Lang

api = APIRouter(tags=["amendments"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

FormText = Annotated[ParagraphText | None, Form()]
FormNote = Annotated[AmendmentNote, Form()]
FormBaseId = Annotated[PositiveId | None, Form()]


# --- JSON API ------------------------------------------------------------------------------


@api.post("/paragraphs/{paragraph_id}/amendments", status_code=201)
def propose(body: NewAmendment, par: ApiParagraph, session: SessionDep) -> AmendmentOut:
    amendment = amendments.propose(
        session,
        par,
        body.texts.by_lang(),
        body.base_revision_ids.by_lang(),
        body.justification,
    )
    assert amendment.id is not None
    return AmendmentOut.model_validate(queries.view_of(session, par, amendment.id))


@api.get("/documents/{document_id}/amendments")
def list_amendments(
    doc: ApiDocument,
    session: SessionDep,
    status: AmendmentStatusFilter | None = None,
    lang: Lang | None = None,
    author: Annotated[str | None, Query(max_length=64)] = None,
    paragraph: Annotated[PositiveId | None, Query()] = None,
) -> list[AmendmentOut]:
    """Amendments as they stand now: open ones rebased onto the current texts."""
    filters = Filters(
        status=status, lang=lang.value if lang else None, author=author, paragraph=paragraph
    )
    views, _ = queries.listing(session, doc, filters)
    return [AmendmentOut.model_validate(view) for view in views]


@api.get("/amendments/{amendment_id}")
def get_amendment(amendment_id: Id, user: ApiUser, session: SessionDep) -> AmendmentOut:
    return AmendmentOut.model_validate(queries.view_for(session, user, amendment_id))


@api.post("/amendments/{amendment_id}/support")
def support(amendment_id: Id, user: ApiUser, session: SessionDep) -> AmendmentOut:
    """Support an open amendment; supporting twice changes nothing; authors cannot (409)."""
    amendments.support(session, user, amendment_id)
    return AmendmentOut.model_validate(queries.view_for(session, user, amendment_id))


@api.post("/amendments/{amendment_id}/withdraw")
def withdraw(amendment_id: Id, user: ApiUser, session: SessionDep) -> AmendmentOut:
    amendments.withdraw(session, user, amendment_id)
    return AmendmentOut.model_validate(queries.view_for(session, user, amendment_id))


@api.post("/amendments/{amendment_id}/rebase")
def rebase(
    amendment_id: Id, body: RebasedAmendment, user: ApiUser, session: SessionDep
) -> AmendmentOut:
    """The author rewrites the amendment on the current revisions (resolves needs_rebase)."""
    amendments.resolve(
        session, user, amendment_id, body.texts.by_lang(), body.base_revision_ids.by_lang()
    )
    return AmendmentOut.model_validate(queries.view_for(session, user, amendment_id))


@api.post(
    "/amendments/{amendment_id}/decision",
    responses={409: {"description": "conflict: not open, obsolete, or needs a rebase"}},
)
def decide(
    amendment_id: Id, body: AmendmentDecisionIn, user: ApiUser, session: SessionDep
) -> AmendmentOut:
    amendments.decide(
        session,
        user,
        amendment_id,
        body.decision,
        body.reason,
        body.texts.by_lang() if body.texts else None,
    )
    return AmendmentOut.model_validate(queries.view_for(session, user, amendment_id))


@api.post("/paragraphs/{paragraph_id}/amendments/merge-preview")
def merge_preview(
    body: AmendmentMergeIn, par: ApiParagraph, session: SessionDep
) -> AmendmentMergeOut:
    """What the paragraph reads after merging the amendments in order; nothing is written."""
    return AmendmentMergeOut.of(amendments.merge_preview(session, par, body.amendment_ids))


@api.post("/paragraphs/{paragraph_id}/amendments/merge")
def merge(body: AmendmentMergeIn, par: ApiParagraph, session: SessionDep) -> AmendmentMergeOut:
    """Apply the amendments in one pass (one revision per language); each is accepted."""
    return AmendmentMergeOut.of(
        amendments.merge_apply(session, par, body.amendment_ids, body.reason)
    )


# --- pages ---------------------------------------------------------------------------------


def _refused(
    request: Request,
    session: Session,
    access: DocumentAccess,
    paragraph_id: int,
    refusal: Refusal,
    draft: dict[str, str] | None = None,
) -> Response:
    """A refused paragraph form: the message next to the paragraph, with what was typed."""
    error = {"paragraph_id": paragraph_id, "message": refusal.message, "draft": draft}
    return paragraph_block(
        request, session, access, paragraph_id, amendment_error=error, error=refusal
    )


@pages.post("/paragraphs/{paragraph_id}/amendments", name="propose_amendment_form")
def propose_form(
    request: Request,
    par: PageParagraph,
    session: SessionDep,
    justification: FormNote = "",
    de: FormText = None,
    fr: FormText = None,
    de_base_revision_id: FormBaseId = None,
    fr_base_revision_id: FormBaseId = None,
) -> Response:
    # A browser sends an emptied textarea as "", which arrives here as None: a side whose
    # base revision the form sent is part of the amendment, and then empty means deleted.
    de = "" if de is None and de_base_revision_id is not None else de
    fr = "" if fr is None and fr_base_revision_id is not None else fr
    paragraph_id = par.paragraph.id
    assert paragraph_id is not None
    draft = {"de": de or "", "fr": fr or "", "justification": justification}
    return submit(
        request,
        lambda: amendments.propose(
            session,
            par,
            {Lang.DE: de, Lang.FR: fr},
            {Lang.DE: de_base_revision_id, Lang.FR: fr_base_revision_id},
            justification,
        ),
        then=lambda _amendment: paragraph_answer(request, session, par, paragraph_id),
        show=lambda refusal: _refused(request, session, par, paragraph_id, refusal, draft),
    )


Back = Annotated[Literal["", "list", "amendment"], Form()]


def _amendment_form(
    request: Request,
    session: Session,
    user: User,
    amendment_id: int,
    back: str,
    action: Callable[[Session, User, int], Any],
) -> Response:
    """Run ``action(session, user, amendment_id)``; answer on the page the form was sent
    from."""
    access, paragraph, _ = queries.amendment_for(session, user, amendment_id)
    paragraph_id = paragraph.id
    assert paragraph_id is not None

    def answer(_result: Any) -> Response:
        if is_htmx(request):
            return paragraph_block(request, session, access, paragraph_id)
        if back == "amendment":
            return see_other(request, "amendment_page", amendment_id=amendment_id)
        if back == "list":
            return see_other(request, "amendments_page", document_id=access.document.id)
        return back_to_paragraph(request, access, paragraph_id)

    def show(refusal: Refusal) -> Response:
        if back == "amendment":
            return _amendment_page(request, session, access, amendment_id, error=refusal)
        return _refused(request, session, access, paragraph_id, refusal)

    return submit(request, lambda: action(session, user, amendment_id), then=answer, show=show)


@pages.post("/amendments/{amendment_id}/support", name="support_amendment_form")
def support_form(
    request: Request, amendment_id: Id, user: PageUser, session: SessionDep, back: Back = ""
) -> Response:
    return _amendment_form(request, session, user, amendment_id, back, amendments.support)


@pages.post("/amendments/{amendment_id}/withdraw", name="withdraw_amendment_form")
def withdraw_form(
    request: Request, amendment_id: Id, user: PageUser, session: SessionDep, back: Back = ""
) -> Response:
    return _amendment_form(request, session, user, amendment_id, back, amendments.withdraw)


@pages.post("/amendments/{amendment_id}/decision", name="decide_amendment_form")
def decide_form(
    request: Request,
    amendment_id: Id,
    user: PageUser,
    session: SessionDep,
    decision: Annotated[str, Form(max_length=32)],
    reason: FormNote = "",
    de: FormText = None,
    fr: FormText = None,
    back: Back = "",
    sides: Annotated[list[Lang] | None, Form(max_length=2)] = None,
) -> Response:
    # The sides the form shows (hidden fields): an emptied textarea among them (None here,
    # as for a missing field) means the text is deleted, not left as it was.
    de = "" if de is None and Lang.DE in (sides or []) else de
    fr = "" if fr is None and Lang.FR in (sides or []) else fr
    texts = {Lang.DE: de, Lang.FR: fr} if decision == "accept_modified" else None
    return _amendment_form(
        request,
        session,
        user,
        amendment_id,
        back,
        partial(amendments.decide, decision=decision, reason=reason, texts=texts),
    )


@pages.post("/amendments/{amendment_id}/rebase", name="resolve_amendment_form")
def resolve_form(
    request: Request,
    amendment_id: Id,
    user: PageUser,
    session: SessionDep,
    de: FormText = None,
    fr: FormText = None,
    de_base_revision_id: FormBaseId = None,
    fr_base_revision_id: FormBaseId = None,
    back: Back = "amendment",
) -> Response:
    return _amendment_form(
        request,
        session,
        user,
        amendment_id,
        back,
        partial(
            amendments.resolve,
            texts={Lang.DE: de, Lang.FR: fr},
            base_revision_ids={Lang.DE: de_base_revision_id, Lang.FR: fr_base_revision_id},
        ),
    )


def _amendment_page(
    request: Request,
    session: Session,
    access: DocumentAccess,
    amendment_id: int,
    *,
    error: Refusal | None = None,
) -> Response:
    view = queries.view_of(session, access, amendment_id)
    assert access.document.id is not None
    paragraph = next(
        p
        for p in document_queries.paragraphs_of(session, access.document.id)
        if p.id == view.paragraph_id
    )
    return render(
        request,
        "amendment.html",
        document_frame(access)
        | {
            "a": view,
            "paragraph": paragraph,
            "error": error,
            "merge": None,
            "is_author": view.author == access.user.username,
        },
    )


@pages.get("/amendments/{amendment_id}", name="amendment_page")
def amendment_page(
    request: Request, amendment_id: Id, user: PageUser, session: SessionDep
) -> Response:
    access, _, _ = queries.amendment_for(session, user, amendment_id)
    return _amendment_page(request, session, access, amendment_id)


@pages.get("/documents/{document_id}/amendments", name="amendments_page")
def amendments_page(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    status: Annotated[str, Query(max_length=32)] = "",
    lang: Annotated[str, Query(max_length=8)] = "",
    author: Annotated[str, Query(max_length=64)] = "",
    paragraph: Annotated[str, Query(max_length=24)] = "",
) -> Response:
    # Unknown filter values in a hand-edited address simply do not filter.
    statuses = [s.value for s in AmendmentStatus] + ["needs_rebase"]
    paragraph_id = int(paragraph) if paragraph.isdigit() and int(paragraph) <= MAX_ID else None
    filters = Filters(
        status=status if status in statuses else None,
        lang=lang if lang in ("de", "fr") else None,
        author=author.strip() or None,
        paragraph=paragraph_id,
    )
    views, paragraphs = queries.listing(session, doc, filters)
    everything, _ = queries.listing(session, doc, Filters())
    return render(
        request,
        "amendments.html",
        document_frame(doc)
        | {
            "amendments": views,
            "numbers": {p.id: p.number for p in paragraphs},
            "paragraphs": paragraphs,
            "filters": filters,
            "statuses": statuses,
            "authors": sorted({v.author for v in everything}),
            "queue": [v for v in everything if v.is_open and v.rebase_state == "needs_rebase"],
            "competing": paragraph_id is not None and len([v for v in views if v.is_open]) > 1,
        },
    )


def _merge_ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and 0 < int(v) <= MAX_ID]


def _merge_page(
    request: Request,
    session: Session,
    access: ParagraphAccess,
    plan: MergePlan | None,
    error: Refusal | None = None,
) -> Response:
    """The merge's preview with the apply form, or why there is none."""
    view = document_queries.paragraph_view(session, access.paragraph)
    merge = None
    if plan is not None:
        merge = {
            "plan": plan,
            "ops": {
                lang: word_diff(view.text(lang).text, text)
                for lang, text in plan.preview.texts.items()
            },
        }
    return render(
        request,
        "amendment.html",
        document_frame(access)
        | {
            "a": None,
            "paragraph": view,
            "error": error,
            "merge": merge,
            "is_author": False,
        },
    )


@pages.get("/paragraphs/{paragraph_id}/amendments/merge", name="merge_amendments_page")
def merge_page(
    request: Request,
    par: PageParagraph,
    session: SessionDep,
    ids: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> Response:
    """Preview of several amendments merged into the paragraph, with the apply form."""
    return submit(
        request,
        lambda: amendments.merge_preview(session, par, _merge_ids(ids or [])),
        then=lambda plan: _merge_page(request, session, par, plan),
        show=lambda refusal: _merge_page(request, session, par, None, error=refusal),
    )


@pages.post("/paragraphs/{paragraph_id}/amendments/merge", name="merge_amendments_form")
def merge_form(
    request: Request,
    par: PageParagraph,
    session: SessionDep,
    amendment_ids: Annotated[list[str], Form(max_length=100)],
    reason: FormNote = "",
) -> Response:
    paragraph_id = par.paragraph.id
    assert paragraph_id is not None
    return submit(
        request,
        lambda: amendments.merge_apply(session, par, _merge_ids(amendment_ids), reason),
        then=lambda _plan: paragraph_answer(request, session, par, paragraph_id),
        show=lambda refusal: _refused(request, session, par, paragraph_id, refusal),
    )
