"""Site administration: users and working groups (browser and API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import ApiUser, PageUser, SessionDep, verify_csrf
from app.errors import Forbidden
from app.fields import HandleInput, NameInput, PasswordInput, ShortNameInput
from app.models import User
from app.pages.forms import Refusal, see_other, submit
from app.queries import groups as group_queries
from app.schemas.accounts import NewUser, UserOut
from app.schemas.groups import GroupOut, NewGroup
from app.services import groups, users
from app.templating import render

api = APIRouter(tags=["admin"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


def _admin(user: User) -> User:
    if not user.is_admin:
        raise Forbidden("Only site administrators may do this.")
    return user


def _page_admin(user: PageUser) -> User:
    return _admin(user)


def _api_admin(user: ApiUser) -> User:
    return _admin(user)


PageAdmin = Annotated[User, Depends(_page_admin)]
ApiAdmin = Annotated[User, Depends(_api_admin)]


def _admin_page(
    request: Request,
    session: SessionDep,
    error: Refusal | None = None,
    new_user: dict[str, object] | None = None,
    new_group: dict[str, str] | None = None,
) -> Response:
    """The administration page; after a refusal, one of its forms with what was typed."""
    return render(
        request,
        "admin.html",
        {
            "users": group_queries.all_users(session),
            "groups": group_queries.all_groups(session),
            "error": error,
            "new_user": new_user or {},
            "new_group": new_group or {},
        },
    )


@pages.get("/admin", name="admin_page")
def admin_page(request: Request, _admin: PageAdmin, session: SessionDep) -> Response:
    return _admin_page(request, session)


@pages.post("/admin/users", name="admin_create_user")
def admin_create_user(
    request: Request,
    admin: PageAdmin,
    session: SessionDep,
    username: Annotated[HandleInput, Form()],
    display_name: Annotated[ShortNameInput, Form()],
    password: Annotated[PasswordInput, Form()],
    locale: Annotated[str, Form()] = "en",
    is_admin: Annotated[bool, Form()] = False,
) -> Response:
    return submit(
        request,
        lambda: users.create_user(
            session,
            admin,
            username=username,
            display_name=display_name,
            password=password,
            locale=locale,
            is_admin=is_admin,
        ),
        then=lambda _user: see_other(request, "admin_page"),
        # Everything typed but the password, which is not sent back into a page.
        show=lambda error: _admin_page(
            request,
            session,
            error,
            new_user={
                "username": username,
                "display_name": display_name,
                "locale": locale,
                "is_admin": is_admin,
            },
        ),
    )


@pages.post("/admin/groups", name="admin_create_group")
def admin_create_group(
    request: Request,
    admin: PageAdmin,
    session: SessionDep,
    slug: Annotated[HandleInput, Form()],
    name_de: Annotated[NameInput, Form()],
    name_fr: Annotated[NameInput, Form()],
) -> Response:
    return submit(
        request,
        lambda: groups.create_group(session, admin, slug=slug, name_de=name_de, name_fr=name_fr),
        then=lambda group: see_other(request, "group_page", slug=group.slug),
        show=lambda error: _admin_page(
            request,
            session,
            error,
            new_group={"slug": slug, "name_de": name_de, "name_fr": name_fr},
        ),
    )


@api.post("/users", status_code=201)
def create_user(body: NewUser, admin: ApiAdmin, session: SessionDep) -> UserOut:
    created = users.create_user(
        session,
        admin,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
        locale=body.locale,
        is_admin=body.is_admin,
    )
    return UserOut.model_validate(created)


@api.post("/groups", status_code=201, tags=["groups"])
def create_group(body: NewGroup, admin: ApiAdmin, session: SessionDep) -> GroupOut:
    group = groups.create_group(
        session, admin, slug=body.slug, name_de=body.name_de, name_fr=body.name_fr
    )
    return GroupOut.of(group)
