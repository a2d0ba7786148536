"""Pure ASGI middleware: request size limit, interface language, security headers."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class BodyTooLarge(Exception):
    pass


class LimitBodySize:
    """Refuse request bodies over ``max_bytes`` with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(scope, send)
                return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = i18n.gettext("The request is too large.")
        if scope["path"].startswith("/api/"):
            body = json.dumps(
                {"error": {"code": "payload_too_large", "message": message, "details": {}}}
            ).encode()
            content_type = b"application/json"
        else:
            body = message.encode()
            content_type = b"text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", content_type), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class InterfaceLanguage:
    """Choose the interface language before a user is known: cookie, then Accept-Language.

    A logged-in user's own preference replaces it once the session is read.
    """

    def __init__(self, app: ASGIApp, default_locale: str, cookie_name: str) -> None:
        self.app = app
        self.default_locale = default_locale
        self.cookie_name = cookie_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            locale = None
            cookie_header = headers.get(b"cookie")
            if cookie_header:
                cookies: SimpleCookie = SimpleCookie()
                try:
                    cookies.load(cookie_header.decode("latin-1"))
                except Exception:  # noqa: BLE001 - a broken cookie header only loses the preference
                    cookies = SimpleCookie()
                morsel = cookies.get(self.cookie_name)
                if morsel is not None and morsel.value in i18n.LOCALES:
                    locale = morsel.value
            if locale is None:
                accept = headers.get(b"accept-language")
                locale = i18n.best_locale(accept.decode("latin-1") if accept else None)
            i18n.current_locale.set(locale or self.default_locale)
        await self.app(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
