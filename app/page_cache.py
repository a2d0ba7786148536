"""Rendered pages kept in memory and reused while nothing they show has changed.

A page is stored under a key made of everything its HTML depends on: the versions counted
in the database (app/page_versions.py), the person, their interface language, their CSRF
token and their unread notifications. Any write to the document or to what it shares with
other pages changes the key, so a stale page is never served; an unchanged page is sent
again without touching the templates. The same key, hashed with the templates and
translations of this build, is the page's ETag: a browser that revalidates gets 304.

The cache belongs to one process and is bounded in bytes (least recently used goes first);
``Settings.page_cache_mb = 0`` switches it off.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from fastapi import Request
from fastapi.responses import Response

from app.config import PROJECT_ROOT
from app.templating import base_context, is_htmx

# Only a person's own browser may keep the page, and it must ask again every time.
CACHE_CONTROL = "private, no-cache"


def _build_fingerprint() -> str:
    """Templates and translations of this checkout: a deploy changes every ETag."""
    digest = hashlib.sha256()
    for folder, pattern in (("templates", "*.html"), ("app/locale", "*.po")):
        for path in sorted((PROJECT_ROOT / folder).rglob(pattern)):
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


BUILD = _build_fingerprint()


class PageCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            previous = self._pages.pop(key, None)
            if previous is not None:
                self.size -= len(previous)
            self._pages[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _oldest, evicted = self._pages.popitem(last=False)
                self.size -= len(evicted)


def page_key(request: Request, *parts: Hashable) -> tuple[Hashable, ...]:
    """``parts`` (what the page shows, as versions) and what the layout adds per person."""
    context = base_context(request)
    user = context["user"]
    return (
        request.url.path,
        *parts,
        user.id if user is not None else None,
        context["locale"],
        context["csrf_token"],
        context["unread_notifications"],
        is_htmx(request),
    )


def etag_of(key: tuple[Hashable, ...]) -> str:
    digest = hashlib.sha256(f"{BUILD}|{key!r}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def cached_page(
    request: Request, key: tuple[Hashable, ...], render: Callable[[], Response]
) -> Response:
    """304 when the browser has this page, the stored HTML when we have it, else ``render``."""
    etag = etag_of(key)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Cookie, HX-Request"}
    if etag in _listed(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    cache: PageCache | None = getattr(request.app.state, "page_cache", None)
    body = cache.get(key) if cache is not None else None
    if body is not None:
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)
    response = render()
    if response.status_code == 200:
        if cache is not None:
            cache.put(key, bytes(response.body))
        response.headers.update(headers)
    return response


def _listed(if_none_match: str) -> set[str]:
    return {tag.strip() for tag in if_none_match.split(",") if tag.strip()}
