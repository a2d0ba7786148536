"""Comments on paragraphs, and the notifications they cause: HTML pages and JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.errors import ValidationFailed
from app.fields import MAX_ID
from app.i18n import translate
from app.models import User
from app.pages.document import paragraph_response
from app.queries import access as access_queries
from app.queries import notifications as notification_queries
from app.queries.comments import AnchorView, CommentView
from app.queries.notifications import NotificationView
from app.services import comments, notifications
from app.templating import is_htmx, render
from drafting.text import Lang

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

MAX_FORM_TEXT = 100_000


# --- JSON shapes -------------------------------------------------------------------------


class NewComment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Lang
    body: str = Field(max_length=MAX_FORM_TEXT)
    quote: str | None = Field(default=None, max_length=MAX_FORM_TEXT)
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class AnchorOut(BaseModel):
    lang: str
    quote: str
    start: int | None
    end: int | None
    state: str

    @classmethod
    def of(cls, anchor: AnchorView) -> AnchorOut:
        return cls(**anchor.__dict__)


class CommentOut(BaseModel):
    id: int
    paragraph_id: int
    lang: str
    body: str
    author: str
    parent_id: int | None
    created_at: datetime
    resolved: bool
    resolved_at: datetime | None
    anchor: AnchorOut | None
    replies: list[CommentOut] = []

    @classmethod
    def of(cls, view: CommentView) -> CommentOut:
        return cls(
            id=view.id,
            paragraph_id=view.paragraph_id,
            lang=view.lang,
            body=view.body,
            author=view.author,
            parent_id=view.parent_id,
            created_at=view.created_at,
            resolved=view.resolved,
            resolved_at=view.resolved_at,
            anchor=AnchorOut.of(view.anchor) if view.anchor else None,
            replies=[cls.of(reply) for reply in view.replies],
        )


class NotificationOut(BaseModel):
    id: int
    kind: str
    actor: str | None
    document_id: int | None
    paragraph_id: int | None
    comment_id: int | None
    text: str
    created_at: datetime
    read: bool
    url: str | None

    @classmethod
    def of(cls, view: NotificationView) -> NotificationOut:
        return cls(
            id=view.id,
            kind=view.kind,
            actor=view.actor,
            document_id=view.document_id,
            paragraph_id=view.paragraph_id,
            comment_id=view.comment_id,
            text=view.text,
            created_at=view.created_at,
            read=view.read,
            url=view.link,
        )


class NotificationsOut(BaseModel):
    unread: int
    notifications: list[NotificationOut]


class MarkedRead(BaseModel):
    marked: int
    unread: int


def _reply_view(view: CommentView, comment_id: int) -> CommentView:
    """The reply ``comment_id`` within its thread ``view`` (or the thread itself)."""
    return next((reply for reply in view.replies if reply.id == comment_id), view)


# --- pages -------------------------------------------------------------------------------


def _back_to(
    request: Request, session: Session, user: User, paragraph_id: int, fragment: str
) -> Response:
    if is_htmx(request):
        return paragraph_response(request, session, user, paragraph_id)
    access, _ = access_queries.paragraph_for(session, user, paragraph_id)
    return RedirectResponse(f"/documents/{access.document.id}#{fragment}", status_code=303)


@pages.post("/paragraphs/{paragraph_id}/comments", name="add_comment_form")
def add_comment_form(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    lang: Annotated[Lang, Form()],
    body: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "",
    quote: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "",
    parent_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:
    try:
        comment = comments.add_comment(
            session, user, paragraph_id, lang, body, quote or None, parent_id
        )
    except ValidationFailed as refusal:
        session.rollback()
        failed = {
            "paragraph_id": paragraph_id,
            "lang": lang.value,
            "parent_id": parent_id,
            "body": body,
            "quote": quote,
            "message": translate(refusal.template, refusal.params),
        }
        return paragraph_response(
            request, session, user, paragraph_id, status_code=422, comment_error=failed
        )
    return _back_to(request, session, user, paragraph_id, f"c-{comment.id}")


@pages.post("/comments/{comment_id}/resolve", name="resolve_comment_form")
def resolve_comment_form(
    request: Request, comment_id: Id, user: PageUser, session: SessionDep
) -> Response:
    comment = comments.resolve(session, user, comment_id)
    return _back_to(request, session, user, comment.paragraph_id, f"c-{comment.id}")


@pages.post("/comments/{comment_id}/reopen", name="reopen_comment_form")
def reopen_comment_form(
    request: Request, comment_id: Id, user: PageUser, session: SessionDep
) -> Response:
    comment = comments.reopen(session, user, comment_id)
    return _back_to(request, session, user, comment.paragraph_id, f"c-{comment.id}")


@pages.get("/notifications", name="notifications_page")
def notifications_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    assert user.id is not None
    return render(
        request,
        "notifications.html",
        {"notifications": notification_queries.notifications_of(session, user.id)},
    )


@pages.post("/notifications/read", name="mark_notifications_read_form")
def mark_notifications_read_form(user: PageUser, session: SessionDep) -> Response:
    notifications.mark_all_read(session, user)
    return RedirectResponse("/notifications", status_code=303)


# --- JSON API ----------------------------------------------------------------------------


@api.post("/paragraphs/{paragraph_id}/comments", status_code=201, tags=["comments"])
def add_comment(
    paragraph_id: Id, body: NewComment, user: ApiUser, session: SessionDep
) -> CommentOut:
    comment = comments.add_comment(
        session, user, paragraph_id, body.lang, body.body, body.quote, body.parent_id
    )
    assert comment.id is not None
    return CommentOut.of(_reply_view(comments.thread(session, user, comment.id), comment.id))


@api.get("/paragraphs/{paragraph_id}/comments", tags=["comments"])
def list_comments(paragraph_id: Id, user: ApiUser, session: SessionDep) -> list[CommentOut]:
    """The paragraph's threads (both languages) with replies; anchors as they stand now."""
    return [CommentOut.of(view) for view in comments.threads(session, user, paragraph_id)]


@api.post("/comments/{comment_id}/resolve", tags=["comments"])
def resolve_comment(comment_id: Id, user: ApiUser, session: SessionDep) -> CommentOut:
    comments.resolve(session, user, comment_id)
    return CommentOut.of(comments.thread(session, user, comment_id))


@api.post("/comments/{comment_id}/reopen", tags=["comments"])
def reopen_comment(comment_id: Id, user: ApiUser, session: SessionDep) -> CommentOut:
    comments.reopen(session, user, comment_id)
    return CommentOut.of(comments.thread(session, user, comment_id))


@api.get("/notifications", tags=["notifications"])
def list_notifications(user: ApiUser, session: SessionDep) -> NotificationsOut:
    """The caller's notifications, newest first, with the number still unread."""
    assert user.id is not None
    return NotificationsOut(
        unread=notification_queries.unread_count(session, user.id),
        notifications=[
            NotificationOut.of(view)
            for view in notification_queries.notifications_of(session, user.id)
        ],
    )


@api.post("/notifications/read", tags=["notifications"])
def mark_notifications_read(user: ApiUser, session: SessionDep) -> MarkedRead:
    """Mark all of the caller's notifications read."""
    return MarkedRead(marked=notifications.mark_all_read(session, user), unread=0)
