"""NUL and the other refused control characters in a field that names something to look up
(a user name, a slug, an initiative key, a search or a filter) are answered as "no such
thing" (401, 404), as a refused field (422) or as a search result, on SQLite and PostgreSQL
alike: never a server error. PostgreSQL refuses NUL anywhere in a query, so a lookup that
sends such a value to the database fails there only; each test runs on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from app.services import initiatives
from tests.helpers.factories import PASSWORD, BrowserClient, World, assert_error, session_of

# NUL, and the other C0 controls and DEL that drafting.text refuses.
REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f"]

# The user name of the schemathesis request that answered 500 on PostgreSQL.
FUZZED_USERNAME = "\u00ff\U0001b5a9\x00\U000f8bb4"


def near_misses(name: str, *, trimmed: bool = False) -> Iterator[str]:
    """``name`` with each refused character in its middle, at its end, and alone.

    ``trimmed``: the field is trimmed before the lookup, so a trailing control character
    that is also white space (U+000B, U+001F) is left out (it finds ``name`` itself)."""
    middle = len(name) // 2
    for char in REFUSED:
        yield name[:middle] + char + name[middle:]
        if not (trimmed and char.isspace()):
            yield name + char
        yield char


def in_path(value: str) -> str:
    return quote(value, safe="")


def add_initiative(world: World) -> None:
    with session_of(world.app) as session:
        initiatives.create(
            session,
            world.moderator,
            {
                "key": "solar-freiburg",
                "name_de": "Solardächer Freiburg",
                "name_fr": "Toits solaires Fribourg",
                "municipality": "Freiburg",
                "country": "DE",
                "region": "Baden",
                "themes": "energie",
            },
        )


# --- user names: API tokens and the login form ---------------------------------------------


@pytest.fixture
def many_logins(world: World) -> World:
    """The world with a login limit that the many refused logins of one test do not reach."""
    world.app.state.settings.login_max_failures = 10_000
    return world


def test_a_token_request_with_the_fuzzed_nul_user_name_is_refused_as_invalid_credentials(
    world: World,
) -> None:
    answer = world.api("member").post(
        "/api/v1/tokens", json={"username": FUZZED_USERNAME, "password": PASSWORD}
    )
    assert_error(answer, 401, "invalid_credentials")


def test_a_token_request_naming_a_user_with_a_refused_character_is_refused_as_invalid_credentials(
    many_logins: World,
) -> None:
    """Even where trimming would remove the character ("jonas\\x0b"), with the right password."""
    client = many_logins.api("member")
    for username in near_misses("jonas"):
        answer = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
        assert_error(answer, 401, "invalid_credentials")


def test_token_requests_with_refused_characters_in_the_user_name_count_towards_the_client_limit(
    world: World,
) -> None:
    limit = world.app.state.settings.login_max_failures
    client = world.api("member")
    statuses = [
        client.post(
            "/api/v1/tokens", json={"username": f"user{n}\x00", "password": PASSWORD}
        ).status_code
        for n in range(limit + 1)
    ]
    assert statuses == [401] * limit + [429]


def test_the_login_form_naming_a_user_with_a_refused_character_says_the_login_failed(
    many_logins: World,
) -> None:
    for username in [FUZZED_USERNAME, *near_misses("jonas")]:
        browser = BrowserClient(many_logins.app)
        answer = browser.login(username)
        assert answer.status_code == 401, (repr(username), answer.text)
        assert "tandem_session" not in browser.client.cookies


# --- search and the initiative filters ----------------------------------------------------


def test_a_search_with_a_refused_character_is_answered_never_a_server_error(
    world: World,
) -> None:
    add_initiative(world)
    api, browser = world.api("member"), world.browser("member")
    for q in [*near_misses("Klimanotstand"), *near_misses("Solardächer")]:
        answer = api.get("/api/v1/search", params={"q": q})
        assert answer.status_code in (200, 422), (repr(q), answer.text)
        if answer.status_code == 200:
            assert "\x00" not in answer.json()["query"]
        page = browser.get("/search", params={"q": q})
        assert page.status_code in (200, 422), (repr(q), page.text)


def test_an_initiative_filter_with_a_refused_character_is_answered_never_a_server_error(
    world: World,
) -> None:
    add_initiative(world)
    api, browser = world.api("member"), world.browser("member")
    for name, real in [
        ("q", "Solar"),
        ("country", "DE"),
        ("theme", "energie"),
        ("region", "Baden"),
    ]:
        for value in near_misses(real):
            answer = api.get("/api/v1/initiatives", params={name: value})
            assert answer.status_code in (200, 422), (name, repr(value), answer.text)
            page = browser.get("/initiatives", params={name: value})
            assert page.status_code in (200, 422), (name, repr(value), page.text)


# --- the audit log's filters --------------------------------------------------------------


def test_an_audit_filter_with_a_refused_character_is_refused_as_invalid(world: World) -> None:
    api, browser = world.api("moderator"), world.browser("moderator")
    for name, real in [("action", "member.set"), ("actor", "mona")]:
        for value in near_misses(real):
            answer = api.get("/api/v1/groups/klima/audit", params={name: value})
            error = assert_error(answer, 422, "validation_error")
            assert error["details"]["field"] == name
            page = browser.get("/groups/klima/audit", params={name: value})
            assert page.status_code == 422, (name, repr(value), page.text)
            csv = browser.get("/groups/klima/audit.csv", params={name: value})
            assert csv.status_code == 422, (name, repr(value), csv.text)


# --- slugs, member names and initiative keys in paths --------------------------------------


def test_a_group_slug_with_a_refused_character_is_not_found(world: World) -> None:
    api, browser = world.api("moderator"), world.browser("moderator")
    for value in near_misses("klima"):
        slug = in_path(value)
        for url in (
            f"/api/v1/groups/{slug}",
            f"/api/v1/groups/{slug}/documents",
            f"/api/v1/groups/{slug}/glossary",
            f"/api/v1/groups/{slug}/audit",
        ):
            assert_error(api.get(url), 404, "not_found")
        created = api.post(
            f"/api/v1/groups/{slug}/documents", json={"title_de": "T", "title_fr": "T"}
        )
        assert_error(created, 404, "not_found")
        for url in (f"/groups/{slug}", f"/groups/{slug}/glossary", f"/groups/{slug}/audit"):
            assert browser.get(url).status_code == 404, url


def test_a_member_name_with_a_refused_character_is_not_found(world: World) -> None:
    api, browser = world.api("moderator"), world.browser("moderator")
    for username in [FUZZED_USERNAME, *near_misses("olaf", trimmed=True)]:
        name = in_path(username)
        answer = api.put(f"/api/v1/groups/klima/members/{name}", json={"role": "member"})
        assert_error(answer, 404, "not_found")
        assert_error(api.delete(f"/api/v1/groups/klima/members/{name}"), 404, "not_found")
        removed = browser.post(f"/groups/klima/members/{name}/remove")
        assert removed.status_code == 404, (repr(username), removed.text)
        added = browser.post("/groups/klima/members", {"username": username, "role": "member"})
        assert added.status_code in (404, 422), (repr(username), added.text)
    members = api.get("/api/v1/groups/klima").json()["members"]
    assert "olaf" not in {member["username"] for member in members}


def test_an_initiative_key_with_a_refused_character_is_not_found(world: World) -> None:
    add_initiative(world)
    api, browser = world.api("moderator"), world.browser("moderator")
    paragraph = world.paragraph_ids[2]
    for key in near_misses("solar-freiburg", trimmed=True):
        url = f"/api/v1/initiatives/{in_path(key)}"
        assert_error(api.get(url), 404, "not_found")
        assert_error(api.patch(url, json={"region": "Elsass"}), 404, "not_found")
        assert_error(api.post(f"{url}/archive"), 404, "not_found")
        assert browser.get(f"/initiatives/{in_path(key)}").status_code == 404
        linked = api.post(
            f"/api/v1/paragraphs/{paragraph}/evidence", json={"initiative_key": key, "note": ""}
        )
        assert linked.status_code in (404, 422), (repr(key), linked.text)
    assert api.get("/api/v1/initiatives/solar-freiburg").json()["region"] == "Baden"
