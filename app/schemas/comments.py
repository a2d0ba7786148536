"""JSON shapes of comment threads and of the notifications they cause."""

from __future__ import annotations

from datetime import datetime

from app.fields import CommentInput, PositiveId
from app.schemas.common import Body, Shape
from drafting.text import Lang


class NewComment(Body):
    lang: Lang
    body: CommentInput
    quote: CommentInput | None = None
    parent_id: PositiveId | None = None


class CommentAnchorOut(Shape):
    lang: str
    quote: str
    start: int | None
    end: int | None
    state: str


class CommentOut(Shape):
    id: int
    paragraph_id: int
    lang: str
    body: str
    author: str
    parent_id: int | None
    created_at: datetime
    resolved: bool
    resolved_at: datetime | None
    anchor: CommentAnchorOut | None
    replies: list[CommentOut] = []


class NotificationOut(Shape):
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


class NotificationsOut(Shape):
    unread: int
    notifications: list[NotificationOut]


class MarkedRead(Shape):
    marked: int
    unread: int
