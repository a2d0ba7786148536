"""The shared library of local initiatives: pages, CSV import and JSON API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ApiUser, PageUser, SessionDep, verify_csrf
from app.errors import PayloadTooLarge
from app.models import User
from app.pages.forms import Refusal, see_other, submit
from app.queries import initiatives as initiative_queries
from app.schemas.initiatives import InitiativeChanges, InitiativeForm, InitiativeOut, NewInitiative
from app.services import initiatives
from app.services.initiatives import ImportReport
from app.templating import render

api = APIRouter(tags=["initiatives"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

MAX_UPLOAD_BYTES = 2 * 1024 * 1024

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

Filter = Annotated[str, Query(max_length=200)]
_NO_FILTERS: dict[str, Any] = {"q": "", "country": "", "theme": "", "region": "", "since": None}


# --- pages: the library --------------------------------------------------------------


def _library_page(
    request: Request,
    session: Session,
    user: User,
    filters: dict[str, Any],
    *,
    error: Refusal | None = None,
    draft: dict[str, Any] | None = None,
) -> Response:
    initiatives.require_library(session, user)
    return render(
        request,
        "initiatives.html",
        {
            "initiatives": initiative_queries.list_initiatives(session, **filters),
            "themes": initiative_queries.all_themes(session),
            "filters": filters,
            "can_edit": initiatives.can_edit(session, user),
            "themes_of": initiative_queries.themes_of,
            "error": error,
            "draft": draft or {},
            "form_fields": FORM_FIELDS,
        },
    )


@pages.get("/initiatives", name="initiatives_page")
def initiatives_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    q: Filter = "",
    country: Annotated[str, Query(max_length=10)] = "",
    theme: Annotated[str, Query(max_length=100)] = "",
    region: Filter = "",
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


@pages.post("/initiatives", name="create_initiative_form")
def create_initiative_form(
    request: Request,
    user: PageUser,
    session: SessionDep,
    form: Annotated[InitiativeForm, Form()],
) -> Response:
    values = form.model_dump()
    return submit(
        request,
        lambda: initiatives.create(session, user, values),
        then=lambda initiative: see_other(request, "initiative_page", key=initiative.key),
        show=lambda error: _library_page(
            request, session, user, _NO_FILTERS, error=error, draft=values
        ),
    )


def _import_page(
    request: Request,
    *,
    report: ImportReport | None = None,
    csv_text: str = "",
    error: Refusal | None = None,
) -> Response:
    return render(
        request,
        "initiative_import.html",
        {"report": report, "csv_text": csv_text, "error": error, "columns": initiatives.FIELDS},
        status_code=422 if report and not report.ok else 200,
    )


@pages.get("/initiatives/import", name="initiative_import_page")
def initiative_import_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    initiatives.require_library(session, user, edit=True)
    return _import_page(request)


def _uploaded(file: UploadFile | None, csv_text: str) -> bytes | str:
    """The uploaded file, else the text a preview carried on."""
    if file is None or not file.filename:
        return csv_text
    content = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge("The file is larger than {maximum} bytes.", maximum=MAX_UPLOAD_BYTES)
    return content


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
    content = _uploaded(file, csv_text)

    def carried_on(report: ImportReport) -> str:
        if not (report.dry_run and report.ok):
            return ""
        if isinstance(content, bytes):
            return content.decode("utf-8-sig", errors="replace")
        return content

    return submit(
        request,
        lambda: initiatives.import_csv(session, user, content, dry_run=bool(dry_run)),
        then=lambda report: _import_page(request, report=report, csv_text=carried_on(report)),
        show=lambda error: _import_page(request, error=error),
    )


def _initiative_page(
    request: Request,
    session: Session,
    user: User,
    key: str,
    *,
    error: Refusal | None = None,
    draft: dict[str, Any] | None = None,
) -> Response:
    initiative = initiatives.get(session, user, key)
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
            "can_edit": initiatives.can_edit(session, user),
            "error": error,
            "draft": draft,
            "form_fields": FORM_FIELDS[1:],  # the key never changes
        },
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
    return submit(
        request,
        lambda: initiatives.update(session, user, key, values),
        then=lambda initiative: see_other(request, "initiative_page", key=initiative.key),
        show=lambda error: _initiative_page(request, session, user, key, error=error, draft=values),
    )


@pages.post("/initiatives/{key}/archive", name="archive_initiative_form")
def archive_initiative_form(
    request: Request, key: str, user: PageUser, session: SessionDep
) -> Response:
    return submit(
        request,
        lambda: initiatives.archive(session, user, key),
        then=lambda _initiative: see_other(request, "initiatives_page"),
        show=lambda error: _initiative_page(request, session, user, key, error=error),
    )


# --- JSON API ------------------------------------------------------------------------


@api.get("/initiatives")
def list_initiatives(
    user: ApiUser,
    session: SessionDep,
    q: Filter = "",
    country: Annotated[str, Query(max_length=10)] = "",
    theme: Annotated[str, Query(max_length=100)] = "",
    region: Filter = "",
    since: Annotated[int | None, Query(ge=0, le=9999)] = None,
) -> list[InitiativeOut]:
    initiatives.require_library(session, user)
    found = initiative_queries.list_initiatives(
        session, q=q, country=country, theme=theme, region=region, since=since
    )
    return [InitiativeOut.of(initiative) for initiative in found]


@api.post("/initiatives", status_code=201)
def create_initiative(body: NewInitiative, user: ApiUser, session: SessionDep) -> InitiativeOut:
    return InitiativeOut.of(initiatives.create(session, user, body.model_dump()))


@api.get("/initiatives/{key}")
def get_initiative(key: str, user: ApiUser, session: SessionDep) -> InitiativeOut:
    return InitiativeOut.of(initiatives.get(session, user, key))


@api.patch("/initiatives/{key}")
def update_initiative(
    key: str, body: InitiativeChanges, user: ApiUser, session: SessionDep
) -> InitiativeOut:
    changes = body.model_dump(exclude_unset=True)
    return InitiativeOut.of(initiatives.update(session, user, key, changes))


@api.post("/initiatives/{key}/archive")
def archive_initiative(key: str, user: ApiUser, session: SessionDep) -> InitiativeOut:
    return InitiativeOut.of(initiatives.archive(session, user, key))
