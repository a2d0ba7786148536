"""JSON shapes of users and API tokens."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.models import User
from app.schemas.common import Body


class TokenRequest(Body):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1024)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    locale: str
    is_admin: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        assert user.id is not None
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            locale=user.locale,
            is_admin=user.is_admin,
        )


class TokenOut(BaseModel):
    token: str
    user: UserOut


class NewUser(Body):
    username: str = Field(max_length=200)
    display_name: str = Field(max_length=1000)
    password: str = Field(max_length=1024)
    locale: Literal["de", "fr", "en"] = "en"
    is_admin: bool = False
