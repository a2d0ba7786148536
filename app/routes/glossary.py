"""A working group's glossary, and the glossary check of a paragraph: HTML pages and JSON
API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ApiGroup, ApiParagraph, Id, PageGroup, SessionDep, verify_csrf
from app.fields import NoteInput, ShortNameInput
from app.pages.forms import Refusal, see_other, submit
from app.permissions import Action
from app.queries import glossary as glossary_queries
from app.queries.access import GroupAccess
from app.schemas.glossary import (
    GlossaryCheckOut,
    GlossaryTermIn,
    GlossaryTermOut,
    GlossaryWarningOut,
)
from app.services import glossary
from app.templating import render

api = APIRouter(tags=["glossary"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


# --- JSON API ---------------------------------------------------------------------------


@api.get("/paragraphs/{paragraph_id}/glossary-check")
def glossary_check(para: ApiParagraph, session: SessionDep) -> GlossaryCheckOut:
    warnings = glossary_queries.check_paragraph(session, para)
    return GlossaryCheckOut(warnings=[GlossaryWarningOut.model_validate(w) for w in warnings])


@api.get("/groups/{slug}/glossary")
def list_glossary(group: ApiGroup, session: SessionDep) -> list[GlossaryTermOut]:
    assert group.group.id is not None
    return [
        GlossaryTermOut.model_validate(term)
        for term in glossary_queries.terms_of(session, group.group.id)
    ]


@api.post("/groups/{slug}/glossary", status_code=201)
def add_glossary_term(
    body: GlossaryTermIn, group: ApiGroup, session: SessionDep
) -> GlossaryTermOut:
    term = glossary.add_term(session, group, **body.model_dump())
    return GlossaryTermOut.model_validate(term)


@api.patch("/groups/{slug}/glossary/{term_id}")
def edit_glossary_term(
    term_id: Id, body: GlossaryTermIn, group: ApiGroup, session: SessionDep
) -> GlossaryTermOut:
    term = glossary.update_term(session, group, term_id, **body.model_dump())
    return GlossaryTermOut.model_validate(term)


@api.delete("/groups/{slug}/glossary/{term_id}", status_code=204)
def delete_glossary_term(term_id: Id, group: ApiGroup, session: SessionDep) -> Response:
    glossary.delete_term(session, group, term_id)
    return Response(status_code=204)


# --- Pages ------------------------------------------------------------------------------

# Empty term fields reach the service, whose refusal is shown beside what was typed.
TermField = Annotated[ShortNameInput, Form()]
NoteField = Annotated[NoteInput, Form()]
FalseFriendField = Annotated[bool, Form()]


def _typed_term(
    term_de: TermField = "",
    term_fr: TermField = "",
    note: NoteField = "",
    false_friend: FalseFriendField = False,
) -> dict[str, Any]:
    """The term form's fields: the service's arguments, and what a refusal shows again."""
    return {"term_de": term_de, "term_fr": term_fr, "note": note, "false_friend": false_friend}


TypedTerm = Annotated[dict[str, Any], Depends(_typed_term)]


def _glossary_page(
    request: Request,
    session: Session,
    group: GroupAccess,
    *,
    error: Refusal | None = None,
    draft: dict[str, Any] | None = None,
) -> Response:
    assert group.group.id is not None
    return render(
        request,
        "glossary.html",
        {
            "group": group.group,
            "access": group,
            "Action": Action,
            "terms": glossary_queries.terms_of(session, group.group.id),
            "error": error,
            "draft": draft,
        },
    )


@pages.get("/groups/{slug}/glossary", name="glossary_page")
def glossary_page(request: Request, group: PageGroup, session: SessionDep) -> Response:
    return _glossary_page(request, session, group)


@pages.post("/groups/{slug}/glossary", name="add_glossary_term_form")
def add_glossary_term_form(
    request: Request,
    group: PageGroup,
    session: SessionDep,
    typed: TypedTerm,
) -> Response:
    return submit(
        request,
        lambda: glossary.add_term(session, group, **typed),
        then=lambda _term: see_other(request, "glossary_page", slug=group.group.slug),
        show=lambda error: _glossary_page(
            request, session, group, error=error, draft=typed | {"id": None}
        ),
    )


@pages.post("/groups/{slug}/glossary/{term_id}", name="edit_glossary_term_form")
def edit_glossary_term_form(
    request: Request,
    term_id: Id,
    group: PageGroup,
    session: SessionDep,
    typed: TypedTerm,
) -> Response:
    return submit(
        request,
        lambda: glossary.update_term(session, group, term_id, **typed),
        then=lambda _term: see_other(
            request, "glossary_page", slug=group.group.slug, fragment=f"term-{term_id}"
        ),
        show=lambda error: _glossary_page(
            request, session, group, error=error, draft=typed | {"id": term_id}
        ),
    )


@pages.post("/groups/{slug}/glossary/{term_id}/delete", name="delete_glossary_term_form")
def delete_glossary_term_form(
    request: Request, term_id: Id, group: PageGroup, session: SessionDep
) -> Response:
    return submit(
        request,
        lambda: glossary.delete_term(session, group, term_id),
        then=lambda _none: see_other(request, "glossary_page", slug=group.group.slug),
        show=lambda error: _glossary_page(request, session, group, error=error),
    )
