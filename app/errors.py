"""Application errors: each has a JSON code and an HTTP status from the API contract (docs/api.md).

Messages are English sentences with ``{named}`` placeholders so that HTML pages can show
them translated; the JSON API returns them in the caller's language too.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "error"
    default_message: ClassVar[str] = "Something went wrong."

    def __init__(
        self,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        **params: object,
    ) -> None:
        self.template = message or self.default_message
        self.params = params
        self.details = details or {}
        super().__init__(self.template.format(**params))


class NotFound(AppError):
    status = 404
    code = "not_found"
    default_message = "Not found."


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    default_message = "You do not have permission to do this."


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"
    default_message = "Please log in."


class InvalidCredentials(AppError):
    status = 401
    code = "invalid_credentials"
    default_message = "Wrong user name or password."


class ValidationFailed(AppError):
    status = 422
    code = "validation_error"
    default_message = "The input is not valid."


class EditConflict(AppError):
    status = 409
    code = "edit_conflict"
    default_message = (
        "Someone else changed this paragraph in the same place. Your text was kept as a "
        "conflict draft; resolve it to save."
    )


class InvalidTransition(AppError):
    status = 409
    code = "invalid_transition"
    default_message = "This phase change is not possible."


class Conflict(AppError):
    status = 409
    code = "conflict"
    default_message = "This conflicts with existing data."


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    default_message = "The request is too large."


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    default_message = "Too many failed attempts. Please wait a few minutes and try again."
