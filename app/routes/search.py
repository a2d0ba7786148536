"""Search over everything the caller may see: the page and the JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.deps import ApiUser, PageUser, SessionDep, verify_csrf
from app.queries import search as search_queries
from app.schemas.search import SearchOut
from app.templating import render

api = APIRouter(tags=["search"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

Q = Annotated[str, Query(max_length=500)]


def _cleaned(q: str) -> str:
    # PostgreSQL refuses NUL in a query; what remains is shown back as it was typed.
    return q.replace("\x00", "")[:500]


@pages.get("/search", name="search_page")
def search_page(request: Request, user: PageUser, session: SessionDep, q: Q = "") -> Response:
    query = _cleaned(q)
    hits = search_queries.search(session, user, query) if query.strip() else []
    return render(request, "search.html", {"q": query, "hits": hits, "kinds": search_queries.KINDS})


@api.get("/search")
def search(user: ApiUser, session: SessionDep, q: Q = "") -> SearchOut:
    query = _cleaned(q)
    hits = search_queries.search(session, user, query)
    return SearchOut.model_validate({"query": query, "hits": hits})
