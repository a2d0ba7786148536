"""Turning the domain's text refusals into the application's validation errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from app.errors import ValidationFailed
from drafting.text import InvalidText, normalise, normalise_name

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


@contextmanager
def field(name: str) -> Iterator[None]:
    """Report a refused text as a validation error on the named field."""
    try:
        yield
    except InvalidText as refusal:
        raise ValidationFailed(
            refusal.template, details={"field": name}, **refusal.params
        ) from None


def text_field(name: str, value: str, *, max_length: int | None = None) -> str:
    with field(name):
        if max_length is None:
            return normalise(value)
        return normalise(value, max_length=max_length)


def name_field(name: str, value: str, *, max_length: int = 500) -> str:
    with field(name):
        return normalise_name(value, max_length=max_length)


def username(value: str) -> str:
    value = name_field("username", value, max_length=64).lower()
    if not USERNAME.match(value):
        raise ValidationFailed(
            "A user name has 2 to 64 characters: lower-case letters a-z, digits, '.', '_' or"
            " '-', starting with a letter or digit.",
            details={"field": "username"},
        )
    return value


def existing_username(value: str) -> str | None:
    """The user name that ``value`` can stand for (trimmed, lower case), or None when no user
    can have it: such a value is never looked up (PostgreSQL refuses NUL in a query)."""
    try:
        name = normalise_name(value, max_length=64).lower()
    except InvalidText:
        return None
    return name if USERNAME.fullmatch(name) else None


def slug(value: str) -> str:
    value = name_field("slug", value, max_length=64).lower()
    if not SLUG.match(value):
        raise ValidationFailed(
            "A slug has 2 to 64 characters: lower-case letters a-z, digits and '-'.",
            details={"field": "slug"},
        )
    return value
