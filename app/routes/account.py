"""The logged-in user's own account: password and interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import PageUser, SessionDep, verify_csrf
from app.fields import PasswordInput
from app.i18n import current_locale, gettext
from app.pages.forms import Refusal, see_other, submit
from app.services import users
from app.templating import render

api = APIRouter(tags=["account"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


def _account_page(
    request: Request, notice: str | None = None, error: Refusal | None = None
) -> Response:
    return render(request, "account.html", {"notice": notice, "error": error})


@pages.get("/account", name="account_page")
def account_page(request: Request, _user: PageUser, saved: str | None = None) -> Response:
    notice = {
        "password": gettext("Your password was changed."),
        "language": gettext("Your interface language was changed."),
    }.get(saved or "")
    return _account_page(request, notice)


@pages.post("/account/password", name="change_password")
def change_password(
    request: Request,
    user: PageUser,
    session: SessionDep,
    current_password: Annotated[PasswordInput, Form()],
    new_password: Annotated[PasswordInput, Form()],
) -> Response:
    def show(refusal: Refusal) -> Response:
        return _account_page(request, error=refusal)

    return submit(
        request,
        lambda: users.change_password(session, user, current_password, new_password),
        then=lambda _: see_other(request, "account_page", query={"saved": "password"}),
        show=show,
    )


@pages.post("/account/language", name="change_language")
def change_language(
    request: Request,
    user: PageUser,
    session: SessionDep,
    language: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    def then(_: None) -> Response:
        current_locale.set(user.locale)
        if next.startswith("/") and not next.startswith("//"):
            return RedirectResponse(next, status_code=303)
        return see_other(request, "account_page", query={"saved": "language"})

    return submit(
        request,
        lambda: users.set_locale(session, user, language),
        then=then,
        show=lambda error: _account_page(request, error=error),
    )
