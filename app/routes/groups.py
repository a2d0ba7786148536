"""Working groups: the home page, a group's page, members and documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import ApiUser, PageUser, SessionDep, verify_csrf
from app.errors import AppError
from app.i18n import translate
from app.permissions import Action
from app.queries import access as access_queries
from app.queries import documents as document_queries
from app.queries import groups as group_queries
from app.queries.access import GroupAccess
from app.schemas.documents import DocumentOut, NewDocument
from app.schemas.groups import GroupDetailOut, GroupOut, MemberOut, MembershipIn, MembershipOut
from app.services import documents, groups
from app.templating import render

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


@pages.get("/", name="home")
def home(request: Request, user: PageUser, session: SessionDep) -> Response:
    return render(request, "home.html", {"memberships": group_queries.groups_of(session, user)})


def _group_page(
    request: Request,
    session: SessionDep,
    access: GroupAccess,
    error: str | None = None,
    status: int = 200,
) -> Response:
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
        },
        status_code=status,
    )


@pages.get("/groups/{slug}", name="group_page")
def group_page(request: Request, slug: str, user: PageUser, session: SessionDep) -> Response:
    return _group_page(
        request, session, access_queries.group_for(session, user, slug, admin_ok=True)
    )


@pages.post("/groups/{slug}/documents", name="create_document_form")
def create_document_form(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    title_de: Annotated[str, Form(max_length=2000)],
    title_fr: Annotated[str, Form(max_length=2000)],
) -> Response:
    access = access_queries.group_for(session, user, slug)
    try:
        document = documents.create_document(session, access, title_de, title_fr)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        return _group_page(
            request, session, access, translate(refusal.template, refusal.params), refusal.status
        )
    return RedirectResponse(f"/documents/{document.id}", status_code=303)


@pages.post("/groups/{slug}/members", name="set_member_form")
def set_member_form(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form()],
    government: Annotated[str, Form()] = "",
) -> Response:
    access = access_queries.group_for(session, user, slug, admin_ok=True)
    try:
        groups.set_member(session, access, username.strip().lower(), role, government or None)
    except AppError as refusal:
        if refusal.status == 403:
            raise
        return _group_page(
            request, session, access, translate(refusal.template, refusal.params), refusal.status
        )
    return RedirectResponse(f"/groups/{slug}#members", status_code=303)


@pages.post("/groups/{slug}/members/{username}/remove", name="remove_member_form")
def remove_member_form(slug: str, username: str, user: PageUser, session: SessionDep) -> Response:
    access = access_queries.group_for(session, user, slug, admin_ok=True)
    groups.remove_member(session, access, username)
    return RedirectResponse(f"/groups/{slug}#members", status_code=303)


@api.get("/groups", tags=["groups"])
def list_groups(user: ApiUser, session: SessionDep) -> list[GroupOut]:
    return [GroupOut.of(group, m) for group, m in group_queries.groups_of(session, user)]


@api.get("/groups/{slug}", tags=["groups"])
def get_group(slug: str, user: ApiUser, session: SessionDep) -> GroupDetailOut:
    access = access_queries.group_for(session, user, slug, admin_ok=True)
    assert access.group.id is not None
    summary = GroupOut.of(access.group, access.membership)
    members = [MemberOut.of(m) for m in group_queries.members_of(session, access.group.id)]
    return GroupDetailOut(**summary.model_dump(), members=members)


@api.put("/groups/{slug}/members/{username}", tags=["groups"])
def set_member(
    slug: str, username: str, body: MembershipIn, user: ApiUser, session: SessionDep
) -> MembershipOut:
    access = access_queries.group_for(session, user, slug, admin_ok=True)
    membership = groups.set_member(session, access, username, body.role, body.government)
    return MembershipOut(
        group=access.group.slug,
        username=username,
        role=membership.role,
        government=membership.government,
    )


@api.delete("/groups/{slug}/members/{username}", status_code=204, tags=["groups"])
def remove_member(slug: str, username: str, user: ApiUser, session: SessionDep) -> Response:
    access = access_queries.group_for(session, user, slug, admin_ok=True)
    groups.remove_member(session, access, username)
    return Response(status_code=204)


@api.post("/groups/{slug}/documents", status_code=201, tags=["documents"])
def create_document(
    slug: str, body: NewDocument, user: ApiUser, session: SessionDep
) -> DocumentOut:
    access = access_queries.group_for(session, user, slug)
    document = documents.create_document(session, access, body.title_de, body.title_fr)
    return DocumentOut.of(document, access.group.slug)


@api.get("/groups/{slug}/documents", tags=["documents"])
def list_documents(slug: str, user: ApiUser, session: SessionDep) -> list[DocumentOut]:
    access = access_queries.group_for(session, user, slug)
    assert access.group.id is not None
    return [
        DocumentOut.of(document, access.group.slug)
        for document in document_queries.documents_of_group(session, access.group.id)
    ]
