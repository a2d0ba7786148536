"""Evidence: links from paragraphs to initiatives, and a document's coverage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

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
from app.fields import EvidenceNoteInput, InitiativeKeyInput
from app.pages.document import paragraph_answer, paragraph_block
from app.pages.forms import submit
from app.queries import evidence as evidence_queries
from app.queries.evidence import LinkAccess
from app.schemas.evidence import CoverageOut, EvidenceLinkOut, NewEvidenceLink
from app.services import evidence
from app.templating import render

api = APIRouter(tags=["evidence"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


# The link of the path with its paragraph's access, loaded like app.deps loads a paragraph.
def _page_link(link_id: Id, user: PageUser, session: SessionDep) -> LinkAccess:
    return evidence_queries.link_for(session, user, link_id)


def _api_link(link_id: Id, user: ApiUser, session: SessionDep) -> LinkAccess:
    return evidence_queries.link_for(session, user, link_id)


PageLink = Annotated[LinkAccess, Depends(_page_link)]
ApiLink = Annotated[LinkAccess, Depends(_api_link)]


@pages.post("/paragraphs/{paragraph_id}/evidence", name="add_evidence_form")
def add_evidence_form(
    request: Request,
    para: PageParagraph,
    session: SessionDep,
    initiative_key: Annotated[InitiativeKeyInput, Form()] = "",
    note: Annotated[EvidenceNoteInput, Form()] = "",
) -> Response:
    paragraph_id = para.paragraph.id or 0
    return submit(
        request,
        lambda: evidence.add_link(session, para, initiative_key, note),
        then=lambda _link: paragraph_answer(request, session, para, paragraph_id),
        show=lambda error: paragraph_block(
            request,
            session,
            para,
            paragraph_id,
            evidence_error={
                "paragraph_id": paragraph_id,
                "message": error.message,
                "initiative_key": initiative_key,
                "note": note,
            },
        ),
    )


@pages.post("/evidence/{link_id}/remove", name="remove_evidence_form")
def remove_evidence_form(request: Request, found: PageLink, session: SessionDep) -> Response:
    paragraph_id = found.link.paragraph_id
    return submit(
        request,
        lambda: evidence.remove_link(session, found),
        then=lambda _link: paragraph_answer(request, session, found.paragraph, paragraph_id),
        show=lambda error: paragraph_block(
            request, session, found.paragraph, paragraph_id, error=error
        ),
    )


@pages.get("/documents/{document_id}/coverage", name="coverage_page")
def coverage_page(request: Request, doc: PageDocument, session: SessionDep) -> Response:
    return render(
        request,
        "coverage.html",
        {
            "document": doc.document,
            "group": doc.group,
            "coverage": evidence_queries.coverage(session, doc),
        },
    )


@api.get("/paragraphs/{paragraph_id}/evidence")
def list_evidence(para: ApiParagraph, session: SessionDep) -> list[EvidenceLinkOut]:
    links = evidence_queries.links_of_paragraph(session, para.paragraph.id or 0)
    return [EvidenceLinkOut.model_validate(link) for link in links]


@api.post("/paragraphs/{paragraph_id}/evidence", status_code=201)
def add_evidence(body: NewEvidenceLink, para: ApiParagraph, session: SessionDep) -> EvidenceLinkOut:
    link = evidence.add_link(session, para, body.initiative_key, body.note)
    return EvidenceLinkOut.model_validate(evidence_queries.link_view(session, link.id or 0))


@api.delete("/evidence/{link_id}", status_code=204)
def remove_evidence(found: ApiLink, session: SessionDep) -> Response:
    evidence.remove_link(session, found)
    return Response(status_code=204)


@api.get("/documents/{document_id}/evidence-coverage")
def evidence_coverage(doc: ApiDocument, session: SessionDep) -> CoverageOut:
    return CoverageOut.model_validate(evidence_queries.coverage(session, doc))
