"""JSON shapes of users and API tokens."""

from __future__ import annotations

from typing import Literal

from app.fields import HandleInput, PasswordInput, ShortNameInput
from app.schemas.common import Body, Shape


class TokenRequest(Body):
    username: HandleInput
    password: PasswordInput


class UserOut(Shape):
    id: int
    username: str
    display_name: str
    locale: str
    is_admin: bool


class TokenOut(Shape):
    token: str
    user: UserOut


class NewUser(Body):
    username: HandleInput
    display_name: ShortNameInput
    password: PasswordInput
    locale: Literal["de", "fr", "en"] = "en"
    is_admin: bool = False
