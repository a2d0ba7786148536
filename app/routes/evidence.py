"""Evidence: the initiatives library (pages, API, CSV import), evidence links, coverage and
search."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.errors import AppError, Forbidden, NotFound, PayloadTooLarge
from app.i18n import translate
from app.models import EvidenceLink, Initiative, User
from app.pages.document import document_page_for, paragraph_response
from app.queries import access as access_queries
from app.queries import documents as document_queries
from app.queries import evidence as evidence_queries
from app.queries import initiatives as initiative_queries
from app.queries import search as search_queries
from app.services import evidence, initiatives
from app.templating import is_htmx, render

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
TEXT = 40_000


# --- JSON shapes -------------------------------------------------------------------------


class InitiativeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(max_length=200)
    name_de: str = Field(max_length=2000)
    name_fr: str = Field(max_length=2000)
    municipality: str = Field(max_length=1000)
    country: str = Field(max_length=50)
    region: str = Field(default="", max_length=1000)
    themes: list[str] | str = Field(default_factory=list)
    since: int | None = None
    summary_de: str = Field(default="", max_length=TEXT)
    summary_fr: str = Field(default="", max_length=TEXT)
    links: str = Field(default="", max_length=10_000)
    contact_notes: str = Field(default="", max_length=10_000)
    latitude: float | None = None
    longitude: float | None = None


class InitiativePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(default=None, max_length=200)
    name_de: str | None = Field(default=None, max_length=2000)
    name_fr: str | None = Field(default=None, max_length=2000)
    municipality: str | None = Field(default=None, max_length=1000)
    country: str | None = Field(default=None, max_length=50)
    region: str | None = Field(default=None, max_length=1000)
    themes: list[str] | str | None = None
    since: int | None = None
    summary_de: str | None = Field(default=None, max_length=TEXT)
    summary_fr: str | None = Field(default=None, max_length=TEXT)
    links: str | None = Field(default=None, max_length=10_000)
    contact_notes: str | None = Field(default=None, max_length=10_000)
    latitude: float | None = None
    longitude: float | None = None


class InitiativeOut(BaseModel):
    key: str
    name_de: str
    name_fr: str
    municipality: str
    country: str
    region: str
    themes: list[str]
    since: int | None
    summary_de: str
    summary_fr: str
    links: list[str]
    contact_notes: str
    latitude: float | None
    longitude: float | None
    archived: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, initiative: Initiative) -> InitiativeOut:
        return cls(
            **{name: getattr(initiative, name) for name in initiatives.FIELDS}
            | {
                "themes": initiative_queries.themes_of(initiative),
                "links": initiative_queries.links_of(initiative),
                "archived": initiative.archived_at is not None,
                "created_at": initiative.created_at,
                "updated_at": initiative.updated_at,
            }
        )


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    initiative_key: str = Field(max_length=200)
    note: str = Field(default="", max_length=10_000)


class EvidenceOut(BaseModel):
    id: int
    paragraph_id: int
    initiative_key: str
    country: str
    note: str
    author: str
    created_at: datetime

    @classmethod
    def of(cls, link: evidence_queries.LinkView) -> EvidenceOut:
        return cls(
            id=link.id,
            paragraph_id=link.paragraph_id,
            initiative_key=link.initiative_key,
            country=link.country,
            note=link.note,
            author=link.author,
            created_at=link.created_at,
        )


class CitedOut(BaseModel):
    key: str
    count: int


class CoverageOut(BaseModel):
    recommendations: int
    with_evidence: int
    without: list[int]
    per_country: dict[int, dict[str, int]]
    least_cited: list[CitedOut]


class SearchHitOut(BaseModel):
    kind: str
    id: int
    title: str
    snippet: str
    snippet_html: str
    url: str
    lang: str | None
    group: str | None
    document_id: int | None
    paragraph_id: int | None


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]


# --- helpers -----------------------------------------------------------------------------


def _initiative(session: Session, user: User, key: str) -> Initiative:
    initiatives.require_library(session, user)
    initiative = initiatives.by_key(session, key)
    if initiative is None:
        raise NotFound("There is no initiative {key}.", key=key[:100])
    return initiative


def _can_edit(session: Session, user: User) -> bool:
    try:
        initiatives.require_library(session, user, edit=True)
    except Forbidden:
        return False
    return True


def _coverage(session: Session, user: User, document_id: int) -> tuple[Any, Any]:
    access = access_queries.document_for(session, user, document_id)
    assert access.document.id is not None
    paragraphs = document_queries.paragraphs_of(session, access.document.id)
    return access, evidence_queries.coverage(session, access.document.id, paragraphs)


def _search_query(q: str) -> str:
    return q.replace("\x00", "")[:500]


# The create and edit forms: field, label (translated in the template) and kind.
FORM_FIELDS = [
    ("key", "Key (letters a-z, digits, '-')", "required"),
    ("name_de", "Name (German)", "required"),
    ("name_fr", "Name (French)", "required"),
    ("municipality", "Municipality", "required"),
    ("country", "Country (DE, FR, …)", "required"),
    ("region", "Region", "line"),
    ("themes", "Themes (separated by ;)", "line"),
    ("since", "Since (year)", "line"),
    ("summary_de", "Summary (German)", "area"),
    ("summary_fr", "Summary (French)", "area"),
    ("links", "Links (http(s), one per line)", "area"),
    ("contact_notes", "Contact notes", "area"),
    ("latitude", "Latitude", "line"),
    ("longitude", "Longitude", "line"),
]


# --- pages: the library ------------------------------------------------------------------


def _library_page(
    request: Request,
    session: Session,
    user: User,
    filters: dict[str, Any],
    *,
    error: str | None = None,
    draft: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    initiatives.require_library(session, user)
    return render(
        request,
        "initiatives.html",
        {
            "initiatives": initiative_queries.list_initiatives(session, **filters),
            "themes": initiative_queries.all_themes(session),
            "filters": filters,
            "can_edit": _can_edit(session, user),
            "themes_of": initiative_queries.themes_of,
            "error": error,
            "draft": draft or {},
            "form_fields": FORM_FIELDS,
        },
        status_code=status,
    )


@pages.get("/initiatives", name="initiatives_page")
def initiatives_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    country: Annotated[str, Query(max_length=10)] = "",
    theme: Annotated[str, Query(max_length=100)] = "",
    region: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    filters = {
        "q": q,
        "country": country,
        "theme": theme,
        "region": region,
        "since": int(since) if since.strip().isdigit() else None,
    }
    return _library_page(request, session, user, filters)


class InitiativeForm(BaseModel):
    """The create and edit forms: every field a string, as browsers send them."""

    key: str = Field(default="", max_length=200)
    name_de: str = Field(default="", max_length=2000)
    name_fr: str = Field(default="", max_length=2000)
    municipality: str = Field(default="", max_length=1000)
    country: str = Field(default="", max_length=50)
    region: str = Field(default="", max_length=1000)
    themes: str = Field(default="", max_length=2000)
    since: str = Field(default="", max_length=20)
    summary_de: str = Field(default="", max_length=TEXT)
    summary_fr: str = Field(default="", max_length=TEXT)
    links: str = Field(default="", max_length=10_000)
    contact_notes: str = Field(default="", max_length=10_000)
    latitude: str = Field(default="", max_length=50)
    longitude: str = Field(default="", max_length=50)


_NO_FILTERS: dict[str, Any] = {"q": "", "country": "", "theme": "", "region": "", "since": None}


@pages.post("/initiatives", name="create_initiative_form")
def create_initiative_form(
    request: Request,
    user: PageUser,
    session: SessionDep,
    form: Annotated[InitiativeForm, Form()],
) -> Response:
    values = form.model_dump()
    try:
        initiative = initiatives.create(session, user, values)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        message = translate(refusal.template, refusal.params)
        return _library_page(
            request, session, user, _NO_FILTERS, error=message, draft=values, status=refusal.status
        )
    return RedirectResponse(f"/initiatives/{initiative.key}", status_code=303)


@pages.get("/initiatives/import", name="initiative_import_page")
def initiative_import_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    initiatives.require_library(session, user, edit=True)
    return render(
        request,
        "initiative_import.html",
        {"report": None, "csv_text": "", "error": None, "columns": initiatives.FIELDS},
    )


@pages.post("/initiatives/import", name="import_initiatives_form")
def import_initiatives_form(
    request: Request,
    user: PageUser,
    session: SessionDep,
    file: Annotated[UploadFile | None, File()] = None,
    csv_text: Annotated[str, Form(max_length=MAX_UPLOAD_BYTES)] = "",
    dry_run: Annotated[str, Form()] = "",
) -> Response:
    """Preview (dry run) or import; the preview page carries the text on to the import."""
    content: bytes | str = csv_text
    if file is not None and file.filename:
        content = file.file.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise PayloadTooLarge(
                "The file is larger than {maximum} bytes.", maximum=MAX_UPLOAD_BYTES
            )
    error = None
    report = None
    try:
        report = initiatives.import_csv(session, user, content, dry_run=bool(dry_run))
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        error = translate(refusal.template, refusal.params)
    text = content.decode("utf-8-sig", errors="replace") if isinstance(content, bytes) else content
    return render(
        request,
        "initiative_import.html",
        {
            "report": report,
            "csv_text": text if report and report.dry_run and report.ok else "",
            "error": error,
            "columns": initiatives.FIELDS,
        },
        status_code=422 if error or (report and not report.ok) else 200,
    )


def _initiative_page(
    request: Request,
    session: Session,
    user: User,
    key: str,
    *,
    error: str | None = None,
    draft: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    initiative = _initiative(session, user, key)
    assert initiative.id is not None
    return render(
        request,
        "initiative.html",
        {
            "initiative": initiative,
            "themes": initiative_queries.themes_of(initiative),
            "links": initiative_queries.links_of(initiative),
            "citations": initiative_queries.citations(session, user, initiative.id),
            "revisions": initiative_queries.revision_count(session, initiative.id),
            "can_edit": _can_edit(session, user),
            "error": error,
            "draft": draft,
            "form_fields": FORM_FIELDS[1:],
        },
        status_code=status,
    )


@pages.get("/initiatives/{key}", name="initiative_page")
def initiative_page(request: Request, key: str, user: PageUser, session: SessionDep) -> Response:
    return _initiative_page(request, session, user, key)


@pages.post("/initiatives/{key}", name="edit_initiative_form")
def edit_initiative_form(
    request: Request,
    key: str,
    user: PageUser,
    session: SessionDep,
    form: Annotated[InitiativeForm, Form()],
) -> Response:
    values: dict[str, object] = form.model_dump(exclude={"key"})
    try:
        initiative = initiatives.update(session, user, key, values)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        message = translate(refusal.template, refusal.params)
        return _initiative_page(
            request, session, user, key, error=message, draft=values, status=refusal.status
        )
    return RedirectResponse(f"/initiatives/{initiative.key}", status_code=303)


@pages.post("/initiatives/{key}/archive", name="archive_initiative_form")
def archive_initiative_form(key: str, user: PageUser, session: SessionDep) -> Response:
    initiatives.archive(session, user, key)
    return RedirectResponse("/initiatives", status_code=303)


# --- pages: evidence links, coverage, search ---------------------------------------------


def _after_link_change(
    request: Request, session: Session, user: User, paragraph_id: int, **extra: Any
) -> Response:
    if is_htmx(request):
        return paragraph_response(request, session, user, paragraph_id, **extra)
    access, _ = access_queries.paragraph_for(session, user, paragraph_id)
    if extra:
        return document_page_for(
            request, session, user, access.document.id or 0, status_code=422, **extra
        )
    return RedirectResponse(f"/documents/{access.document.id}#p-{paragraph_id}", 303)


@pages.post("/paragraphs/{paragraph_id}/evidence", name="add_evidence_form")
def add_evidence_form(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    initiative_key: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    try:
        evidence.add_link(session, user, paragraph_id, initiative_key, note)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        failed = {
            "paragraph_id": paragraph_id,
            "message": translate(refusal.template, refusal.params),
            "initiative_key": initiative_key,
            "note": note,
        }
        response = _after_link_change(request, session, user, paragraph_id, evidence_error=failed)
        response.status_code = 422 if not is_htmx(request) else response.status_code
        return response
    return _after_link_change(request, session, user, paragraph_id)


@pages.post("/evidence/{link_id}/remove", name="remove_evidence_form")
def remove_evidence_form(
    request: Request, link_id: Id, user: PageUser, session: SessionDep
) -> Response:
    link = evidence.remove_link(session, user, link_id)
    return _after_link_change(request, session, user, link.paragraph_id)


@pages.get("/documents/{document_id}/coverage", name="coverage_page")
def coverage_page(
    request: Request, document_id: Id, user: PageUser, session: SessionDep
) -> Response:
    access, coverage = _coverage(session, user, document_id)
    return render(
        request,
        "coverage.html",
        {"document": access.document, "group": access.group, "coverage": coverage},
    )


@pages.get("/search", name="search_page")
def search_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    query = _search_query(q)
    hits = search_queries.search(session, user, query) if query.strip() else []
    return render(request, "search.html", {"q": query, "hits": hits, "kinds": search_queries.KINDS})


# --- JSON API ----------------------------------------------------------------------------


@api.get("/initiatives", tags=["initiatives"])
def list_initiatives(
    user: ApiUser,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    country: Annotated[str, Query(max_length=10)] = "",
    theme: Annotated[str, Query(max_length=100)] = "",
    region: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[int | None, Query(ge=0, le=9999)] = None,
) -> list[InitiativeOut]:
    initiatives.require_library(session, user)
    found = initiative_queries.list_initiatives(
        session, q=q, country=country, theme=theme, region=region, since=since
    )
    return [InitiativeOut.of(initiative) for initiative in found]


@api.post("/initiatives", status_code=201, tags=["initiatives"])
def create_initiative(body: InitiativeIn, user: ApiUser, session: SessionDep) -> InitiativeOut:
    return InitiativeOut.of(initiatives.create(session, user, body.model_dump()))


@api.get("/initiatives/{key}", tags=["initiatives"])
def get_initiative(key: str, user: ApiUser, session: SessionDep) -> InitiativeOut:
    return InitiativeOut.of(_initiative(session, user, key))


@api.patch("/initiatives/{key}", tags=["initiatives"])
def update_initiative(
    key: str, body: InitiativePatch, user: ApiUser, session: SessionDep
) -> InitiativeOut:
    changes = body.model_dump(exclude_unset=True)
    return InitiativeOut.of(initiatives.update(session, user, key, changes))


@api.post("/initiatives/{key}/archive", tags=["initiatives"])
def archive_initiative(key: str, user: ApiUser, session: SessionDep) -> InitiativeOut:
    return InitiativeOut.of(initiatives.archive(session, user, key))


@api.get("/paragraphs/{paragraph_id}/evidence", tags=["evidence"])
def list_evidence(paragraph_id: Id, user: ApiUser, session: SessionDep) -> list[EvidenceOut]:
    access_queries.paragraph_for(session, user, paragraph_id)
    links = evidence_queries.links_of_paragraph(session, paragraph_id)
    return [EvidenceOut.of(link) for link in links]


@api.post("/paragraphs/{paragraph_id}/evidence", status_code=201, tags=["evidence"])
def add_evidence(
    paragraph_id: Id, body: EvidenceIn, user: ApiUser, session: SessionDep
) -> EvidenceOut:
    link: EvidenceLink = evidence.add_link(
        session, user, paragraph_id, body.initiative_key, body.note
    )
    view = next(
        v for v in evidence_queries.links_of_paragraph(session, paragraph_id) if v.id == link.id
    )
    return EvidenceOut.of(view)


@api.delete("/evidence/{link_id}", status_code=204, tags=["evidence"])
def remove_evidence(link_id: Id, user: ApiUser, session: SessionDep) -> Response:
    evidence.remove_link(session, user, link_id)
    return Response(status_code=204)


@api.get("/documents/{document_id}/evidence-coverage", tags=["evidence"])
def evidence_coverage(document_id: Id, user: ApiUser, session: SessionDep) -> CoverageOut:
    _, coverage = _coverage(session, user, document_id)
    return CoverageOut(
        recommendations=coverage.recommendations,
        with_evidence=coverage.with_evidence,
        without=coverage.without,
        per_country=coverage.per_country,
        least_cited=[CitedOut(key=key, count=count) for key, count in coverage.least_cited],
    )


@api.get("/search", tags=["search"])
def search(
    user: ApiUser, session: SessionDep, q: Annotated[str, Query(max_length=500)] = ""
) -> SearchOut:
    query = _search_query(q)
    hits = search_queries.search(session, user, query)
    return SearchOut(
        query=query,
        hits=[
            SearchHitOut(
                kind=hit.kind,
                id=hit.id,
                title=hit.title,
                snippet=hit.snippet,
                snippet_html=str(hit.snippet_html),
                url=hit.url,
                lang=hit.lang,
                group=hit.group,
                document_id=hit.document_id,
                paragraph_id=hit.paragraph_id,
            )
            for hit in hits
        ],
    )
