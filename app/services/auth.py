"""Logging in and out, browser sessions and API tokens, with rate-limited failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, func, select

from app import validation
from app.config import Settings
from app.db import unit_of_work
from app.errors import AppError, EditConflict, InvalidCredentials, RateLimited
from app.models import ApiToken, LoginFailure, User, UserSession, utcnow
from app.queries import notifications as notification_queries
from app.queries.groups import user_by_name
from app.security import (
    hash_password,
    needs_rehash,
    new_token,
    session_expiry,
    token_digest,
    verify_password,
)
from app.services import editing
from drafting.text import Lang


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    user: User


@dataclass(frozen=True)
class NewApiToken:
    token: str
    user: User


def _failure_keys(username: str | None, client: str) -> list[str]:
    """What a failure counts against: the client, and the user name when a user can have it
    (a name with a refused character is neither looked up nor stored)."""
    client_key = f"client:{client[:150]}"
    return [f"user:{username}", client_key] if username else [client_key]


def _check_rate_limit(session: Session, settings: Settings, keys: list[str]) -> None:
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    for key in keys:
        failures = session.exec(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.key == key, col(LoginFailure.created_at) >= since)
        ).one()
        if failures >= settings.login_max_failures:
            raise RateLimited()


def authenticate(
    session: Session, settings: Settings, username: str, password: str, client: str
) -> User:
    """The user with these credentials; failures are counted and limited per name and client."""
    name = validation.existing_username(username)
    keys = _failure_keys(name, client)
    _check_rate_limit(session, settings, keys)
    user = user_by_name(session, name) if name else None
    if not verify_password(user.password_hash if user else None, password) or user is None:
        # The failure is kept although the login is refused: it is what the limit counts.
        with unit_of_work(session):
            session.add_all([LoginFailure(key=key) for key in keys])
        raise InvalidCredentials()
    with unit_of_work(session):
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            session.add(user)
        session.exec(delete(LoginFailure).where(col(LoginFailure.key) == keys[0]))
    return user


def log_in(
    session: Session, settings: Settings, username: str, password: str, client: str
) -> NewSession:
    """A browser session for the user with these credentials."""
    return start_session(
        session, settings, authenticate(session, settings, username, password, client)
    )


def start_session(session: Session, settings: Settings, user: User) -> NewSession:
    token = new_token()
    csrf_token = new_token()
    assert user.id is not None
    with unit_of_work(session):
        session.add(
            UserSession(
                token_hash=token_digest(token),
                user_id=user.id,
                csrf_token=csrf_token,
                expires_at=session_expiry(settings.session_days),
            )
        )
    return NewSession(token=token, csrf_token=csrf_token, user=user)


def save_resumed_text(
    session: Session, user: User, paragraph_id: int, lang: Lang, text: str, base_revision_id: int
) -> int | None:
    """Save a text typed before the session expired, once its author logged in again.

    The id of the conflict draft when the text conflicts with a newer one; a refused save
    (for example because the phase changed) is left for the paragraph's page to explain.
    """
    try:
        editing.save_text(session, user, paragraph_id, lang, text, base_revision_id)
    except EditConflict as conflict:
        return int(conflict.details["conflict_id"])
    except AppError:
        return None
    return None


def end_session(session: Session, token: str) -> None:
    with unit_of_work(session):
        session.exec(delete(UserSession).where(col(UserSession.token_hash) == token_digest(token)))


def session_user(session: Session, token: str) -> tuple[UserSession, User, int] | None:
    """The browser session, its user and their unread notifications (the header's badge)."""
    row = session.exec(
        select(UserSession, User, notification_queries.unread_count_of(col(User.id)))
        .join(User, col(User.id) == col(UserSession.user_id))
        .where(UserSession.token_hash == token_digest(token))
    ).first()
    if row is None:
        return None
    user_session, user, unread = row
    if user_session.expires_at <= utcnow():
        return None
    return user_session, user, unread


def issue_api_token(session: Session, user: User) -> str:
    token = new_token()
    assert user.id is not None
    with unit_of_work(session):
        session.add(ApiToken(token_hash=token_digest(token), user_id=user.id))
    return token


def new_api_token(
    session: Session, settings: Settings, username: str, password: str, client: str
) -> NewApiToken:
    """An API token for the user with these credentials."""
    user = authenticate(session, settings, username, password, client)
    return NewApiToken(token=issue_api_token(session, user), user=user)


def token_user(session: Session, token: str) -> User | None:
    return session.exec(
        select(User)
        .join(ApiToken, col(ApiToken.user_id) == col(User.id))
        .where(ApiToken.token_hash == token_digest(token))
    ).first()
