"""Site administration: users and working groups (browser and API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import ApiUser, PageUser, SessionDep, verify_csrf
from app.errors import AppError, Forbidden
from app.i18n import translate
from app.models import User
from app.queries import groups as group_queries
from app.schemas.accounts import NewUser, UserOut
from app.schemas.groups import GroupOut, NewGroup
from app.services import groups, users
from app.templating import render

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


def _require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("Only site administrators may do this.")


def _admin_page(
    request: Request, session: SessionDep, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "admin.html",
        {
            "users": group_queries.all_users(session),
            "groups": group_queries.all_groups(session),
            "error": error,
        },
        status_code=status,
    )


@pages.get("/admin", name="admin_page")
def admin_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    _require_admin(user)
    return _admin_page(request, session)


@pages.post("/admin/users", name="admin_create_user")
def admin_create_user(
    request: Request,
    user: PageUser,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    display_name: Annotated[str, Form(max_length=1000)],
    password: Annotated[str, Form(max_length=1024)],
    locale: Annotated[str, Form()] = "en",
    is_admin: Annotated[bool, Form()] = False,
) -> Response:
    _require_admin(user)
    try:
        users.create_user(
            session,
            user,
            username=username,
            display_name=display_name,
            password=password,
            locale=locale,
            is_admin=is_admin,
        )
    except AppError as refusal:
        return _admin_page(
            request, session, translate(refusal.template, refusal.params), refusal.status
        )
    return RedirectResponse("/admin", status_code=303)


@pages.post("/admin/groups", name="admin_create_group")
def admin_create_group(
    request: Request,
    user: PageUser,
    session: SessionDep,
    slug: Annotated[str, Form(max_length=200)],
    name_de: Annotated[str, Form(max_length=2000)],
    name_fr: Annotated[str, Form(max_length=2000)],
) -> Response:
    _require_admin(user)
    try:
        group = groups.create_group(session, user, slug=slug, name_de=name_de, name_fr=name_fr)
    except AppError as refusal:
        return _admin_page(
            request, session, translate(refusal.template, refusal.params), refusal.status
        )
    return RedirectResponse(f"/groups/{group.slug}", status_code=303)


@api.post("/users", status_code=201, tags=["admin"])
def create_user(body: NewUser, user: ApiUser, session: SessionDep) -> UserOut:
    _require_admin(user)
    created = users.create_user(
        session,
        user,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
        locale=body.locale,
        is_admin=body.is_admin,
    )
    return UserOut.of(created)


@api.post("/groups", status_code=201, tags=["groups"])
def create_group(body: NewGroup, user: ApiUser, session: SessionDep) -> GroupOut:
    _require_admin(user)
    group = groups.create_group(
        session, user, slug=body.slug, name_de=body.name_de, name_fr=body.name_fr
    )
    return GroupOut.of(group)
