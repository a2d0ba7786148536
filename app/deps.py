"""Annotated dependencies shared by the routes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypeVar, get_args

from fastapi import Depends, Path, Request
from sqlmodel import Session

from app.config import Settings
from app.errors import Forbidden, Unauthenticated
from app.fields import MAX_ID
from app.i18n import current_locale
from app.models import User, UserSession
from app.permissions import Action
from app.queries import access
from app.queries.access import DocumentAccess, GroupAccess, ParagraphAccess
from app.security import tokens_match
from app.services import auth

SESSION_COOKIE = "tandem_session"
LOGIN_CSRF_COOKIE = "tandem_login_csrf"
LOCALE_COOKIE = "tandem_locale"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; requests that may write get the write engine.

    Async so that closing it (which ends the transaction and releases SQLite's lock) does
    not wait for a free worker thread behind requests that are waiting for that lock.
    """
    sessions = request.app.state.sessions
    if request.method in UNSAFE_METHODS:
        session = sessions(bind=request.app.state.write_engine)
    else:
        session = sessions()
    # The form helper (app.pages.forms.submit) rolls this session back after a refusal.
    request.state.session = session
    try:
        yield session
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]

# Ids are positive 64-bit integers; anything else is answered 422 before reaching the database.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class LoginRequired(Exception):
    """A page needs a logged-in user; the handler redirects to the login page."""


TEXT_SAVE_PATH = re.compile(r"^/paragraphs/\d+/texts/(de|fr)$")


class SessionExpiredDuringEdit(Exception):
    """A text save arrived without a valid session: the typed text goes back to the
    browser inside the login form and is saved once the person has logged in again."""

    def __init__(self, path: str, text: str, base_revision_id: str) -> None:
        super().__init__(path)
        self.path = path
        self.text = text
        self.base_revision_id = base_revision_id


# Database work in dependencies is done in plain (sync) functions, which FastAPI runs in
# its thread pool: a query on the event loop would stall every request while it waits
# for a database lock. The async dependencies below only set the request's language,
# which must happen on the event loop for the context variable to reach the route.


def page_session(request: Request, session: SessionDep) -> tuple[UserSession, User] | None:
    cached: tuple[UserSession, User] | None = getattr(request.state, "page_session", None)
    if cached is not None:
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    looked_up = auth.session_user(session, token) if token else None
    if looked_up is None:
        _end_transaction(session)
        return None
    user_session, user, request.state.unread_notifications = looked_up
    _end_transaction(session, user_session, user)
    request.state.page_session = found = (user_session, user)
    return found


def _end_transaction(session: Session, *keep: object) -> None:
    """End the authentication lookup's transaction before the route runs.

    The route may wait for a worker thread; it must not hold SQLite's write lock while it
    waits. The objects we keep stay loaded, detached from the session.
    """
    for item in keep:
        session.expunge(item)
    session.rollback()


PageSession = Annotated[tuple[UserSession, User] | None, Depends(page_session)]


async def optional_page_user(found: PageSession) -> User | None:
    if found is None:
        return None
    current_locale.set(found[1].locale)
    return found[1]


async def page_user(found: PageSession) -> User:
    if found is None:
        raise LoginRequired()
    current_locale.set(found[1].locale)
    return found[1]


def _token_user(request: Request, session: SessionDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send an API token as 'Authorization: Bearer <token>'.")
    user = auth.token_user(session, token.strip())
    _end_transaction(session, *([user] if user else []))
    if user is None:
        raise Unauthenticated("The API token is not valid.")
    return user


async def api_user(user: Annotated[User, Depends(_token_user)]) -> User:
    current_locale.set(user.locale)
    return user


async def verify_csrf(request: Request, found: PageSession) -> None:
    """Every unsafe browser request carries the session's CSRF token (form field or header).

    Before login there is no session, so the login form carries a token that must match a
    cookie set with the form (double submit).
    """
    if found is not None:
        current_locale.set(found[1].locale)
    if request.method not in UNSAFE_METHODS:
        return
    form = await request.form()
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if (
        found is None
        and SESSION_COOKIE in request.cookies
        and TEXT_SAVE_PATH.match(request.url.path)
    ):
        text, base = form.get("text"), form.get("base_revision_id")
        if isinstance(text, str) and isinstance(base, str):
            raise SessionExpiredDuringEdit(request.url.path, text, base)
    expected = found[0].csrf_token if found else request.cookies.get(LOGIN_CSRF_COOKIE)
    if not tokens_match(expected, given):
        raise Forbidden(
            "The form expired or did not come from this site (CSRF check failed). "
            "Reload the page and try again."
        )


OptionalPageUser = Annotated[User | None, Depends(optional_page_user)]
PageUser = Annotated[User, Depends(page_user)]
ApiUser = Annotated[User, Depends(api_user)]


# --- Access: the document, paragraph or group of the path, loaded for the caller -------
#
# 404 when the caller is not in the group (its existence must not leak), else the access
# object that services check permissions on. FastAPI caches each dependency per request,
# so ``requires`` and the handler's parameter share one lookup.


T = TypeVar("T")


def _released(request: Request, session: Session, loaded: T) -> T:
    """End the lookup's transaction before the route runs, keeping what it loaded.

    A request that may write starts SQLite's write lock (BEGIN IMMEDIATE) with its first
    statement; held from the dependency until the route gets a worker thread, it made
    fifty concurrent editors wait on each other until the busy timeout. The lookup wrote
    nothing, and sessions do not expire objects on commit, so this costs no reload; the
    service takes the lock again for its own writes (and re-reads what it locks).
    """
    if request.method in UNSAFE_METHODS:
        session.commit()
    return loaded


def _page_document(
    document_id: Id, user: PageUser, session: SessionDep, request: Request
) -> DocumentAccess:
    return _released(request, session, access.document_for(session, user, document_id))


def _api_document(
    document_id: Id, user: ApiUser, session: SessionDep, request: Request
) -> DocumentAccess:
    return _released(request, session, access.document_for(session, user, document_id))


def _page_paragraph(
    paragraph_id: Id, user: PageUser, session: SessionDep, request: Request
) -> ParagraphAccess:
    return _released(request, session, access.paragraph_access(session, user, paragraph_id))


def _api_paragraph(
    paragraph_id: Id, user: ApiUser, session: SessionDep, request: Request
) -> ParagraphAccess:
    return _released(request, session, access.paragraph_access(session, user, paragraph_id))


def _page_group(slug: str, user: PageUser, session: SessionDep, request: Request) -> GroupAccess:
    return _released(request, session, access.group_for(session, user, slug))


def _api_group(slug: str, user: ApiUser, session: SessionDep, request: Request) -> GroupAccess:
    return _released(request, session, access.group_for(session, user, slug))


def _page_group_or_admin(
    slug: str, user: PageUser, session: SessionDep, request: Request
) -> GroupAccess:
    return _released(request, session, access.group_for(session, user, slug, admin_ok=True))


def _api_group_or_admin(
    slug: str, user: ApiUser, session: SessionDep, request: Request
) -> GroupAccess:
    return _released(request, session, access.group_for(session, user, slug, admin_ok=True))


PageDocument = Annotated[DocumentAccess, Depends(_page_document)]
ApiDocument = Annotated[DocumentAccess, Depends(_api_document)]
PageParagraph = Annotated[ParagraphAccess, Depends(_page_paragraph)]
ApiParagraph = Annotated[ParagraphAccess, Depends(_api_paragraph)]
PageGroup = Annotated[GroupAccess, Depends(_page_group)]
ApiGroup = Annotated[GroupAccess, Depends(_api_group)]
# Site admins manage the members of groups they are not in (and see nothing else).
PageGroupOrAdmin = Annotated[GroupAccess, Depends(_page_group_or_admin)]
ApiGroupOrAdmin = Annotated[GroupAccess, Depends(_api_group_or_admin)]


def requires(action: Action, of: Any) -> Any:
    """A route dependency: 403 unless the caller may do ``action`` on ``of`` (one of the
    access types above), e.g. ``dependencies=[requires(Action.VIEW_AUDIT, PageGroup)]``.

    It checks the role, not the phase: what depends on the phase is the service's to say,
    with the reason.
    """
    loaded = get_args(of)[1]

    def check(found: GroupAccess = loaded) -> None:
        found.require(action)

    return Depends(check)
