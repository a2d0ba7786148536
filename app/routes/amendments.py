"""Amendments: the paragraph forms, the document-wide list, one amendment, and the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.errors import AppError
from app.fields import MAX_ID
from app.i18n import translate
from app.models import AmendmentStatus, User
from app.pages.document import document_context, paragraph_response
from app.permissions import Action
from app.queries import access as access_queries
from app.queries import amendments as queries
from app.queries import documents as document_queries
from app.queries.access import DocumentAccess
from app.queries.amendments import AmendmentView, Filters
from app.services import amendments
from app.services.amendments import MergePlan
from app.templating import is_htmx, render
from drafting.diffs import word_diff
from drafting.text import Lang

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

MAX_FORM_TEXT = 400_000
FormId = Annotated[int, Form(ge=1, le=MAX_ID)]
OptionalFormId = Annotated[int | None, Form(ge=1, le=MAX_ID)]
StatusFilter = Literal[
    "open", "needs_rebase", "accepted", "accepted_modified", "rejected", "withdrawn", "obsolete"
]


# --- JSON shapes ---------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextsIn(_Body):
    de: str | None = Field(default=None, max_length=MAX_FORM_TEXT)
    fr: str | None = Field(default=None, max_length=MAX_FORM_TEXT)

    def by_lang(self) -> dict[Lang, str | None]:
        return {Lang.DE: self.de, Lang.FR: self.fr}


class BaseIdsIn(_Body):
    de: int | None = Field(default=None, ge=1, le=MAX_ID)
    fr: int | None = Field(default=None, ge=1, le=MAX_ID)

    def by_lang(self) -> dict[Lang, int | None]:
        return {Lang.DE: self.de, Lang.FR: self.fr}


class NewAmendment(_Body):
    texts: TextsIn
    base_revision_ids: BaseIdsIn = Field(default_factory=BaseIdsIn)
    justification: str = Field(max_length=50_000)


class RebasedAmendment(_Body):
    texts: TextsIn
    base_revision_ids: BaseIdsIn = Field(default_factory=BaseIdsIn)


class DecisionIn(_Body):
    decision: Literal["accept", "accept_modified", "reject"]
    texts: TextsIn | None = None
    reason: str = Field(default="", max_length=50_000)


class MergeIn(_Body):
    amendment_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(max_length=100)
    reason: str = Field(default="", max_length=50_000)


class ConflictOut(BaseModel):
    base: str
    theirs: str
    yours: str
    proposal: str


class AmendmentOut(BaseModel):
    id: int
    paragraph_id: int
    status: str
    rebase_state: str
    texts: dict[str, str]
    base_revision_ids: dict[str, int | None]
    justification: str
    author: str
    supporters: list[str]
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    applied_texts: dict[str, str]
    conflicts: dict[str, ConflictOut]

    @classmethod
    def of(cls, view: AmendmentView) -> AmendmentOut:
        return cls(
            id=view.id,
            paragraph_id=view.paragraph_id,
            status=view.status,
            rebase_state=view.rebase_state,
            texts=view.texts,
            base_revision_ids=view.base_revision_ids,
            justification=view.justification,
            author=view.author,
            supporters=view.supporters,
            created_at=view.created_at,
            decided_by=view.decided_by,
            decided_at=view.decided_at,
            decision_reason=view.decision_reason,
            applied_texts=view.applied_texts,
            conflicts={
                side.lang: ConflictOut(
                    base=side.base_text,
                    theirs=side.current_text,
                    yours=side.text,
                    proposal=side.proposal,
                )
                for side in view.sides
                if side.conflicts
            },
        )


class MergeStepOut(BaseModel):
    amendment_id: int
    merged: bool
    conflicting_langs: list[str]


class MergeOut(BaseModel):
    paragraph_id: int
    clean: bool
    texts: dict[str, str]
    steps: list[MergeStepOut]

    @classmethod
    def of(cls, plan: MergePlan) -> MergeOut:
        assert plan.paragraph.id is not None
        return cls(
            paragraph_id=plan.paragraph.id,
            clean=plan.preview.clean,
            texts=plan.preview.texts,
            steps=[
                MergeStepOut(
                    amendment_id=step.amendment_id,
                    merged=step.merged,
                    conflicting_langs=sorted(step.conflicts),
                )
                for step in plan.preview.steps
            ],
        )


def _out(session: Session, user: User, amendment_id: int) -> AmendmentOut:
    access, _, _ = queries.amendment_for(session, user, amendment_id)
    return AmendmentOut.of(queries.view_of(session, access, amendment_id))


# --- JSON API ------------------------------------------------------------------------------


@api.post("/paragraphs/{paragraph_id}/amendments", status_code=201, tags=["amendments"])
def propose(
    paragraph_id: Id, body: NewAmendment, user: ApiUser, session: SessionDep
) -> AmendmentOut:
    amendment = amendments.propose(
        session,
        user,
        paragraph_id,
        body.texts.by_lang(),
        body.base_revision_ids.by_lang(),
        body.justification,
    )
    assert amendment.id is not None
    return _out(session, user, amendment.id)


@api.get("/documents/{document_id}/amendments", tags=["amendments"])
def list_amendments(
    document_id: Id,
    user: ApiUser,
    session: SessionDep,
    status: StatusFilter | None = None,
    lang: Lang | None = None,
    author: Annotated[str | None, Query(max_length=64)] = None,
    paragraph: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[AmendmentOut]:
    """Amendments as they stand now: open ones rebased onto the current texts."""
    access = access_queries.document_for(session, user, document_id)
    filters = Filters(
        status=status, lang=lang.value if lang else None, author=author, paragraph=paragraph
    )
    views, _ = queries.listing(session, access, filters)
    return [AmendmentOut.of(view) for view in views]


@api.get("/amendments/{amendment_id}", tags=["amendments"])
def get_amendment(amendment_id: Id, user: ApiUser, session: SessionDep) -> AmendmentOut:
    return _out(session, user, amendment_id)


@api.post("/amendments/{amendment_id}/support", tags=["amendments"])
def support(amendment_id: Id, user: ApiUser, session: SessionDep) -> AmendmentOut:
    """Support an open amendment; supporting twice changes nothing; authors cannot (409)."""
    amendments.support(session, user, amendment_id)
    return _out(session, user, amendment_id)


@api.post("/amendments/{amendment_id}/withdraw", tags=["amendments"])
def withdraw(amendment_id: Id, user: ApiUser, session: SessionDep) -> AmendmentOut:
    amendments.withdraw(session, user, amendment_id)
    return _out(session, user, amendment_id)


@api.post("/amendments/{amendment_id}/rebase", tags=["amendments"])
def rebase(
    amendment_id: Id, body: RebasedAmendment, user: ApiUser, session: SessionDep
) -> AmendmentOut:
    """The author rewrites the amendment on the current revisions (resolves needs_rebase)."""
    amendments.resolve(
        session, user, amendment_id, body.texts.by_lang(), body.base_revision_ids.by_lang()
    )
    return _out(session, user, amendment_id)


@api.post(
    "/amendments/{amendment_id}/decision",
    tags=["amendments"],
    responses={409: {"description": "conflict: not open, obsolete, or needs a rebase"}},
)
def decide(amendment_id: Id, body: DecisionIn, user: ApiUser, session: SessionDep) -> AmendmentOut:
    amendments.decide(
        session,
        user,
        amendment_id,
        body.decision,
        body.reason,
        body.texts.by_lang() if body.texts else None,
    )
    return _out(session, user, amendment_id)


@api.post("/paragraphs/{paragraph_id}/amendments/merge-preview", tags=["amendments"])
def merge_preview(paragraph_id: Id, body: MergeIn, user: ApiUser, session: SessionDep) -> MergeOut:
    """What the paragraph reads after merging the amendments in order; nothing is written."""
    return MergeOut.of(amendments.merge_preview(session, user, paragraph_id, body.amendment_ids))


@api.post("/paragraphs/{paragraph_id}/amendments/merge", tags=["amendments"])
def merge(paragraph_id: Id, body: MergeIn, user: ApiUser, session: SessionDep) -> MergeOut:
    """Apply the amendments in one pass (one revision per language); each is accepted."""
    return MergeOut.of(
        amendments.merge_apply(session, user, paragraph_id, body.amendment_ids, body.reason)
    )


# --- pages ---------------------------------------------------------------------------------


def _after_paragraph_form(
    request: Request, session: Session, user: User, paragraph_id: int, back: str
) -> Response:
    if is_htmx(request):
        return paragraph_response(request, session, user, paragraph_id)
    access, _ = access_queries.paragraph_for(session, user, paragraph_id)
    if back == "list":
        return RedirectResponse(f"/documents/{access.document.id}/amendments", 303)
    return RedirectResponse(f"/documents/{access.document.id}#p-{paragraph_id}", 303)


def _refused(
    request: Request,
    session: Session,
    user: User,
    paragraph_id: int,
    refusal: AppError,
    draft: dict[str, str] | None = None,
) -> Response:
    """A 409/422 from a paragraph form, shown next to the paragraph."""
    if refusal.status in (401, 403, 404):
        raise refusal
    session.rollback()
    error = {
        "paragraph_id": paragraph_id,
        "message": translate(refusal.template, refusal.params),
        "draft": draft,
    }
    if is_htmx(request):
        return paragraph_response(
            request, session, user, paragraph_id, status_code=refusal.status, amendment_error=error
        )
    access, _ = access_queries.paragraph_for(session, user, paragraph_id)
    return render(
        request,
        "document.html",
        document_context(session, access, amendment_error=error, error=error["message"]),
        status_code=refusal.status,
    )


@pages.post("/paragraphs/{paragraph_id}/amendments", name="propose_amendment_form")
def propose_form(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    justification: Annotated[str, Form(max_length=50_000)] = "",
    de: Annotated[str | None, Form(max_length=MAX_FORM_TEXT)] = None,
    fr: Annotated[str | None, Form(max_length=MAX_FORM_TEXT)] = None,
    de_base_revision_id: OptionalFormId = None,
    fr_base_revision_id: OptionalFormId = None,
) -> Response:
    # A browser sends an emptied textarea as "", which arrives here as None: a side whose
    # base revision the form sent is part of the amendment, and then empty means deleted.
    de = "" if de is None and de_base_revision_id is not None else de
    fr = "" if fr is None and fr_base_revision_id is not None else fr
    try:
        amendments.propose(
            session,
            user,
            paragraph_id,
            {Lang.DE: de, Lang.FR: fr},
            {Lang.DE: de_base_revision_id, Lang.FR: fr_base_revision_id},
            justification,
        )
    except AppError as refusal:
        draft = {"de": de or "", "fr": fr or "", "justification": justification}
        return _refused(request, session, user, paragraph_id, refusal, draft)
    return _after_paragraph_form(request, session, user, paragraph_id, "")


def _amendment_form(
    request: Request,
    session: Session,
    user: User,
    amendment_id: int,
    back: str,
    action: Any,
) -> Response:
    access, paragraph, _ = queries.amendment_for(session, user, amendment_id)
    assert paragraph.id is not None
    try:
        action()
    except AppError as refusal:
        if back == "amendment" and refusal.status not in (401, 403, 404):
            session.rollback()
            return _amendment_page(
                request,
                session,
                access,
                amendment_id,
                error=translate(refusal.template, refusal.params),
                status_code=refusal.status,
            )
        return _refused(request, session, user, paragraph.id, refusal)
    if back == "amendment" and not is_htmx(request):
        return RedirectResponse(f"/amendments/{amendment_id}", 303)
    return _after_paragraph_form(request, session, user, paragraph.id, back)


Back = Annotated[Literal["", "list", "amendment"], Form()]


@pages.post("/amendments/{amendment_id}/support", name="support_amendment_form")
def support_form(
    request: Request, amendment_id: Id, user: PageUser, session: SessionDep, back: Back = ""
) -> Response:
    return _amendment_form(
        request,
        session,
        user,
        amendment_id,
        back,
        lambda: amendments.support(session, user, amendment_id),
    )


@pages.post("/amendments/{amendment_id}/withdraw", name="withdraw_amendment_form")
def withdraw_form(
    request: Request, amendment_id: Id, user: PageUser, session: SessionDep, back: Back = ""
) -> Response:
    return _amendment_form(
        request,
        session,
        user,
        amendment_id,
        back,
        lambda: amendments.withdraw(session, user, amendment_id),
    )


@pages.post("/amendments/{amendment_id}/decision", name="decide_amendment_form")
def decide_form(
    request: Request,
    amendment_id: Id,
    user: PageUser,
    session: SessionDep,
    decision: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=50_000)] = "",
    de: Annotated[str | None, Form(max_length=MAX_FORM_TEXT)] = None,
    fr: Annotated[str | None, Form(max_length=MAX_FORM_TEXT)] = None,
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
        lambda: amendments.decide(session, user, amendment_id, decision, reason, texts),
    )


@pages.post("/amendments/{amendment_id}/rebase", name="resolve_amendment_form")
def resolve_form(
    request: Request,
    amendment_id: Id,
    user: PageUser,
    session: SessionDep,
    de: Annotated[str | None, Form(max_length=MAX_FORM_TEXT)] = None,
    fr: Annotated[str | None, Form(max_length=MAX_FORM_TEXT)] = None,
    de_base_revision_id: OptionalFormId = None,
    fr_base_revision_id: OptionalFormId = None,
    back: Back = "amendment",
) -> Response:
    return _amendment_form(
        request,
        session,
        user,
        amendment_id,
        back,
        lambda: amendments.resolve(
            session,
            user,
            amendment_id,
            {Lang.DE: de, Lang.FR: fr},
            {Lang.DE: de_base_revision_id, Lang.FR: fr_base_revision_id},
        ),
    )


def _amendment_page(
    request: Request,
    session: Session,
    access: DocumentAccess,
    amendment_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
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
        {
            "document": access.document,
            "group": access.group,
            "access": access,
            "Action": Action,
            "a": view,
            "paragraph": paragraph,
            "error": error,
            "merge": None,
            "is_author": view.author == access.user.username,
        },
        status_code=status_code,
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
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    status: Annotated[str, Query(max_length=32)] = "",
    lang: Annotated[str, Query(max_length=8)] = "",
    author: Annotated[str, Query(max_length=64)] = "",
    paragraph: Annotated[str, Query(max_length=24)] = "",
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    # Unknown filter values in a hand-edited address simply do not filter.
    statuses = [s.value for s in AmendmentStatus] + ["needs_rebase"]
    paragraph_id = int(paragraph) if paragraph.isdigit() and int(paragraph) <= MAX_ID else None
    filters = Filters(
        status=status if status in statuses else None,
        lang=lang if lang in ("de", "fr") else None,
        author=author.strip() or None,
        paragraph=paragraph_id,
    )
    views, paragraphs = queries.listing(session, access, filters)
    everything, _ = queries.listing(session, access, Filters())
    return render(
        request,
        "amendments.html",
        {
            "document": access.document,
            "group": access.group,
            "access": access,
            "Action": Action,
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


@pages.get("/paragraphs/{paragraph_id}/amendments/merge", name="merge_amendments_page")
def merge_page(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    ids: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> Response:
    """Preview of several amendments merged into the paragraph, with the apply form."""
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    error = None
    status_code = 200
    plan = None
    try:
        plan = amendments.merge_preview(session, user, paragraph_id, _merge_ids(ids or []))
    except AppError as refusal:
        if refusal.status in (401, 403, 404):
            raise
        error = translate(refusal.template, refusal.params)
        status_code = refusal.status
    view = document_queries.paragraph_view(session, paragraph)
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
        {
            "document": access.document,
            "group": access.group,
            "access": access,
            "Action": Action,
            "a": None,
            "paragraph": view,
            "error": error,
            "merge": merge,
            "is_author": False,
        },
        status_code=status_code,
    )


@pages.post("/paragraphs/{paragraph_id}/amendments/merge", name="merge_amendments_form")
def merge_form(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    amendment_ids: Annotated[list[str], Form(max_length=100)],
    reason: Annotated[str, Form(max_length=50_000)] = "",
) -> Response:
    try:
        amendments.merge_apply(session, user, paragraph_id, _merge_ids(amendment_ids), reason)
    except AppError as refusal:
        return _refused(request, session, user, paragraph_id, refusal)
    return _after_paragraph_form(request, session, user, paragraph_id, "")
