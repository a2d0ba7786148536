"""Live updates over Server-Sent Events, and presence (who edits which paragraph)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Header, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.events import DocumentEvent, EventHub, hub_for
from app.models import User
from app.queries import access as access_queries
from drafting.text import Lang

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

KEEPALIVE_SECONDS = 15.0
PRESENCE_STATES = ("editing", "stopped")


async def _stream(
    request: Request, hub: EventHub, document_id: int, last_event_id: int | None
) -> AsyncIterator[str]:
    queue = hub.subscribe(document_id)
    try:
        yield "retry: 3000\n\n"
        if last_event_id is not None:
            missed = await run_in_threadpool(hub.since, document_id, last_event_id)
            for event in missed:
                yield event.as_sse()
        yield ": connected\n\n"
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_SECONDS)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                yield ": keepalive\n\n"
                continue
            yield event.as_sse()
    finally:
        hub.unsubscribe(document_id, queue)


def _event_stream(
    request: Request, session: SessionDep, user: User, document_id: int, last_event_id: str | None
) -> StreamingResponse:
    access = access_queries.document_for(session, user, document_id)
    assert access.document.id is not None
    resume_from = int(last_event_id) if last_event_id and last_event_id.isdigit() else None
    hub = hub_for(request.app.state.engine)
    session.close()  # the stream may stay open for hours: hold no database connection
    return StreamingResponse(
        _stream(request, hub, access.document.id, resume_from),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@pages.get("/documents/{document_id}/events", name="document_events")
def document_events(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    return _event_stream(request, session, user, document_id, last_event_id)


@api.get(
    "/documents/{document_id}/events",
    tags=["documents"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def api_document_events(
    request: Request,
    document_id: Id,
    user: ApiUser,
    session: SessionDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    return _event_stream(request, session, user, document_id, last_event_id)


def _announce_presence(
    request: Request, session: SessionDep, user: User, paragraph_id: int, lang: Lang, state: str
) -> None:
    access, _ = access_queries.paragraph_for(session, user, paragraph_id)
    assert access.document.id is not None
    hub_for(request.app.state.engine).publish(
        DocumentEvent(
            document_id=access.document.id,
            kind="presence",
            paragraph_id=paragraph_id,
            actor=user.username,
            data={
                "lang": lang.value,
                "state": state if state in PRESENCE_STATES else "stopped",
                "display_name": user.display_name,
            },
            ephemeral=True,
        )
    )


@pages.post("/paragraphs/{paragraph_id}/presence", name="presence_form")
def presence_form(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    lang: Annotated[Lang, Form()],
    state: Annotated[str, Form(pattern="^(editing|stopped)$")],
) -> Response:
    _announce_presence(request, session, user, paragraph_id, lang, state)
    return Response(status_code=204)


class PresenceIn(BaseModel):
    lang: Lang
    state: Annotated[str, "editing or stopped"]


@api.post("/paragraphs/{paragraph_id}/presence", status_code=204, tags=["paragraphs"])
def presence(
    request: Request, paragraph_id: Id, body: PresenceIn, user: ApiUser, session: SessionDep
) -> Response:
    _announce_presence(request, session, user, paragraph_id, body.lang, body.state)
    return Response(status_code=204)
