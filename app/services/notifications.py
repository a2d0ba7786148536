"""In-app notifications: mentions (``@username``) and replies to one's thread.

Notifications are written inside the caller's transaction (the comment and who it
notifies are committed together); marking them read is the person's own transaction.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, update

from app.db import unit_of_work
from app.models import Comment, Notification, User, utcnow
from app.queries import notifications as queries
from app.queries.access import DocumentAccess
from app.services import audit

MENTION = "mention"
REPLY = "reply"
EXCERPT_LENGTH = 200

# "@jonas", "(@jonas)", "@jonas," and "@jonas." at a sentence end; not "a@b.example".
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9_.-]{1,63})")


def mentioned_usernames(body: str) -> set[str]:
    """The user names written as ``@username`` in a comment body (lower-case).

    A user name may contain '.', '_' and '-'; when a mention is followed by one of them
    as punctuation ("… @jonas."), the name without it is a candidate too.
    """
    names: set[str] = set()
    for match in _MENTION.finditer(body):
        name = match.group(1).lower()
        names.add(name)
        trimmed = name.rstrip("._-")
        if len(trimmed) >= 2:
            names.add(trimmed)
    return names


def excerpt(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"


def notify_for_comment(
    session: Session,
    access: DocumentAccess,
    comment: Comment,
    thread_author_id: int | None,
) -> list[Notification]:
    """Notify the members mentioned in ``comment``, and the thread's author of a reply."""
    author = access.user
    assert access.group.id is not None and comment.id is not None
    mentioned = [
        user
        for user in queries.members_named(
            session, access.group.id, mentioned_usernames(comment.body)
        )
        if user.id != author.id
    ]
    notifications = [_notification(comment, author, user.id, MENTION) for user in mentioned]
    notified = {user.id for user in mentioned}
    if (
        thread_author_id is not None
        and thread_author_id != author.id
        and thread_author_id not in notified
    ):
        notifications.append(_notification(comment, author, thread_author_id, REPLY))
    for notification in notifications:
        session.add(notification)
    if mentioned:
        audit.record_in_group(
            session,
            access,
            "comment.mention",
            f"comment:{comment.id}",
            users=[user.username for user in mentioned],
        )
    return notifications


def _notification(comment: Comment, actor: User, user_id: int | None, kind: str) -> Notification:
    assert user_id is not None
    return Notification(
        user_id=user_id,
        kind=kind,
        actor_id=actor.id,
        document_id=comment.document_id,
        paragraph_id=comment.paragraph_id,
        comment_id=comment.id,
        text=excerpt(comment.body),
    )


def mark_all_read(session: Session, user: User) -> int:
    """Mark all of ``user``'s notifications read; how many were unread."""
    assert user.id is not None
    with unit_of_work(session):
        result = session.exec(
            update(Notification)
            .where(col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
            .values(read_at=utcnow())
        )
        marked = int(result.rowcount or 0)
        if marked:
            audit.record(session, user, "notifications.read", f"user:{user.id}", count=marked)
    return marked
