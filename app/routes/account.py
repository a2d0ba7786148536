"""The logged-in user's own account: password and interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import PageUser, SessionDep, verify_csrf
from app.errors import AppError
from app.i18n import current_locale, gettext, translate
from app.services import users
from app.templating import render

api = APIRouter(tags=["account"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


@pages.get("/account", name="account_page")
def account_page(request: Request, _user: PageUser, saved: str | None = None) -> Response:
    notice = {
        "password": gettext("Your password was changed."),
        "language": gettext("Your interface language was changed."),
    }.get(saved or "")
    return render(request, "account.html", {"notice": notice, "error": None})


@pages.post("/account/password", name="change_password")
def change_password(
    request: Request,
    user: PageUser,
    session: SessionDep,
    current_password: Annotated[str, Form(max_length=1024)],
    new_password: Annotated[str, Form(max_length=1024)],
) -> Response:
    try:
        users.change_password(session, user, current_password, new_password)
    except AppError as refusal:
        return render(
            request,
            "account.html",
            {"notice": None, "error": translate(refusal.template, refusal.params)},
            status_code=refusal.status,
        )
    return RedirectResponse("/account?saved=password", status_code=303)


@pages.post("/account/language", name="change_language")
def change_language(
    user: PageUser,
    session: SessionDep,
    language: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/account?saved=language",
) -> Response:
    users.set_locale(session, user, language)
    current_locale.set(user.locale)
    target = next if next.startswith("/") and not next.startswith("//") else "/account"
    return RedirectResponse(target, status_code=303)
