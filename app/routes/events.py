"""Live updates over Server-Sent Events, and presence (who edits which paragraph)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Header, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.deps import ApiDocument, ApiParagraph, PageDocument, PageParagraph, SessionDep, verify_csrf
from app.events import DocumentEvent, EventHub, hub_for
from app.queries.access import DocumentAccess, ParagraphAccess
from app.schemas.paragraphs import Presence
from drafting.text import Lang

api = APIRouter(tags=["documents"])
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
    request: Request, session: Session, doc: DocumentAccess, last_event_id: str | None
) -> StreamingResponse:
    assert doc.document.id is not None
    resume_from = int(last_event_id) if last_event_id and last_event_id.isdigit() else None
    hub = hub_for(request.app.state.engine)
    session.close()  # the stream may stay open for hours: hold no database connection
    return StreamingResponse(
        _stream(request, hub, doc.document.id, resume_from),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@pages.get("/documents/{document_id}/events", name="document_events")
def document_events(
    request: Request,
    doc: PageDocument,
    session: SessionDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    return _event_stream(request, session, doc, last_event_id)


@api.get(
    "/documents/{document_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def api_document_events(
    request: Request,
    doc: ApiDocument,
    session: SessionDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    return _event_stream(request, session, doc, last_event_id)


def _announce_presence(request: Request, para: ParagraphAccess, lang: Lang, state: str) -> None:
    """Presence is not stored: it goes straight to the open pages, with no transaction."""
    assert para.document.id is not None
    hub_for(request.app.state.engine).publish(
        DocumentEvent(
            document_id=para.document.id,
            kind="presence",
            paragraph_id=para.paragraph.id,
            actor=para.user.username,
            data={
                "lang": lang.value,
                "state": state if state in PRESENCE_STATES else "stopped",
                "display_name": para.user.display_name,
            },
            ephemeral=True,
        )
    )


@pages.post("/paragraphs/{paragraph_id}/presence", name="presence_form")
def presence_form(
    request: Request,
    para: PageParagraph,
    lang: Annotated[Lang, Form()],
    state: Annotated[str, Form(pattern="^(editing|stopped)$")],
) -> Response:
    _announce_presence(request, para, lang, state)
    return Response(status_code=204)


@api.post("/paragraphs/{paragraph_id}/presence", status_code=204, tags=["paragraphs"])
def presence(request: Request, para: ApiParagraph, body: Presence) -> Response:
    _announce_presence(request, para, body.lang, body.state)
    return Response(status_code=204)
