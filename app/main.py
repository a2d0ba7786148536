"""create_app(): routers, middleware, error handlers, lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import i18n
from app.config import Settings, get_settings
from app.db import for_writes, make_engine, session_factory
from app.deps import LOCALE_COOKIE, LoginRequired, SessionExpiredDuringEdit
from app.errors import AppError
from app.events import hub_for
from app.middleware import InterfaceLanguage, LimitBodySize, SecurityHeaders
from app.page_cache import PageCache
from app.routes import (
    account,
    admin,
    alignment,
    amendments,
    audit,
    auth,
    comments,
    documents,
    events,
    evidence,
    exports,
    glossary,
    groups,
    initiatives,
    paragraphs,
    reviews,
    search,
    versions,
)
from app.routes.auth import login_page_response
from app.security import configure_hashing
from app.templating import STATIC_DIR, environment, is_htmx, render

logger = logging.getLogger("tandem")

API_PREFIX = "/api/v1"
# Each area's module has an ``api`` router (mounted under API_PREFIX, with its tags) and a
# ``pages`` router; the order decides which of two overlapping paths matches first.
ROUTE_MODULES = (
    auth,
    account,
    admin,
    groups,
    documents,
    paragraphs,
    events,
    amendments,
    comments,
    alignment,
    glossary,
    evidence,
    initiatives,
    search,
    versions,
    reviews,
    audit,
    exports,
)

_HTTP_CODES = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "validation_error",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(
    request: Request, status: int, code: str, message: str, details: dict[str, Any]
) -> Response:
    if _wants_json(request):
        return JSONResponse(
            {"error": {"code": code, "message": message, "details": jsonable_encoder(details)}},
            status_code=status,
        )
    response = render(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "details": details},
        status_code=status,
    )
    if is_htmx(request):
        # Show the error where the request was made instead of swapping it into the target.
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, error: AppError) -> Response:
        message = i18n.translate(error.template, error.params)
        return _error_response(request, error.status, error.code, message, error.details)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _error: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        location = f"/login?next={quote(target)}"
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": location})
        return RedirectResponse(location, status_code=303)

    @app.exception_handler(SessionExpiredDuringEdit)
    async def session_expired_during_edit(
        request: Request, error: SessionExpiredDuringEdit
    ) -> Response:
        response = login_page_response(
            request,
            request.app.state.settings.secure_cookies,
            next_url=request.headers.get("hx-current-url") or "/",
            status=401,
            resume={"path": error.path, "text": error.text, "base": error.base_revision_id},
        )
        if is_htmx(request):
            response.headers["HX-Retarget"] = "body"
            response.headers["HX-Reswap"] = "innerHTML"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = [
            {"location": [str(part) for part in problem.get("loc", ())], "message": problem["msg"]}
            for problem in error.errors()
        ]
        message = i18n.gettext("The input is not valid.")
        if problems:
            first = problems[0]
            message = f"{message} {'.'.join(first['location'][1:])}: {first['message']}"
        return _error_response(request, 422, "validation_error", message, {"errors": problems})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 400:
            # A body the framework cannot parse (e.g. JSON that is not UTF-8) is invalid
            # input like any other: the contract's 422 validation_error, with the reason.
            message = f"{i18n.gettext('The input is not valid.')} {error.detail}"
            return _error_response(request, 422, "validation_error", message, {})
        code = _HTTP_CODES.get(error.status_code, "error")
        message = i18n.gettext("Not found.") if error.status_code == 404 else str(error.detail)
        return _error_response(request, error.status_code, code, message, {})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, _error: Exception) -> Response:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        message = i18n.gettext("Something went wrong on our side. Nothing was saved.")
        return _error_response(request, 500, "internal_error", message, {})


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub = hub_for(engine)
        await run_in_threadpool(hub.prune)
        yield
        hub.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="Tandem",
        version="1.0",
        summary="Co-drafting bilingual (DE/FR) policy recommendations.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    configure_hashing(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.write_engine = for_writes(engine)
    app.state.page_cache = PageCache(settings.page_cache_mb * 1024 * 1024)
    _install_error_handlers(app)
    for module in ROUTE_MODULES:
        app.include_router(module.api, prefix=API_PREFIX)
        app.include_router(module.pages)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(
        InterfaceLanguage, default_locale=settings.default_locale, cookie_name=LOCALE_COOKIE
    )
    app.add_middleware(LimitBodySize, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def ready_for_traffic(application: FastAPI) -> FastAPI:
    """Compile every template, then move everything loaded so far out of the garbage
    collector's sight.

    Rendering a large document page allocates millions of short-lived objects; the full
    collections they trigger re-scanned the long-lived heap (modules, routes, templates)
    each time, and the same 200-paragraph page took 135 ms or 230 ms depending on whether
    one ran (measured by ``make bench``). Frozen objects are still freed by reference
    counting; only cycles among them are never collected, and these live for the process.
    """
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)
    gc.collect()
    gc.freeze()
    return application
