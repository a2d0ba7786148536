from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from app.models import AuditEntry
from tests.helpers.factories import World, assert_error, session_of


def comment(world: World, who: str, paragraph_id: int, body: str, **extra: Any) -> Any:
    answer = world.api(who).post(
        f"/api/v1/paragraphs/{paragraph_id}/comments", json={"lang": "de", "body": body} | extra
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def inbox(world: World, who: str) -> dict[str, Any]:
    answer = world.api(who).get("/api/v1/notifications")
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def unread_badge(html: str) -> str | None:
    match = re.search(r'class="badge unread-count"><span aria-hidden="true">(\d+)</span>', html)
    return match.group(1) if match else None


def test_mentioning_a_member_notifies_them(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    posted = comment(world, "member", paragraph, "@mona, bitte prüfen.")
    mona = inbox(world, "moderator")
    assert mona["unread"] == 1
    [notification] = mona["notifications"]
    assert notification["kind"] == "mention"
    assert notification["actor"] == "jonas"
    assert notification["document_id"] == world.document_id
    assert notification["paragraph_id"] == paragraph
    assert notification["comment_id"] == posted["id"]
    assert notification["text"] == "@mona, bitte prüfen."
    assert notification["read"] is False
    assert notification["url"] == f"/documents/{world.document_id}#p-{paragraph}"
    assert inbox(world, "member")["unread"] == 0


def test_mentions_of_liaisons_and_at_the_end_of_a_sentence_count(world: World) -> None:
    comment(world, "member", world.paragraph_ids[1], "Frage an @anna und (@Helene).")
    assert inbox(world, "liaison_de")["unread"] == 1
    assert inbox(world, "liaison_fr")["unread"] == 1


def test_unknown_names_outsiders_e_mail_addresses_and_oneself_are_not_notified(
    world: World,
) -> None:
    comment(
        world,
        "member",
        world.paragraph_ids[1],
        "@olaf @niemand @jonas schreib an mona@example.org",
    )
    for who in ("outsider", "member", "moderator"):
        assert inbox(world, who)["unread"] == 0


def test_mentioning_twice_notifies_once(world: World) -> None:
    comment(world, "member", world.paragraph_ids[1], "@mona @mona @MONA")
    assert inbox(world, "moderator")["unread"] == 1


def test_a_reply_notifies_the_author_of_the_thread(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread = comment(world, "liaison_fr", paragraph, "Question.", lang="fr")
    reply = comment(world, "member", paragraph, "Réponse.", lang="fr", parent_id=thread["id"])
    [notification] = inbox(world, "liaison_fr")["notifications"]
    assert notification["kind"] == "reply"
    assert notification["actor"] == "jonas"
    assert notification["comment_id"] == reply["id"]
    # replying in one's own thread notifies nobody
    comment(world, "liaison_fr", paragraph, "Merci.", lang="fr", parent_id=thread["id"])
    assert inbox(world, "member")["unread"] == 0
    assert inbox(world, "liaison_fr")["unread"] == 1


def test_a_mention_in_a_reply_is_not_doubled_by_the_reply_notice(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    thread = comment(world, "moderator", paragraph, "Frage.")
    comment(world, "member", paragraph, "@mona siehe oben.", parent_id=thread["id"])
    assert [n["kind"] for n in inbox(world, "moderator")["notifications"]] == ["mention"]


def test_notifications_are_listed_newest_first_and_marked_read(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    first = comment(world, "member", paragraph, "Erstens @mona")
    second = comment(world, "liaison_de", paragraph, "Zweitens @mona")
    mona = inbox(world, "moderator")
    assert [n["comment_id"] for n in mona["notifications"]] == [second["id"], first["id"]]
    marked = world.api("moderator").post("/api/v1/notifications/read")
    assert marked.status_code == 200
    assert marked.json() == {"marked": 2, "unread": 0}
    mona = inbox(world, "moderator")
    assert mona["unread"] == 0
    assert all(n["read"] for n in mona["notifications"])
    with session_of(world.app) as session:
        assert session.exec(
            select(AuditEntry).where(AuditEntry.action == "notifications.read")
        ).first()


def test_notifications_need_a_token(world: World) -> None:
    assert_error(TestClient(world.app).get("/api/v1/notifications"), 401, "unauthenticated")


def test_the_header_shows_the_unread_count_and_the_page_lists_mentions(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    browser = world.browser("moderator")
    assert unread_badge(browser.get("/").text) is None
    comment(world, "member", paragraph, "@mona <script>alert(1)</script> {{ 7*7 }}")
    comment(world, "liaison_fr", paragraph, "Voir @mona\u202f!", lang="fr")
    home = browser.get("/").text
    assert unread_badge(home) == "2"
    assert "(2 unread)" in home
    page = browser.get("/notifications")
    assert page.status_code == 200
    html = page.text
    assert html.count("mentioned you in a comment") == 2
    assert f'href="/documents/{world.document_id}#p-{paragraph}"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "@mona &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}</blockquote>" in html
    assert html.index("Voir @mona") < html.index("{{ 7*7 }}")
    marked = browser.post("/notifications/read")
    assert marked.status_code == 303
    assert marked.headers["location"] == "/notifications"
    after = browser.get("/notifications").text
    assert unread_badge(after) is None
    assert "Mark all as read" not in after
    assert after.count("mentioned you in a comment") == 2


def test_notifications_page_without_any(world: World) -> None:
    page = world.browser("member").get("/notifications")
    assert page.status_code == 200
    assert "No notifications yet" in page.text


def test_notifications_page_needs_a_login(world: World) -> None:
    answer = TestClient(world.app, follow_redirects=False).get("/notifications")
    assert answer.status_code in (303, 307)
    assert "/login" in answer.headers["location"]


def test_marking_read_needs_the_csrf_token(world: World) -> None:
    comment(world, "member", world.paragraph_ids[1], "@mona")
    browser = world.browser("moderator")
    assert browser.client.post("/notifications/read").status_code == 403
    assert inbox(world, "moderator")["unread"] == 1
