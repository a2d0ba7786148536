"""The one way a form is handled: run the service, then redirect by route name, or show
the same form again with the refusal and everything the person typed.

Only :func:`submit` catches a service's refusal in the web layer. Not logged in, not
allowed and not found go on to the login or error page (a form must not reveal what the
caller may not see); any other refusal, a wrong password included, rolls the request's
transaction back and calls ``show`` with the message in the reader's language, and the
page it returns carries the refusal's status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from app.errors import AppError, Forbidden, NotFound, Unauthenticated
from app.i18n import translate

T = TypeVar("T")

# Refusals that are not the form's to show: log in, no permission, nothing there. (A wrong
# password is a 401 too, but it is the login form's own answer.)
PASSED_ON = frozenset({Unauthenticated.code, Forbidden.code, NotFound.code})


@dataclass(frozen=True)
class Refusal:
    """A service's refusal, ready to show beside the form (``{{ error }}`` prints it)."""

    message: str
    status: int
    code: str
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, error: AppError) -> Refusal:
        return cls(
            message=translate(error.template, error.params),
            status=error.status,
            code=error.code,
            details=error.details,
        )

    @property
    def field(self) -> str | None:
        """The form field the refusal is about, when the service named one."""
        named = self.details.get("field")
        return named if isinstance(named, str) else None

    def __str__(self) -> str:
        return self.message


def submit(
    request: Request,
    action: Callable[[], T],
    *,
    then: Callable[[T], Response],
    show: Callable[[Refusal], Response],
) -> Response:
    """Run ``action``; on success answer ``then(result)``, on a refusal ``show(refusal)``."""
    try:
        result = action()
    except AppError as error:
        if error.code in PASSED_ON:
            raise
        session = getattr(request.state, "session", None)
        if session is not None:
            session.rollback()
        refusal = Refusal.of(error)
        response = show(refusal)
        response.status_code = refusal.status
        return response
    return then(result)


def see_other(
    request: Request,
    name: str,
    *,
    query: dict[str, str | int] | None = None,
    fragment: str = "",
    **params: Any,
) -> RedirectResponse:
    """303 to the named route (POST-redirect-GET): a reload never submits again."""
    url = str(request.app.url_path_for(name, **{key: str(v) for key, v in params.items()}))
    if query:
        url += "?" + urlencode(query)
    if fragment:
        url += "#" + fragment
    return RedirectResponse(url, status_code=303)
