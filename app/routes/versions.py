"""Versions and their comparison: HTML pages and JSON API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ApiDocument, Id, PageDocument, SessionDep, verify_csrf
from app.errors import ValidationFailed
from app.fields import NameInput
from app.pages.document import document_frame
from app.pages.forms import Refusal, see_other, submit
from app.queries import versions as version_queries
from app.queries.access import DocumentAccess
from app.schemas.versions import ComparisonOut, NewVersion, VersionDetailOut, VersionOut
from app.services import versions
from app.templating import render
from drafting.compare import Change, summary

api = APIRouter(tags=["versions"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

VersionParam = Annotated[str | None, Query(max_length=30)]
FromParam = Annotated[str | None, Query(alias="from", max_length=30)]


# --- JSON API ---------------------------------------------------------------------------


@api.post("/documents/{document_id}/versions", status_code=201)
def create_version(body: NewVersion, doc: ApiDocument, session: SessionDep) -> VersionOut:
    version = versions.create_version(session, doc, body.label)
    assert version.id is not None
    return VersionOut.of(version, version_queries.version_paragraph_rows(session, version.id))


@api.get("/documents/{document_id}/versions")
def list_versions(doc: ApiDocument, session: SessionDep) -> list[VersionOut]:
    assert doc.document.id is not None
    found = version_queries.versions_of(session, doc.document.id)
    rows = version_queries.version_paragraph_rows_of_document(session, doc.document.id)
    return [VersionOut.of(version, rows.get(version.id or 0, [])) for version in found]


@api.get("/documents/{document_id}/versions/{number}")
def get_version(doc: ApiDocument, number: Id, session: SessionDep) -> VersionDetailOut:
    assert doc.document.id is not None
    return VersionDetailOut.of(version_queries.snapshot(session, doc.document.id, number))


@api.get("/documents/{document_id}/compare")
def compare_versions(
    doc: ApiDocument, session: SessionDep, from_: FromParam = None, to: VersionParam = None
) -> list[ComparisonOut]:
    assert doc.document.id is not None
    if from_ is None:
        raise ValidationFailed(
            "Say which version to compare from: ?from=<number>.", details={"field": "from"}
        )
    found = version_queries.comparison(
        session,
        doc.document.id,
        version_queries.parse_version(from_, "from"),
        version_queries.parse_version(to, "to"),
    )
    return [ComparisonOut.model_validate(entry) for entry in found.entries]


# --- Pages ----------------------------------------------------------------------------


def _document_context(doc: DocumentAccess, **extra: Any) -> dict[str, Any]:
    return document_frame(doc) | {"error": None} | extra


def _versions_page(
    request: Request,
    session: Session,
    doc: DocumentAccess,
    *,
    label: str = "",
    error: Refusal | None = None,
) -> Response:
    assert doc.document.id is not None
    return render(
        request,
        "versions.html",
        _document_context(
            doc,
            versions=version_queries.versions_of(session, doc.document.id),
            reviews=version_queries.reviews_of(session, doc.document.id),
            error=error,
            label=label,
        ),
    )


@pages.get("/documents/{document_id}/versions", name="versions_page")
def versions_page(request: Request, doc: PageDocument, session: SessionDep) -> Response:
    return _versions_page(request, session, doc)


@pages.post("/documents/{document_id}/versions", name="create_version_form")
def create_version_form(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    label: Annotated[NameInput, Form()] = "",
) -> Response:
    return submit(
        request,
        lambda: versions.create_version(session, doc, label),
        then=lambda version: see_other(
            request, "version_page", document_id=doc.document.id, number=version.number
        ),
        show=lambda error: _versions_page(request, session, doc, label=label, error=error),
    )


@pages.get("/documents/{document_id}/versions/{number}", name="version_page")
def version_page(request: Request, doc: PageDocument, number: Id, session: SessionDep) -> Response:
    assert doc.document.id is not None
    snapshot = version_queries.snapshot(session, doc.document.id, number)
    return render(
        request,
        "version.html",
        _document_context(doc, snapshot=snapshot, has_previous=number > 1),
    )


@pages.get("/documents/{document_id}/compare", name="compare_page")
def compare_page(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    from_: FromParam = None,
    to: VersionParam = None,
    changes: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    assert doc.document.id is not None
    found = version_queries.versions_of(session, doc.document.id)
    from_number = version_queries.parse_version(from_, "from")
    to_number = version_queries.parse_version(to, "to")
    if from_ is None and found:
        # Default: what changed since the latest version.
        from_number = found[0].number
    compared = None
    if found or from_number is not None:
        compared = version_queries.comparison(session, doc.document.id, from_number, to_number)
    entries = compared.entries if compared else []
    only_changes = changes == "only"
    return render(
        request,
        "compare.html",
        _document_context(
            doc,
            versions=found,
            old=compared.old if compared else None,
            new=compared.new if compared else None,
            entries=[entry for entry in entries if entry.is_change] if only_changes else entries,
            counts=summary(entries),
            only_changes=only_changes,
            from_number=from_number,
            to_number=to_number,
            Change=Change,
        ),
        block="comparison",
    )
