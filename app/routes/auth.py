"""Logging in and out (browser) and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.config import Settings
from app.deps import (
    LOCALE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    TEXT_SAVE_PATH,
    ApiUser,
    OptionalPageUser,
    SessionDep,
    SettingsDep,
    verify_csrf,
)
from app.fields import HandleInput, ParagraphText, PasswordInput
from app.i18n import LOCALES
from app.models import User
from app.pages.forms import Refusal, see_other, submit
from app.schemas.accounts import TokenOut, TokenRequest, UserOut
from app.security import new_token
from app.services import auth
from app.templating import render
from drafting.text import Lang

api = APIRouter(tags=["auth"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the login form cannot send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def login_page_response(
    request: Request,
    settings_secure: bool,
    next_url: str,
    error: Refusal | str | None = None,
    status: int = 200,
    resume: dict[str, str] | None = None,
) -> Response:
    """The login form; ``resume`` carries a text typed before the session expired."""
    token = new_token()
    request.state.login_csrf = token
    response = render(
        request,
        "login.html",
        {"next": _safe_next(next_url), "error": error, "resume": resume},
        status_code=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=settings_secure
    )
    return response


@pages.get("/login", name="login_page")
def login_page(
    request: Request, user: OptionalPageUser, settings: SettingsDep, next: str = "/"
) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return login_page_response(request, settings.secure_cookies, _safe_next(next))


@pages.post("/login", name="login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[HandleInput, Form()],
    password: Annotated[PasswordInput, Form()],
    next: Annotated[str, Form()] = "/",
    resume_path: Annotated[str | None, Form()] = None,
    resume_text: Annotated[ParagraphText | None, Form()] = None,
    resume_base: Annotated[str | None, Form()] = None,
) -> Response:
    resume = (
        {"path": resume_path, "text": resume_text, "base": resume_base or ""}
        if resume_path and resume_text is not None
        else None
    )

    def show(refusal: Refusal) -> Response:
        return login_page_response(
            request,
            settings.secure_cookies,
            next,
            error=refusal,
            status=refusal.status,
            resume=resume,
        )

    return submit(
        request,
        lambda: auth.log_in(session, settings, username, password, _client(request)),
        then=lambda new_session: _logged_in(request, session, settings, new_session, next, resume),
        show=show,
    )


def _logged_in(
    request: Request,
    session: SessionDep,
    settings: Settings,
    new_session: auth.NewSession,
    next: str,
    resume: dict[str, str] | None,
) -> Response:
    resumed = _save_resumed_text(request, session, new_session.user, resume) if resume else None
    response = resumed or RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        new_session.token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _save_resumed_text(
    request: Request, session: SessionDep, user: User, resume: dict[str, str]
) -> Response | None:
    """Save the text typed before the session expired and show where it went, or None."""
    match = TEXT_SAVE_PATH.match(resume["path"])
    if match is None or not resume["base"].isdigit():
        return None
    paragraph_id = int(resume["path"].split("/")[2])
    conflict_id = auth.save_resumed_text(
        session, user, paragraph_id, Lang(match.group(1)), resume["text"], int(resume["base"])
    )
    if conflict_id is not None:
        return see_other(request, "conflict_page", conflict_id=conflict_id)
    return see_other(request, "paragraph_fragment", paragraph_id=paragraph_id)


@pages.post("/logout", name="logout")
def logout(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.end_session(session, token)
    response = see_other(request, "login_page")
    response.delete_cookie(SESSION_COOKIE)
    return response


@pages.post("/language", name="choose_language")
def choose_language(
    language: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    """The interface language for visitors who are not logged in (kept in a cookie)."""
    response = RedirectResponse(_safe_next(next), status_code=303)
    if language in LOCALES:
        response.set_cookie(LOCALE_COOKIE, language, max_age=365 * 86400, samesite="lax")
    return response


@api.post("/tokens", status_code=201)
def create_token(
    body: TokenRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenOut:
    issued = auth.new_api_token(session, settings, body.username, body.password, _client(request))
    return TokenOut.model_validate(issued)


@api.get("/me")
def me(user: ApiUser) -> UserOut:
    return UserOut.model_validate(user)
