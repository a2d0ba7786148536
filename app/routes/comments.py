"""Comments on paragraphs, and the notifications they cause: HTML pages and JSON API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ApiParagraph, ApiUser, Id, PageParagraph, PageUser, SessionDep, verify_csrf
from app.fields import CommentInput, PositiveId
from app.models import Comment, User
from app.pages.document import paragraph_block
from app.pages.forms import Refusal, see_other, submit
from app.queries import comments as comment_queries
from app.queries import notifications as notification_queries
from app.queries.access import DocumentAccess
from app.queries.comments import CommentView
from app.schemas.comments import CommentOut, MarkedRead, NewComment, NotificationsOut
from app.services import comments, notifications
from app.templating import is_htmx, render
from drafting.text import Lang

api = APIRouter(tags=["comments"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


def _reply_view(view: CommentView, comment_id: int) -> CommentView:
    """The reply ``comment_id`` within its thread ``view`` (or the thread itself)."""
    return next((reply for reply in view.replies if reply.id == comment_id), view)


# --- pages -------------------------------------------------------------------------------


def _back_to_comment(
    request: Request, session: Session, access: DocumentAccess, comment: Comment
) -> Response:
    """After a comment form: the paragraph's block for HTMX, else the comment on the page."""
    if is_htmx(request):
        return paragraph_block(request, session, access, comment.paragraph_id)
    return see_other(
        request, "document_page", document_id=access.document.id, fragment=f"c-{comment.id}"
    )


def _comment_refused(
    request: Request, session: Session, access: DocumentAccess, failed: dict[str, Any]
) -> Response:
    """The paragraph again, the refusal beside the form that was sent, with what was typed."""
    return paragraph_block(request, session, access, failed["paragraph_id"], comment_error=failed)


@pages.post("/paragraphs/{paragraph_id}/comments", name="add_comment_form")
def add_comment_form(
    request: Request,
    par: PageParagraph,
    session: SessionDep,
    lang: Annotated[Lang, Form()],
    body: Annotated[CommentInput, Form()] = "",
    quote: Annotated[CommentInput, Form()] = "",
    parent_id: Annotated[PositiveId | None, Form()] = None,
) -> Response:
    typed = {"lang": lang.value, "parent_id": parent_id, "body": body, "quote": quote}
    return submit(
        request,
        lambda: comments.add_comment(session, par, lang, body, quote or None, parent_id),
        then=lambda comment: _back_to_comment(request, session, par, comment),
        show=lambda refusal: _comment_refused(
            request,
            session,
            par,
            typed | {"paragraph_id": par.paragraph.id, "message": refusal.message},
        ),
    )


def _thread_form(
    request: Request,
    session: Session,
    user: User,
    comment_id: int,
    change: Callable[[Session, DocumentAccess, Comment], Comment],
) -> Response:
    """Resolve or reopen a thread; a refusal is shown where the thread's reply is written."""
    access, comment = comment_queries.comment_for(session, user, comment_id)
    failed = {
        "paragraph_id": comment.paragraph_id,
        "lang": comment.lang,
        "parent_id": comment.id,
        "body": "",
        "quote": "",
    }
    return submit(
        request,
        lambda: change(session, access, comment),
        then=lambda changed: _back_to_comment(request, session, access, changed),
        show=lambda refusal: _comment_refused(
            request, session, access, failed | {"message": refusal.message}
        ),
    )


@pages.post("/comments/{comment_id}/resolve", name="resolve_comment_form")
def resolve_comment_form(
    request: Request, comment_id: Id, user: PageUser, session: SessionDep
) -> Response:
    return _thread_form(request, session, user, comment_id, comments.resolve)


@pages.post("/comments/{comment_id}/reopen", name="reopen_comment_form")
def reopen_comment_form(
    request: Request, comment_id: Id, user: PageUser, session: SessionDep
) -> Response:
    return _thread_form(request, session, user, comment_id, comments.reopen)


def _notifications_page(
    request: Request, session: Session, user: User, error: Refusal | None = None
) -> Response:
    assert user.id is not None
    return render(
        request,
        "notifications.html",
        {"notifications": notification_queries.notifications_of(session, user.id), "error": error},
    )


@pages.get("/notifications", name="notifications_page")
def notifications_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    return _notifications_page(request, session, user)


@pages.post("/notifications/read", name="mark_notifications_read_form")
def mark_notifications_read_form(request: Request, user: PageUser, session: SessionDep) -> Response:
    return submit(
        request,
        lambda: notifications.mark_all_read(session, user),
        then=lambda _marked: see_other(request, "notifications_page"),
        show=lambda refusal: _notifications_page(request, session, user, error=refusal),
    )


# --- JSON API ----------------------------------------------------------------------------


@api.post("/paragraphs/{paragraph_id}/comments", status_code=201)
def add_comment(body: NewComment, par: ApiParagraph, session: SessionDep) -> CommentOut:
    comment = comments.add_comment(session, par, body.lang, body.body, body.quote, body.parent_id)
    assert comment.id is not None
    return CommentOut.model_validate(
        _reply_view(comments.thread(session, par, comment), comment.id)
    )


@api.get("/paragraphs/{paragraph_id}/comments")
def list_comments(par: ApiParagraph, session: SessionDep) -> list[CommentOut]:
    """The paragraph's threads (both languages) with replies; anchors as they stand now."""
    return [CommentOut.model_validate(view) for view in comments.threads(session, par)]


@api.post("/comments/{comment_id}/resolve")
def resolve_comment(comment_id: Id, user: ApiUser, session: SessionDep) -> CommentOut:
    access, comment = comment_queries.comment_for(session, user, comment_id)
    comments.resolve(session, access, comment)
    return CommentOut.model_validate(comments.thread(session, access, comment))


@api.post("/comments/{comment_id}/reopen")
def reopen_comment(comment_id: Id, user: ApiUser, session: SessionDep) -> CommentOut:
    access, comment = comment_queries.comment_for(session, user, comment_id)
    comments.reopen(session, access, comment)
    return CommentOut.model_validate(comments.thread(session, access, comment))


@api.get("/notifications", tags=["notifications"])
def list_notifications(user: ApiUser, session: SessionDep) -> NotificationsOut:
    """The caller's notifications, newest first, with the number still unread."""
    assert user.id is not None
    return NotificationsOut.model_validate(
        {
            "unread": notification_queries.unread_count(session, user.id),
            "notifications": notification_queries.notifications_of(session, user.id),
        }
    )


@api.post("/notifications/read", tags=["notifications"])
def mark_notifications_read(user: ApiUser, session: SessionDep) -> MarkedRead:
    """Mark all of the caller's notifications read."""
    return MarkedRead(marked=notifications.mark_all_read(session, user), unread=0)
