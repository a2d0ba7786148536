"""A working group's audit log: HTML page, CSV download and JSON API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, NamedTuple

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ApiGroup, PageGroup, SessionDep, requires, verify_csrf
from app.pages.forms import Refusal, submit
from app.permissions import Action
from app.queries import audit as audit_queries
from app.queries.access import GroupAccess
from app.queries.audit import AuditFilter
from app.schemas.audit import AuditEntryOut
from app.templating import render

api = APIRouter(tags=["audit"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

AuditText = Annotated[str | None, Query(max_length=64)]
ViewAuditPage = requires(Action.VIEW_AUDIT, PageGroup)
ViewAuditApi = requires(Action.VIEW_AUDIT, ApiGroup)


class FilterText(NamedTuple):
    """The page's filter as typed: action, actor, since, until (dates not yet read)."""

    action: str | None
    actor: str | None
    since: str | None
    until: str | None


def _filter_text(
    action: AuditText = None,
    actor: AuditText = None,
    since: AuditText = None,
    until: AuditText = None,
) -> FilterText:
    return FilterText(action, actor, since, until)


# The page and its CSV download read the same filter form.
TypedFilter = Annotated[FilterText, Depends(_filter_text)]


@api.get("/groups/{slug}/audit", dependencies=[ViewAuditApi])
def group_audit(
    group: ApiGroup,
    session: SessionDep,
    action: AuditText = None,
    actor: AuditText = None,
    since: date | None = None,
    until: date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AuditEntryOut]:
    assert group.group.id is not None
    found = audit_queries.entries(
        session,
        group.group.id,
        AuditFilter.of(action, actor, since, until),
        limit=limit,
        offset=offset,
    )
    return [AuditEntryOut.model_validate(entry) for entry in found]


def _audit_page(
    request: Request,
    session: Session,
    group: GroupAccess,
    filters: AuditFilter,
    page: int,
    error: Refusal | None = None,
) -> Response:
    assert group.group.id is not None
    size = audit_queries.PAGE_SIZE
    found = audit_queries.entries(
        session, group.group.id, filters, limit=size + 1, offset=(page - 1) * size
    )
    return render(
        request,
        "audit.html",
        {
            "group": group.group,
            "access": group,
            "entries": found[:size],
            "has_more": len(found) > size,
            "page": page,
            "actions": audit_queries.actions_of(session, group.group.id),
            "filters": filters.as_query(),
            "error": error,
        },
    )


@pages.get("/groups/{slug}/audit", name="audit_page", dependencies=[ViewAuditPage])
def audit_page(
    request: Request,
    group: PageGroup,
    session: SessionDep,
    typed: TypedFilter,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    # A filter the page cannot read shows every entry, with the reason, instead of failing.
    return submit(
        request,
        lambda: AuditFilter.of_text(*typed),
        then=lambda filters: _audit_page(request, session, group, filters, page),
        show=lambda error: _audit_page(request, session, group, AuditFilter(), page, error),
    )


@pages.get("/groups/{slug}/audit.csv", name="audit_csv", dependencies=[ViewAuditPage])
def audit_csv(
    group: PageGroup,
    session: SessionDep,
    typed: TypedFilter,
) -> Response:
    assert group.group.id is not None
    found = audit_queries.entries(
        session,
        group.group.id,
        AuditFilter.of_text(*typed),
        limit=audit_queries.MAX_ROWS,
    )
    return Response(
        content="\ufeff" + audit_queries.as_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{group.group.slug}.csv"'},
    )
