from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from app.models import User
from app.security import configure_hashing
from tests.helpers.factories import PASSWORD, BrowserClient, World, csrf_of, make_user, session_of


def test_login_with_right_password_sets_an_httponly_samesite_session_cookie(world: World) -> None:
    browser = BrowserClient(world.app)
    response = browser.login("jonas")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "tandem_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert browser.get("/").status_code == 200


def test_login_with_wrong_password_shows_the_form_again_with_an_error(world: World) -> None:
    response = BrowserClient(world.app).login("jonas", "wrong password!")
    assert response.status_code == 401
    assert "Wrong user name or password." in response.text
    assert 'name="username"' in response.text


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(world: World) -> None:
    unknown = BrowserClient(world.app).login("nobody-here", "whatever1234")
    wrong = BrowserClient(world.app).login("jonas", "whatever1234")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong user name or password." in unknown.text


def test_repeated_login_failures_are_rate_limited(world: World) -> None:
    browser = BrowserClient(world.app)
    statuses = [browser.login("jonas", f"wrong-{attempt}").status_code for attempt in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    # Even the right password is refused while the limit holds.
    assert browser.login("jonas").status_code == 429


def test_api_token_with_wrong_credentials_is_401_then_429(client: TestClient, world: World) -> None:
    answers = [
        client.post("/api/v1/tokens", json={"username": "jonas", "password": "nope-nope-nope"})
        for _ in range(6)
    ]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert answers[0].json()["error"]["code"] == "invalid_credentials"
    assert answers[5].status_code == 429
    assert answers[5].json()["error"]["code"] == "rate_limited"


def test_api_token_grants_access_to_me(client: TestClient, world: World) -> None:
    answer = client.post("/api/v1/tokens", json={"username": "jonas", "password": PASSWORD})
    assert answer.status_code == 201
    body = answer.json()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json() == body["user"]
    assert set(me.json()) == {"id", "username", "display_name", "locale", "is_admin"}


def test_api_without_token_is_401_unauthenticated(client: TestClient) -> None:
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthenticated"
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_pages_redirect_to_login_when_not_logged_in(client: TestClient) -> None:
    answer = client.get("/documents/1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/documents/1"


def test_form_without_csrf_token_is_refused(world: World) -> None:
    browser = world.browser("moderator")
    answer = browser.client.post(
        f"/documents/{world.document_id}/paragraphs", data={"kind": "text", "de": "x", "fr": "y"}
    )
    assert answer.status_code == 403
    assert "CSRF" in answer.text
    wrong = browser.client.post(
        f"/documents/{world.document_id}/paragraphs",
        data={"kind": "text", "de": "x", "fr": "y", "csrf_token": "forged"},
    )
    assert wrong.status_code == 403


def test_login_form_needs_its_csrf_cookie(world: World) -> None:
    client = TestClient(world.app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    client.cookies.clear()
    answer = client.post(
        "/login", data={"username": "jonas", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 403


def test_session_is_useless_after_logout(world: World) -> None:
    browser = world.browser("member")
    cookie = browser.client.cookies.get("tandem_session")
    assert browser.post("/logout").status_code == 303
    replay = TestClient(world.app, follow_redirects=False)
    replay.cookies.set("tandem_session", cookie or "")
    assert replay.get("/").status_code == 303


def test_password_hash_is_upgraded_on_login_when_costs_change(app: FastAPI) -> None:
    make_user(app, "rita")
    with session_of(app) as session:
        before = session.exec(select(User).where(User.username == "rita")).one().password_hash
    assert before.startswith("$argon2id$")
    configure_hashing(time_cost=2, memory_kib=2048, parallelism=1)
    try:
        assert BrowserClient(app).login("rita").status_code == 303
        with session_of(app) as session:
            after = session.exec(select(User).where(User.username == "rita")).one().password_hash
    finally:
        configure_hashing(time_cost=1, memory_kib=1024, parallelism=1)
    assert after != before
    assert "m=2048,t=2" in after


def test_user_changes_own_password_and_language(world: World) -> None:
    browser = world.browser("member")
    answer = browser.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "a new long passphrase"}
    )
    assert answer.status_code == 303
    assert BrowserClient(world.app).login("jonas", "a new long passphrase").status_code == 303
    assert browser.post("/account/language", {"language": "fr"}).status_code == 303
    page = browser.get("/account")
    assert '<html lang="fr">' in page.text


def test_wrong_current_password_does_not_change_it(world: World) -> None:
    browser = world.browser("member")
    answer = browser.post(
        "/account/password",
        {"current_password": "not it at all", "new_password": "whatever-else-1"},
    )
    assert answer.status_code == 401
    assert BrowserClient(world.app).login("jonas").status_code == 303


def test_a_refused_new_password_shows_the_account_page_with_the_reason(world: World) -> None:
    browser = world.browser("member")
    answer = browser.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "short"}
    )
    assert answer.status_code == 422
    assert "at least 10" in answer.text
    assert 'name="new_password"' in answer.text
    assert BrowserClient(world.app).login("jonas").status_code == 303
