"""Users: creating them, passwords and interface language."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import validation
from app.db import unit_of_work
from app.errors import Conflict, InvalidCredentials, ValidationFailed
from app.fields import PASSWORD_LENGTH
from app.i18n import LOCALES
from app.models import User
from app.queries.groups import user_by_name
from app.security import MIN_PASSWORD_LENGTH, hash_password, verify_password
from app.services import audit


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "A password needs at least {minimum} characters.",
            details={"field": "password"},
            minimum=MIN_PASSWORD_LENGTH,
        )
    if len(password) > PASSWORD_LENGTH or "\x00" in password:
        raise ValidationFailed(
            "This password cannot be used (too long or with a NUL character).",
            details={"field": "password"},
        )
    return password


def _check_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise ValidationFailed(
            "Unknown language {locale}; choose one of de, fr, en.",
            details={"field": "locale"},
            locale=locale,
        )
    return locale


def create_user(
    session: Session,
    actor: User | None,
    *,
    username: str,
    display_name: str,
    password: str,
    locale: str = "en",
    is_admin: bool = False,
) -> User:
    name = validation.username(username)
    user = User(
        username=name,
        display_name=validation.name_field("display_name", display_name, max_length=200),
        password_hash=hash_password(_check_password(password)),
        locale=_check_locale(locale),
        is_admin=is_admin,
    )
    if user_by_name(session, name) is not None:
        raise Conflict("The user name {username} is taken.", username=name)
    try:
        with unit_of_work(session):
            session.add(user)
            audit.record(session, actor, "user.create", f"user:{name}", is_admin=is_admin)
            # Flushed here, so that a name taken meanwhile is refused as such.
            session.flush()
    except IntegrityError:
        raise Conflict("The user name {username} is taken.", username=name) from None
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise InvalidCredentials("The current password is wrong.")
    with unit_of_work(session):
        user.password_hash = hash_password(_check_password(new))
        session.add(user)
        audit.record(session, user, "user.password", f"user:{user.username}")


def set_locale(session: Session, user: User, locale: str) -> None:
    with unit_of_work(session):
        user.locale = _check_locale(locale)
        session.add(user)
