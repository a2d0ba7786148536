"""Jinja2 environment and rendering: a full page, or one named block for HTMX requests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel.dates import format_datetime
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments import render_block
from markupsafe import Markup, escape

from app import i18n
from app.config import PROJECT_ROOT
from app.markup import render_inline
from drafting.diffs import DiffOps

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"


def _datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "medium", locale=i18n.current_locale.get())


def _diff(ops: DiffOps) -> Markup:
    parts = []
    for op, text in ops:
        if op == 0:
            parts.append(str(escape(text)))
        elif op == -1:
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts.append(f"<ins>{escape(text)}</ins>")
    return Markup("".join(parts))


def _make_environment(directory: Path) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(["html", "xml"], default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    environment.filters["markup"] = render_inline
    environment.filters["datetime"] = _datetime
    environment.filters["diff"] = _diff
    return environment


environment = _make_environment(TEMPLATES_DIR)


def _url_templates(app: FastAPI) -> dict[tuple[str, tuple[str, ...]], str]:
    """Path templates per route name and parameter names, filled in with str.format.

    A page of 200 paragraphs builds thousands of URLs; url_path_for walks every route for
    each of them and was most of the page's rendering time, so it runs once per route.
    """
    templates: dict[tuple[str, tuple[str, ...]], str] | None = getattr(
        app.state, "url_templates", None
    )
    if templates is None:
        templates = app.state.url_templates = {}
    return templates


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def base_context(request: Request) -> dict[str, Any]:
    page_session = getattr(request.state, "page_session", None)
    user = page_session[1] if page_session else None

    templates = _url_templates(request.app)

    def url(name: str, **params: Any) -> str:
        key = (name, tuple(sorted(params)))
        template = templates.get(key)
        if template is None:
            placeholders = {param: "{" + param + "}" for param in params}
            template = templates[key] = str(request.app.url_path_for(name, **placeholders))
        return template.format(**{param: quote(str(v), safe="") for param, v in params.items()})

    return {
        "request": request,
        "user": user,
        "csrf_token": page_session[0].csrf_token
        if page_session
        else getattr(request.state, "login_csrf", ""),
        "locale": i18n.current_locale.get(),
        "locales": i18n.LOCALE_NAMES,
        "url": url,
        "static": lambda path: f"/static/{path}",
        "translate": i18n.translate,
        "unread_notifications": getattr(request.state, "unread_notifications", 0),
    }


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render the page, or only ``block`` of it when HTMX asks (one template, no drift)."""
    full_context = base_context(request) | (context or {})
    if block is not None and is_htmx(request):
        html = render_block(environment, template, block, **full_context)
    else:
        html = environment.get_template(template).render(**full_context)
    return HTMLResponse(html, status_code=status_code, headers=headers)
