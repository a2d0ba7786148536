"""Reading a form or API value that must be one of an enum's members."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from app.errors import ValidationFailed

Choice = TypeVar("Choice", bound=Enum)


def parse_choice(choices: type[Choice], field: str, value: str, message: str) -> Choice:
    """``value`` as a member of ``choices``, else a refusal about ``field``; the message
    names the refused value by the field's name (``"Unknown role {role}; ..."``)."""
    try:
        return choices(value)
    except ValueError:
        raise ValidationFailed(message, details={"field": field}, **{field: value}) from None
