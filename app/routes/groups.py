"""Working groups: the home page, a group's page, members and documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import (
    ApiGroup,
    ApiGroupOrAdmin,
    ApiUser,
    PageGroup,
    PageGroupOrAdmin,
    PageUser,
    SessionDep,
    verify_csrf,
)
from app.fields import HandleInput, NameInput
from app.pages.forms import Refusal, see_other, submit
from app.permissions import Action
from app.queries import documents as document_queries
from app.queries import groups as group_queries
from app.queries.access import GroupAccess
from app.schemas.documents import DocumentOut, NewDocument
from app.schemas.groups import GroupDetailOut, GroupOut, MembershipIn, MembershipOut
from app.services import documents, groups
from app.templating import render

api = APIRouter(tags=["groups"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


@pages.get("/", name="home")
def home(request: Request, user: PageUser, session: SessionDep) -> Response:
    return render(request, "home.html", {"memberships": group_queries.groups_of(session, user)})


def _group_page(
    request: Request,
    session: SessionDep,
    access: GroupAccess,
    error: Refusal | None = None,
    new_document: dict[str, str] | None = None,
    new_member: dict[str, str] | None = None,
) -> Response:
    """The group's page; after a refusal, one of its forms with what was typed."""
    assert access.group.id is not None
    readable = access.membership is not None
    return render(
        request,
        "group.html",
        {
            "group": access.group,
            "access": access,
            "Action": Action,
            "documents": document_queries.documents_of_group(session, access.group.id)
            if readable
            else [],
            "members": group_queries.members_of(session, access.group.id),
            "error": error,
            "new_document": new_document or {},
            "new_member": new_member or {},
        },
    )


@pages.get("/groups/{slug}", name="group_page")
def group_page(request: Request, access: PageGroupOrAdmin, session: SessionDep) -> Response:
    return _group_page(request, session, access)


@pages.post("/groups/{slug}/documents", name="create_document_form")
def create_document_form(
    request: Request,
    access: PageGroup,
    session: SessionDep,
    title_de: Annotated[NameInput, Form()] = "",
    title_fr: Annotated[NameInput, Form()] = "",
) -> Response:
    return submit(
        request,
        lambda: documents.create_document(session, access, title_de, title_fr),
        then=lambda document: see_other(request, "document_page", document_id=document.id),
        show=lambda error: _group_page(
            request,
            session,
            access,
            error,
            new_document={"title_de": title_de, "title_fr": title_fr},
        ),
    )


@pages.post("/groups/{slug}/members", name="set_member_form")
def set_member_form(
    request: Request,
    access: PageGroupOrAdmin,
    session: SessionDep,
    username: Annotated[HandleInput, Form()],
    role: Annotated[str, Form()],
    government: Annotated[str, Form()] = "",
) -> Response:
    return submit(
        request,
        lambda: groups.set_member(
            session, access, username.strip().lower(), role, government or None
        ),
        then=lambda _membership: _back_to_members(request, access),
        show=lambda error: _group_page(
            request,
            session,
            access,
            error,
            new_member={"username": username, "role": role, "government": government},
        ),
    )


@pages.post("/groups/{slug}/members/{username}/remove", name="remove_member_form")
def remove_member_form(
    request: Request, username: str, access: PageGroupOrAdmin, session: SessionDep
) -> Response:
    return submit(
        request,
        lambda: groups.remove_member(session, access, username),
        then=lambda _: _back_to_members(request, access),
        show=lambda error: _group_page(request, session, access, error),
    )


def _back_to_members(request: Request, access: GroupAccess) -> Response:
    return see_other(request, "group_page", slug=access.group.slug, fragment="members")


@api.get("/groups")
def list_groups(user: ApiUser, session: SessionDep) -> list[GroupOut]:
    return [GroupOut.of(group, m) for group, m in group_queries.groups_of(session, user)]


@api.get("/groups/{slug}")
def get_group(access: ApiGroupOrAdmin, session: SessionDep) -> GroupDetailOut:
    assert access.group.id is not None
    return GroupDetailOut.of_access(access, group_queries.members_of(session, access.group.id))


@api.put("/groups/{slug}/members/{username}")
def set_member(
    username: str, body: MembershipIn, access: ApiGroupOrAdmin, session: SessionDep
) -> MembershipOut:
    membership = groups.set_member(session, access, username, body.role, body.government)
    return MembershipOut.of(access, username, membership)


@api.delete("/groups/{slug}/members/{username}", status_code=204)
def remove_member(username: str, access: ApiGroupOrAdmin, session: SessionDep) -> Response:
    groups.remove_member(session, access, username)
    return Response(status_code=204)


@api.post("/groups/{slug}/documents", status_code=201, tags=["documents"])
def create_document(body: NewDocument, access: ApiGroup, session: SessionDep) -> DocumentOut:
    document = documents.create_document(session, access, body.title_de, body.title_fr)
    return DocumentOut.of(document, access.group.slug)


@api.get("/groups/{slug}/documents", tags=["documents"])
def list_documents(access: ApiGroup, session: SessionDep) -> list[DocumentOut]:
    assert access.group.id is not None
    return [
        DocumentOut.of(document, access.group.slug)
        for document in document_queries.documents_of_group(session, access.group.id)
    ]
