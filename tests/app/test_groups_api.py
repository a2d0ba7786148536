from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from httpx2 import Response

from tests.helpers.factories import World, assert_error

USER_KEYS = {"id", "username", "display_name", "locale", "is_admin"}
MEMBERSHIP_KEYS = {"group", "username", "role", "government"}


def new_user(world: World, username: str, **fields: Any) -> Response:
    body = {
        "username": username,
        "display_name": username.capitalize(),
        "password": "a long enough password",
        "locale": "fr",
    } | fields
    return world.api("admin").post("/api/v1/users", json=body)


def new_group(world: World, slug: str, **fields: Any) -> Response:
    body = {"slug": slug, "name_de": "Mobilität", "name_fr": "Mobilité"} | fields
    return world.api("admin").post("/api/v1/groups", json=body)


def put_member(world: World, who: str, username: str, **body: Any) -> Response:
    return world.api(who).put(f"/api/v1/groups/klima/members/{username}", json=body)


# --- users ---------------------------------------------------------------------------------


def test_admin_creates_a_user_with_the_contract_shape(world: World) -> None:
    answer = new_user(world, "pierre", display_name="Pierre Dupont")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert set(body) == USER_KEYS
    assert isinstance(body["id"], int)
    assert body["username"] == "pierre"
    assert body["display_name"] == "Pierre Dupont"
    assert body["locale"] == "fr"
    assert body["is_admin"] is False


def test_created_user_can_get_a_token_and_sees_itself_in_me(world: World) -> None:
    created = new_user(world, "pierre").json()
    token = world.api("admin").post(
        "/api/v1/tokens", json={"username": "pierre", "password": "a long enough password"}
    )
    assert token.status_code == 201
    me = world.api("admin").get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token.json()['token']}"}
    )
    assert me.json() == created


def test_admin_creates_another_admin(world: World) -> None:
    answer = new_user(world, "root2", is_admin=True)
    assert answer.status_code == 201
    assert answer.json()["is_admin"] is True


def test_duplicate_username_is_a_409_conflict(world: World) -> None:
    assert new_user(world, "pierre").status_code == 201
    error = assert_error(new_user(world, "pierre"), 409, "conflict")
    assert "pierre" in error["message"]


def test_username_differing_only_in_case_is_a_duplicate_too(world: World) -> None:
    assert new_user(world, "pierre").status_code == 201
    assert_error(new_user(world, "Pierre"), 409, "conflict")


def test_existing_world_username_cannot_be_taken_again(world: World) -> None:
    assert_error(new_user(world, "jonas"), 409, "conflict")


@pytest.mark.parametrize(
    "username", ["Bad Name!", "a", "-dash-first", "jürgen", "x" * 65, "with/slash", "tab\tname"]
)
def test_bad_username_is_a_422_with_a_clear_message(world: World, username: str) -> None:
    error = assert_error(new_user(world, username), 422, "validation_error")
    hints = ("user name", "single line", "at most 64")
    assert any(hint in error["message"] for hint in hints), error["message"]
    assert error["details"].get("field") == "username"


def test_short_password_is_a_422_naming_the_minimum(world: World) -> None:
    error = assert_error(new_user(world, "pierre", password="short"), 422, "validation_error")
    assert "at least 10" in error["message"]
    assert error["details"] == {"field": "password"}
    assert_error(new_user(world, "pierre", password="short"), 422, "validation_error")


def test_unknown_locale_is_a_422(world: World) -> None:
    assert_error(new_user(world, "pierre", locale="es"), 422, "validation_error")


def test_missing_fields_and_unknown_fields_are_a_422(world: World) -> None:
    admin = world.api("admin")
    assert_error(admin.post("/api/v1/users", json={"username": "x1"}), 422, "validation_error")
    extra = new_user(world, "pierre", role="moderator")
    assert_error(extra, 422, "validation_error")


def test_malformed_json_is_a_422(world: World) -> None:
    answer = world.api("admin").post(
        "/api/v1/users", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(answer, 422, "validation_error")


@pytest.mark.parametrize("who", ["moderator", "member", "liaison_de", "outsider"])
def test_only_admins_create_users(world: World, who: str) -> None:
    answer = world.api(who).post(
        "/api/v1/users",
        json={
            "username": "sneaky",
            "display_name": "Sneaky",
            "password": "a long enough password",
            "locale": "en",
        },
    )
    assert_error(answer, 403, "forbidden")
    assert new_user(world, "sneaky").status_code == 201


def test_user_api_needs_a_token(world: World) -> None:
    answer = world.api("admin").post(
        "/api/v1/users",
        json={"username": "x1", "display_name": "X", "password": "a long password"},
        headers={"Authorization": ""},
    )
    assert_error(answer, 401, "unauthenticated")


# --- groups --------------------------------------------------------------------------------


def test_admin_creates_a_group(world: World) -> None:
    answer = new_group(world, "mobilite")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert {"id", "slug", "name_de", "name_fr"} <= set(body)
    assert body["slug"] == "mobilite"
    assert body["name_de"] == "Mobilität"
    assert body["name_fr"] == "Mobilité"


def test_duplicate_slug_is_a_409_conflict(world: World) -> None:
    error = assert_error(new_group(world, "klima"), 409, "conflict")
    assert "klima" in error["message"]
    assert new_group(world, "mobilite").status_code == 201
    assert_error(new_group(world, "mobilite", name_de="Anders"), 409, "conflict")


@pytest.mark.parametrize("slug", ["Bad Slug!", "a", "under_score", "ünïcode", "-x", ""])
def test_bad_slug_is_a_422(world: World, slug: str) -> None:
    assert_error(new_group(world, slug), 422, "validation_error")


@pytest.mark.parametrize("who", ["moderator", "member", "liaison_fr", "outsider"])
def test_only_admins_create_groups(world: World, who: str) -> None:
    answer = world.api(who).post(
        "/api/v1/groups", json={"slug": "mobilite", "name_de": "M", "name_fr": "M"}
    )
    assert_error(answer, 403, "forbidden")
    admin_view = world.api("admin").get("/api/v1/groups/mobilite")
    assert_error(admin_view, 404, "not_found")


def test_group_list_shows_only_the_callers_groups_with_their_role(world: World) -> None:
    assert new_group(world, "mobilite").status_code == 201
    assert (
        world.api("admin")
        .put("/api/v1/groups/mobilite/members/olaf", json={"role": "moderator"})
        .status_code
        == 200
    )
    member = world.api("member").get("/api/v1/groups")
    assert member.status_code == 200
    assert [(g["slug"], g["role"]) for g in member.json()] == [("klima", "member")]
    outsider = world.api("outsider").get("/api/v1/groups").json()
    assert [(g["slug"], g["role"]) for g in outsider] == [("mobilite", "moderator")]
    liaison = world.api("liaison_fr").get("/api/v1/groups").json()
    assert [(g["slug"], g["role"]) for g in liaison] == [("klima", "liaison")]
    # The admin created both groups but belongs to neither.
    assert world.api("admin").get("/api/v1/groups").json() == []


def test_group_list_of_a_user_in_several_groups(world: World) -> None:
    new_group(world, "mobilite")
    world.api("admin").put("/api/v1/groups/mobilite/members/jonas", json={"role": "moderator"})
    groups = world.api("member").get("/api/v1/groups").json()
    assert [(g["slug"], g["role"]) for g in groups] == [
        ("klima", "member"),
        ("mobilite", "moderator"),
    ]


@pytest.mark.parametrize("who", ["moderator", "member", "liaison_de", "liaison_fr"])
def test_group_detail_shows_members_with_roles(world: World, who: str) -> None:
    answer = world.api(who).get("/api/v1/groups/klima")
    assert answer.status_code == 200
    body = answer.json()
    assert body["slug"] == "klima"
    assert body["name_de"] == "Klima AG"
    assert body["name_fr"] == "GT Climat"
    members = {m["username"]: (m["role"], m["government"]) for m in body["members"]}
    assert members == {
        "mona": ("moderator", None),
        "jonas": ("member", None),
        "anna": ("liaison", "DE"),
        "helene": ("liaison", "FR"),
    }
    assert all(
        set(m) >= {"username", "display_name", "role", "government"} for m in body["members"]
    )


def test_outsider_gets_404_not_403_for_a_group(world: World) -> None:
    outsider = world.api("outsider")
    assert_error(outsider.get("/api/v1/groups/klima"), 404, "not_found")
    # Exactly the same answer as for a group that does not exist.
    missing = outsider.get("/api/v1/groups/no-such-group")
    assert_error(missing, 404, "not_found")
    assert missing.json() == outsider.get("/api/v1/groups/klima").json()


# --- members -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_moderator_and_admin_add_a_member(world: World, who: str) -> None:
    answer = put_member(world, who, "olaf", role="member")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "group": "klima",
        "username": "olaf",
        "role": "member",
        "government": None,
    }
    assert set(answer.json()) == MEMBERSHIP_KEYS
    assert world.api("outsider").get("/api/v1/groups/klima").status_code == 200
    groups = world.api("outsider").get("/api/v1/groups").json()
    assert [g["slug"] for g in groups] == ["klima"]


def test_moderator_changes_a_role_and_makes_a_liaison(world: World) -> None:
    answer = put_member(world, "moderator", "jonas", role="liaison", government="FR")
    assert answer.status_code == 200
    assert answer.json() == {
        "group": "klima",
        "username": "jonas",
        "role": "liaison",
        "government": "FR",
    }
    members = world.api("moderator").get("/api/v1/groups/klima").json()["members"]
    assert {m["username"]: (m["role"], m["government"]) for m in members}["jonas"] == (
        "liaison",
        "FR",
    )
    back = put_member(world, "moderator", "jonas", role="member")
    assert back.json()["government"] is None
    # Setting the same role twice keeps one membership.
    put_member(world, "moderator", "jonas", role="member")
    members = world.api("moderator").get("/api/v1/groups/klima").json()["members"]
    assert [m["username"] for m in members].count("jonas") == 1


def test_admin_appoints_a_moderator_who_may_then_manage_members(world: World) -> None:
    assert put_member(world, "admin", "olaf", role="moderator").status_code == 200
    assert put_member(world, "outsider", "jonas", role="moderator").status_code == 200


@pytest.mark.parametrize("who", ["member", "liaison_de"])
def test_members_and_liaisons_cannot_manage_members(world: World, who: str) -> None:
    assert_error(put_member(world, who, "olaf", role="member"), 403, "forbidden")
    assert_error(put_member(world, who, "jonas", role="moderator"), 403, "forbidden")
    delete = world.api(who).delete("/api/v1/groups/klima/members/mona")
    assert_error(delete, 403, "forbidden")
    assert world.api("outsider").get("/api/v1/groups/klima").status_code == 404


def test_outsider_managing_members_gets_404(world: World) -> None:
    assert_error(put_member(world, "outsider", "olaf", role="moderator"), 404, "not_found")
    delete = world.api("outsider").delete("/api/v1/groups/klima/members/jonas")
    assert_error(delete, 404, "not_found")


def test_liaison_without_government_is_a_422(world: World) -> None:
    error = assert_error(
        put_member(world, "moderator", "olaf", role="liaison"), 422, "validation_error"
    )
    assert "DE or FR" in error["message"]
    assert error["details"] == {"field": "government"}
    assert world.api("outsider").get("/api/v1/groups/klima").status_code == 404


def test_member_with_a_government_is_a_422(world: World) -> None:
    answer = put_member(world, "moderator", "olaf", role="member", government="DE")
    error = assert_error(answer, 422, "validation_error")
    assert error["details"] == {"field": "government"}


@pytest.mark.parametrize(
    "body",
    [
        {"role": "boss"},
        {"role": "MODERATOR"},
        {"role": "liaison", "government": "IT"},
        {"role": "liaison", "government": "fr"},
        {},
        {"role": "member", "extra": 1},
    ],
)
def test_invalid_membership_bodies_are_a_422(world: World, body: dict[str, Any]) -> None:
    assert_error(put_member(world, "moderator", "olaf", **body), 422, "validation_error")


def test_unknown_user_is_a_404(world: World) -> None:
    error = assert_error(put_member(world, "moderator", "nobody", role="member"), 404, "not_found")
    assert "nobody" in error["message"]


def test_member_of_an_unknown_group_is_a_404_even_for_the_admin(world: World) -> None:
    answer = world.api("admin").put("/api/v1/groups/nope/members/olaf", json={"role": "member"})
    assert_error(answer, 404, "not_found")


def test_removed_member_no_longer_sees_the_group(world: World) -> None:
    assert world.api("member").get("/api/v1/groups/klima").status_code == 200
    answer = world.api("moderator").delete("/api/v1/groups/klima/members/jonas")
    assert answer.status_code == 204
    assert answer.content == b""
    assert_error(world.api("member").get("/api/v1/groups/klima"), 404, "not_found")
    assert world.api("member").get("/api/v1/groups").json() == []
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}")
    assert_error(document, 404, "not_found")
    members = world.api("moderator").get("/api/v1/groups/klima").json()["members"]
    assert "jonas" not in [m["username"] for m in members]


def test_admin_removes_a_member(world: World) -> None:
    assert world.api("admin").delete("/api/v1/groups/klima/members/anna").status_code == 204
    assert_error(world.api("liaison_de").get("/api/v1/groups/klima"), 404, "not_found")


def test_removing_a_non_member_or_unknown_user_is_a_404(world: World) -> None:
    moderator = world.api("moderator")
    assert_error(moderator.delete("/api/v1/groups/klima/members/olaf"), 404, "not_found")
    assert_error(moderator.delete("/api/v1/groups/klima/members/nobody"), 404, "not_found")
    assert moderator.delete("/api/v1/groups/klima/members/jonas").status_code == 204
    assert_error(moderator.delete("/api/v1/groups/klima/members/jonas"), 404, "not_found")


# --- hostile names -------------------------------------------------------------------------


def group_detail_as_admin_member(world: World, slug: str) -> dict[str, Any]:
    world.api("admin").put(f"/api/v1/groups/{slug}/members/jonas", json={"role": "member"})
    answer = world.api("member").get(f"/api/v1/groups/{slug}")
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def test_french_typography_in_a_group_name_is_stored_exactly(world: World) -> None:
    name_fr = "GT «\u202fClimat\u202f» : l’œuvre et l'æther\u202f; vraiment\u202f?\u202f!"
    created = new_group(world, "typo", name_fr=name_fr)
    assert created.status_code == 201
    assert created.json()["name_fr"] == name_fr
    assert group_detail_as_admin_member(world, "typo")["name_fr"] == name_fr


def test_decomposed_umlauts_in_names_are_stored_as_nfc(world: World) -> None:
    decomposed = "Wa\u0308rmewende fu\u0308r Bu\u0308rger und STRAẞE"
    created = new_group(world, "nfc", name_de=decomposed)
    assert created.status_code == 201
    expected = unicodedata.normalize("NFC", decomposed)
    assert expected == "Wärmewende für Bürger und STRAẞE"
    assert created.json()["name_de"] == expected
    assert group_detail_as_admin_member(world, "nfc")["name_de"] == expected
    user = new_user(world, "juergen", display_name="Ju\u0308rgen Mu\u0308ller")
    assert user.json()["display_name"] == "Jürgen Müller"


def test_script_in_names_is_stored_exactly_and_shown_escaped_on_the_group_page(
    world: World,
) -> None:
    script = "<script>alert(1)</script>"
    image = '"><img src=x onerror=alert(1)> {{ 7*7 }}'
    created = new_group(world, "xss", name_de=script, name_fr=image)
    assert created.status_code == 201
    assert created.json()["name_de"] == script
    assert created.json()["name_fr"] == image
    user = new_user(world, "mallory", display_name=f"Mallory {script}")
    assert user.json()["display_name"] == f"Mallory {script}"
    world.api("admin").put("/api/v1/groups/xss/members/mallory", json={"role": "member"})
    detail = group_detail_as_admin_member(world, "xss")
    assert detail["name_de"] == script
    assert {m["username"]: m["display_name"] for m in detail["members"]}["mallory"] == (
        f"Mallory {script}"
    )
    page = world.browser("member").get("/groups/xss")
    assert page.status_code == 200
    assert script not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "Mallory &lt;script&gt;" in page.text
    assert "{{ 7*7 }}" in page.text and "49" not in page.text


@pytest.mark.parametrize("field", ["name_de", "name_fr"])
def test_nul_in_a_group_name_is_refused_with_a_422(world: World, field: str) -> None:
    error = assert_error(new_group(world, "nul", **{field: "Kli\x00ma"}), 422, "validation_error")
    assert "NUL" in error["message"]
    assert error["details"] == {"field": field}
    assert new_group(world, "nul").status_code == 201


def test_nul_in_a_display_name_or_username_is_refused_with_a_422(world: World) -> None:
    error = assert_error(
        new_user(world, "pierre", display_name="Pi\x00erre"), 422, "validation_error"
    )
    assert "NUL" in error["message"]
    assert error["details"] == {"field": "display_name"}
    assert_error(new_user(world, "pi\x00erre"), 422, "validation_error")
    assert new_user(world, "pierre").status_code == 201


@pytest.mark.parametrize("bad", ["", "   ", "zwei\nZeilen", "x" * 501])
def test_empty_multiline_and_overlong_group_names_are_refused(world: World, bad: str) -> None:
    assert_error(new_group(world, "bad", name_de=bad), 422, "validation_error")


def test_bidi_override_in_names_is_stored_exactly(world: World) -> None:
    name = "Gruppe \u202eevil\u202c bidi"
    created = new_group(world, "bidi", name_de=name)
    assert created.status_code == 201
    assert created.json()["name_de"] == name
    assert group_detail_as_admin_member(world, "bidi")["name_de"] == name
    user = new_user(world, "bidi-user", display_name="\u202eresu lived")
    assert user.json()["display_name"] == "\u202eresu lived"
    world.api("admin").put("/api/v1/groups/bidi/members/bidi-user", json={"role": "member"})
    page = world.browser("member").get("/groups/bidi").text
    # Display names are isolated so that a bidi override cannot reorder the table around it.
    assert "<bdi>\u202eresu lived</bdi>" in page


def test_invisible_characters_in_names_are_kept(world: World) -> None:
    name = "zero\u200bwidth\u200djoiner soft\u00adhyphen"
    created = new_group(world, "invisible", name_de=name)
    assert created.json()["name_de"] == name


def test_surrounding_whitespace_in_names_is_trimmed(world: World) -> None:
    created = new_group(world, "trim", name_de="  Klima  ", name_fr=" Climat\u00a0")
    assert created.status_code == 201
    assert (created.json()["name_de"], created.json()["name_fr"]) == ("Klima", "Climat")


def test_the_last_moderator_can_be_neither_demoted_nor_removed(world: World) -> None:
    assert_error(put_member(world, "admin", "mona", role="member"), 409, "conflict")
    removed = world.api("admin").delete(f"/api/v1/groups/{world.slug}/members/mona")
    assert_error(removed, 409, "conflict")
    group = world.api("admin").get(f"/api/v1/groups/{world.slug}").json()
    assert {m["username"]: m["role"] for m in group["members"]}["mona"] == "moderator"
    # Once someone else moderates, the first may step down.
    assert put_member(world, "admin", "jonas", role="moderator").status_code == 200
    assert put_member(world, "admin", "mona", role="member").status_code == 200


# --- refused forms keep what was typed ------------------------------------------------------


def test_a_refused_document_title_shows_the_group_page_with_both_titles_typed(
    world: World,
) -> None:
    answer = world.browser("moderator").post(
        "/groups/klima/documents", {"title_de": "zwei\nZeilen", "title_fr": "Titre à garder"}
    )
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert 'name="title_de" lang="de" value="zwei\nZeilen"' in answer.text
    assert 'value="Titre à garder"' in answer.text
    titles = [
        d["title_fr"] for d in world.api("member").get("/api/v1/groups/klima/documents").json()
    ]
    assert "Titre à garder" not in titles


def test_an_empty_document_title_is_refused_on_the_group_page_not_the_error_page(
    world: World,
) -> None:
    answer = world.browser("moderator").post(
        "/groups/klima/documents", {"title_de": "", "title_fr": "Titre à garder"}
    )
    assert answer.status_code == 422
    assert 'id="members"' in answer.text
    assert 'value="Titre à garder"' in answer.text


def test_a_refused_admin_user_shows_the_form_again_with_everything_but_the_password(
    world: World,
) -> None:
    typed = {
        "username": "Bad Name!",
        "display_name": "Pierre Dupont",
        "password": "a long enough password",
        "locale": "fr",
        "is_admin": "true",
    }
    answer = world.browser("admin").post("/admin/users", typed)
    assert answer.status_code == 422
    assert "user name" in answer.text
    assert 'value="Bad Name!"' in answer.text
    assert 'value="Pierre Dupont"' in answer.text
    assert '<option value="fr" selected>' in answer.text
    assert 'name="is_admin" value="true" checked' in answer.text
    assert "a long enough password" not in answer.text


def test_a_refused_admin_group_shows_the_form_again_with_what_was_typed(world: World) -> None:
    answer = world.browser("admin").post(
        "/admin/groups", {"slug": "klima", "name_de": "Klima zwei", "name_fr": "Climat deux"}
    )
    assert answer.status_code == 409
    assert "exists already" in answer.text
    assert 'value="klima"' in answer.text
    assert 'value="Klima zwei"' in answer.text
    assert 'value="Climat deux"' in answer.text


def test_a_refused_membership_shows_the_group_page_with_what_was_typed(world: World) -> None:
    answer = world.browser("moderator").post(
        "/groups/klima/members", {"username": "olaf", "role": "liaison", "government": ""}
    )
    assert answer.status_code == 422
    assert "DE or FR" in answer.text
    assert 'name="username" value="olaf"' in answer.text
    assert '<option value="liaison" selected>' in answer.text
    assert world.api("outsider").get("/api/v1/groups/klima").status_code == 404


def test_removing_the_last_moderator_in_the_browser_says_why_on_the_group_page(
    world: World,
) -> None:
    answer = world.browser("moderator").post("/groups/klima/members/mona/remove")
    assert answer.status_code == 409
    assert "at least one moderator" in answer.text
    assert 'id="members"' in answer.text
