"""The government review: HTML pages and JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ApiDocument, PageDocument, SessionDep, verify_csrf
from app.fields import NoteInput, PositiveId
from app.pages.document import document_frame
from app.pages.forms import Refusal, see_other, submit
from app.queries import versions as version_queries
from app.queries.access import DocumentAccess
from app.schemas.reviews import NewReview, ReviewOut, ReviewResultOut
from app.services import reviews
from app.templating import render
from drafting.compare import Change

api = APIRouter(tags=["reviews"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


@api.post("/documents/{document_id}/reviews", status_code=201)
def submit_review(body: NewReview, doc: ApiDocument, session: SessionDep) -> ReviewResultOut:
    outcome = reviews.submit(session, doc, body.version, body.decision, body.comment)
    return ReviewResultOut.of(outcome, doc)


@api.get("/documents/{document_id}/reviews")
def list_reviews(doc: ApiDocument, session: SessionDep) -> list[ReviewOut]:
    assert doc.document.id is not None
    found = version_queries.reviews_of(session, doc.document.id)
    return [ReviewOut.model_validate(view) for view in found]


def _review_page(
    request: Request,
    session: Session,
    doc: DocumentAccess,
    *,
    notice: str | None = None,
    typed: dict[str, str] | None = None,
    error: Refusal | None = None,
) -> Response:
    state = version_queries.review_state(session, doc)
    return render(
        request,
        "review.html",
        document_frame(doc)
        | {
            "Change": Change,
            "error": error,
            "notice": notice,
            "typed": typed or {"decision": "", "comment": ""},
        }
        | vars(state),
    )


@pages.get("/documents/{document_id}/review", name="review_page")
def review_page(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    # After a decision the page thanks the liaison for it (?done=<decision>).
    notice = done if done in reviews.DECISIONS else None
    return _review_page(request, session, doc, notice=notice)


@pages.post("/documents/{document_id}/reviews", name="review_form")
def review_form(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    version: Annotated[PositiveId, Form()],
    decision: Annotated[str, Form(max_length=40)] = "",
    comment: Annotated[NoteInput, Form()] = "",
) -> Response:
    return submit(
        request,
        lambda: reviews.submit(session, doc, version, decision, comment),
        then=lambda _outcome: see_other(
            request, "review_page", document_id=doc.document.id, query={"done": decision}
        ),
        show=lambda error: _review_page(
            request, session, doc, typed={"decision": decision, "comment": comment}, error=error
        ),
    )
