"""Every route of the app, called as every role, against an explicit table (issues 9, 20).

The routes are read from the router, so a new route that is missing from ``MATRIX`` fails
``test_every_route_is_in_the_table``. Each case builds a fresh world plus the objects its
path needs, then calls the route as each actor (in this order) with a valid body, and
compares the outcome category with the table:

- anonymous: not signed in;
- outsider: signed in, in no working group at all;
- neighbour: moderator of another working group ("verkehr"), so in a group with every
  group permission, but not in this one ("klima"): everything of "klima" is a 404 for them,
  exactly as for the outsider; only what is shared by all groups (the initiatives library)
  and what every signed-in person has are open to them;
- liaison, member, moderator: the roles in "klima".

It runs on every configured database (SQLite, and PostgreSQL when configured): access is
decided by SQL joins, which each database must get right.

Outcome categories: "ok" (got past authorisation: anything but 401, 403, 404 and a
redirect to the login page), "401", "403", "404" and "login" (303 to /login).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.models import Paragraph, User
from tests.helpers.factories import (
    PASSWORD,
    BrowserClient,
    World,
    api_client,
    csrf_of,
    make_neighbour,
    session_of,
)
from tests.helpers.live import EventReader, serving

NEIGHBOUR = "otto"

ROLES = ("anonymous", "outsider", "neighbour", "liaison", "member", "moderator")
USERS = {
    "outsider": "outsider",
    "liaison": "liaison_de",
    "member": "member",
    "moderator": "moderator",
    "admin": "admin",
}
USERNAMES = {
    "outsider": "olaf",
    "neighbour": NEIGHBOUR,
    "liaison": "anna",
    "member": "jonas",
    "moderator": "mona",
    "admin": "admin",
}

EXCLUDED = {
    "GET /healthz",
    # Server-Sent Event streams never end: they are served for real, for every actor, in
    # test_event_streams_open_for_the_groups_readers_and_are_hidden_from_everyone_else.
    "GET /documents/{document_id}/events",
    "GET /api/v1/documents/{document_id}/events",
}


def walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route with its full path (routers included under a prefix keep theirs)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from walk(route.original_router.routes, prefix + route.include_context.prefix)


def route_keys(app: FastAPI) -> set[str]:
    return {
        f"{method} {path}"
        for path, route in walk(app.routes)
        for method in route.methods or ()
        if method != "HEAD"
    }


# --- Expected outcomes --------------------------------------------------------------------


def row(
    anonymous: str,
    outsider: str,
    neighbour: str,
    liaison: str,
    member: str,
    moderator: str,
    phase: str = "",
) -> dict[str, str]:
    actors = (anonymous, outsider, neighbour, liaison, member, moderator)
    outcomes = dict(zip(ROLES, actors, strict=True))
    return outcomes | ({"phase": phase} if phase else {})


# API: the group's readers (liaison, member, moderator).
READ_API = row("401", "404", "404", "ok", "ok", "ok")
# API: members and moderators, not liaisons.
CONTRIBUTE_API = row("401", "404", "404", "403", "ok", "ok")
MODERATE_API = row("401", "404", "404", "403", "403", "ok")
ANY_USER_API = row("401", "ok", "ok", "ok", "ok", "ok")
ADMIN_API = row("401", "403", "403", "403", "403", "403")
READ_PAGE = row("login", "404", "404", "ok", "ok", "ok")
CONTRIBUTE_PAGE = row("login", "404", "404", "403", "ok", "ok")
MODERATE_PAGE = row("login", "404", "404", "403", "403", "ok")
ANY_USER_PAGE = row("login", "ok", "ok", "ok", "ok", "ok")
ADMIN_PAGE = row("login", "403", "403", "403", "403", "403")
PUBLIC_PAGE = row("ok", "ok", "ok", "ok", "ok", "ok")
# An amendment's author is the member.
AUTHOR_API = row("401", "404", "404", "403", "ok", "403", phase="amendments")
AUTHOR_PAGE = row("login", "404", "404", "403", "ok", "403", phase="amendments")
# The initiatives library is shared by the groups: members of any group read it, members
# and moderators of any group edit it (the neighbour moderates "verkehr"); someone in no
# group gets 403.
LIBRARY_READ_API = row("401", "403", "ok", "ok", "ok", "ok")
LIBRARY_EDIT_API = row("401", "403", "ok", "403", "ok", "ok")
LIBRARY_READ_PAGE = row("login", "403", "ok", "ok", "ok", "ok")
LIBRARY_EDIT_PAGE = row("login", "403", "ok", "403", "ok", "ok")


def in_phase(outcomes: dict[str, str], phase: str) -> dict[str, str]:
    return outcomes | {"phase": phase}


def bug(key: str, outcomes: dict[str, str], reason: str) -> Any:
    return pytest.param(
        key, outcomes, id=key, marks=pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")
    )


MATRIX: dict[str, dict[str, str]] = {
    # auth and account
    "POST /api/v1/tokens": row("401", "ok", "ok", "ok", "ok", "ok"),  # anonymous: wrong password
    "GET /api/v1/me": ANY_USER_API,
    "GET /login": PUBLIC_PAGE,
    "POST /login": PUBLIC_PAGE,
    # Logging out always lands on the login page, signed in or not.
    "POST /logout": row("login", "login", "login", "login", "login", "login"),
    "POST /language": PUBLIC_PAGE,
    "GET /account": ANY_USER_PAGE,
    "POST /account/password": ANY_USER_PAGE,
    "POST /account/language": ANY_USER_PAGE,
    # site administration
    "POST /api/v1/users": ADMIN_API,
    "POST /api/v1/groups": ADMIN_API,
    "GET /admin": ADMIN_PAGE,
    "POST /admin/users": ADMIN_PAGE,
    "POST /admin/groups": ADMIN_PAGE,
    # groups and members
    "GET /api/v1/groups": ANY_USER_API,
    "GET /api/v1/groups/{slug}": READ_API,
    "PUT /api/v1/groups/{slug}/members/{username}": MODERATE_API,
    "DELETE /api/v1/groups/{slug}/members/{username}": MODERATE_API,
    "POST /api/v1/groups/{slug}/documents": MODERATE_API,
    "GET /api/v1/groups/{slug}/documents": READ_API,
    "GET /": ANY_USER_PAGE,
    "GET /groups/{slug}": READ_PAGE,
    "POST /groups/{slug}/documents": MODERATE_PAGE,
    "POST /groups/{slug}/members": MODERATE_PAGE,
    "POST /groups/{slug}/members/{username}/remove": MODERATE_PAGE,
    "GET /api/v1/groups/{slug}/audit": MODERATE_API,
    "GET /groups/{slug}/audit": MODERATE_PAGE,
    "GET /groups/{slug}/audit.csv": MODERATE_PAGE,
    # documents and paragraphs
    "POST /api/v1/documents/{document_id}/phase": MODERATE_API,
    "GET /api/v1/documents/{document_id}": READ_API,
    "POST /api/v1/documents/{document_id}/paragraphs": CONTRIBUTE_API,  # member in drafting
    "GET /documents/{document_id}": READ_PAGE,
    "POST /documents/{document_id}/paragraphs": CONTRIBUTE_PAGE,
    "POST /documents/{document_id}/phase": MODERATE_PAGE,
    "PATCH /api/v1/paragraphs/{paragraph_id}": MODERATE_API,
    "DELETE /api/v1/paragraphs/{paragraph_id}": MODERATE_API,
    "PATCH /api/v1/paragraphs/{paragraph_id}/texts/{lang}": CONTRIBUTE_API,
    "POST /api/v1/paragraphs/{paragraph_id}/texts/{lang}/restore": CONTRIBUTE_API,
    "GET /api/v1/documents/{document_id}/conflicts": READ_API,
    "POST /api/v1/conflicts/{conflict_id}/discard": row("401", "404", "404", "404", "ok", "404"),
    "GET /api/v1/paragraphs/{paragraph_id}/revisions": READ_API,
    "GET /api/v1/paragraphs/{paragraph_id}/diff": READ_API,
    "POST /paragraphs/{paragraph_id}/texts/{lang}": CONTRIBUTE_PAGE,
    "GET /paragraphs/{paragraph_id}": READ_PAGE,
    "POST /paragraphs/{paragraph_id}/move": MODERATE_PAGE,
    "POST /paragraphs/{paragraph_id}/kind": MODERATE_PAGE,
    "POST /paragraphs/{paragraph_id}/delete": MODERATE_PAGE,
    "GET /paragraphs/{paragraph_id}/history": READ_PAGE,
    "POST /paragraphs/{paragraph_id}/texts/{lang}/restore": CONTRIBUTE_PAGE,
    # A conflict draft belongs to its author alone.
    "GET /conflicts/{conflict_id}": row("login", "404", "404", "404", "ok", "404"),
    "POST /conflicts/{conflict_id}/discard": row("login", "404", "404", "404", "ok", "404"),
    # presence (live view)
    "POST /api/v1/paragraphs/{paragraph_id}/presence": READ_API,
    "POST /paragraphs/{paragraph_id}/presence": READ_PAGE,
    # amendments
    "POST /api/v1/paragraphs/{paragraph_id}/amendments": in_phase(CONTRIBUTE_API, "amendments"),
    "GET /api/v1/documents/{document_id}/amendments": in_phase(READ_API, "amendments"),
    "GET /api/v1/amendments/{amendment_id}": in_phase(READ_API, "amendments"),
    # The amendment is the member's own: supporting it is a 409, past authorisation.
    "POST /api/v1/amendments/{amendment_id}/support": in_phase(CONTRIBUTE_API, "amendments"),
    # Only the author (the member) withdraws or rewrites an amendment.
    "POST /api/v1/amendments/{amendment_id}/withdraw": AUTHOR_API,
    "POST /api/v1/amendments/{amendment_id}/rebase": AUTHOR_API,
    "POST /api/v1/amendments/{amendment_id}/decision": in_phase(MODERATE_API, "amendments"),
    "POST /api/v1/paragraphs/{paragraph_id}/amendments/merge-preview": in_phase(
        MODERATE_API, "amendments"
    ),
    "POST /api/v1/paragraphs/{paragraph_id}/amendments/merge": in_phase(MODERATE_API, "amendments"),
    "POST /paragraphs/{paragraph_id}/amendments": in_phase(CONTRIBUTE_PAGE, "amendments"),
    "POST /amendments/{amendment_id}/support": in_phase(CONTRIBUTE_PAGE, "amendments"),
    "POST /amendments/{amendment_id}/withdraw": AUTHOR_PAGE,
    "POST /amendments/{amendment_id}/decision": in_phase(MODERATE_PAGE, "amendments"),
    "POST /amendments/{amendment_id}/rebase": AUTHOR_PAGE,
    "GET /amendments/{amendment_id}": in_phase(READ_PAGE, "amendments"),
    "GET /documents/{document_id}/amendments": in_phase(READ_PAGE, "amendments"),
    "GET /paragraphs/{paragraph_id}/amendments/merge": in_phase(MODERATE_PAGE, "amendments"),
    "POST /paragraphs/{paragraph_id}/amendments/merge": in_phase(MODERATE_PAGE, "amendments"),
    # comments and notifications
    "POST /api/v1/paragraphs/{paragraph_id}/comments": READ_API,
    "GET /api/v1/paragraphs/{paragraph_id}/comments": READ_API,
    # The author (member) and moderators resolve; others may not resolve a foreign thread.
    "POST /api/v1/comments/{comment_id}/resolve": row("401", "404", "404", "403", "ok", "ok"),
    "POST /api/v1/comments/{comment_id}/reopen": row("401", "404", "404", "403", "ok", "ok"),
    "GET /api/v1/notifications": ANY_USER_API,
    "POST /api/v1/notifications/read": ANY_USER_API,
    "POST /paragraphs/{paragraph_id}/comments": READ_PAGE,
    "POST /comments/{comment_id}/resolve": row("login", "404", "404", "403", "ok", "ok"),
    "POST /comments/{comment_id}/reopen": row("login", "404", "404", "403", "ok", "ok"),
    "GET /notifications": ANY_USER_PAGE,
    "POST /notifications/read": ANY_USER_PAGE,
    # alignment, glossary, translation memory
    "GET /api/v1/documents/{document_id}/alignment": READ_API,
    "GET /api/v1/paragraphs/{paragraph_id}/alignment": READ_API,
    "POST /api/v1/paragraphs/{paragraph_id}/alignment": CONTRIBUTE_API,
    "GET /api/v1/paragraphs/{paragraph_id}/glossary-check": READ_API,
    "GET /api/v1/paragraphs/{paragraph_id}/suggestions": READ_API,
    # Without a configured provider the feature is hidden: 404 for everyone signed in.
    "POST /api/v1/paragraphs/{paragraph_id}/translate": row(
        "401", "404", "404", "404", "404", "404"
    ),
    "GET /api/v1/groups/{slug}/glossary": READ_API,
    "POST /api/v1/groups/{slug}/glossary": MODERATE_API,
    "PATCH /api/v1/groups/{slug}/glossary/{term_id}": MODERATE_API,
    "DELETE /api/v1/groups/{slug}/glossary/{term_id}": MODERATE_API,
    "POST /paragraphs/{paragraph_id}/alignment": CONTRIBUTE_PAGE,
    "POST /paragraphs/{paragraph_id}/machine-translation": row(
        "login", "404", "404", "404", "404", "404"
    ),
    "GET /documents/{document_id}/translate": READ_PAGE,
    "GET /groups/{slug}/glossary": READ_PAGE,
    "POST /groups/{slug}/glossary": MODERATE_PAGE,
    "POST /groups/{slug}/glossary/{term_id}": MODERATE_PAGE,
    "POST /groups/{slug}/glossary/{term_id}/delete": MODERATE_PAGE,
    # initiatives (a library shared by the groups) and evidence links
    "GET /api/v1/initiatives": LIBRARY_READ_API,
    "POST /api/v1/initiatives": LIBRARY_EDIT_API,
    "GET /api/v1/initiatives/{key}": LIBRARY_READ_API,
    "PATCH /api/v1/initiatives/{key}": LIBRARY_EDIT_API,
    "POST /api/v1/initiatives/{key}/archive": LIBRARY_EDIT_API,
    "GET /api/v1/paragraphs/{paragraph_id}/evidence": READ_API,
    "POST /api/v1/paragraphs/{paragraph_id}/evidence": CONTRIBUTE_API,
    "DELETE /api/v1/evidence/{link_id}": CONTRIBUTE_API,
    "GET /api/v1/documents/{document_id}/evidence-coverage": READ_API,
    "GET /api/v1/search": ANY_USER_API,
    "GET /initiatives": LIBRARY_READ_PAGE,
    "POST /initiatives": LIBRARY_EDIT_PAGE,
    "GET /initiatives/import": LIBRARY_EDIT_PAGE,
    "POST /initiatives/import": LIBRARY_EDIT_PAGE,
    "GET /initiatives/{key}": LIBRARY_READ_PAGE,
    "POST /initiatives/{key}": LIBRARY_EDIT_PAGE,
    "POST /initiatives/{key}/archive": LIBRARY_EDIT_PAGE,
    "POST /paragraphs/{paragraph_id}/evidence": CONTRIBUTE_PAGE,
    "POST /evidence/{link_id}/remove": CONTRIBUTE_PAGE,
    "GET /documents/{document_id}/coverage": READ_PAGE,
    "GET /search": ANY_USER_PAGE,
    # versions, compare, reviews
    "POST /api/v1/documents/{document_id}/versions": MODERATE_API,
    "GET /api/v1/documents/{document_id}/versions": READ_API,
    "GET /api/v1/documents/{document_id}/versions/{number}": READ_API,
    "GET /api/v1/documents/{document_id}/compare": READ_API,
    "POST /api/v1/documents/{document_id}/reviews": row(
        "401", "404", "404", "ok", "403", "403", phase="review"
    ),
    "GET /api/v1/documents/{document_id}/reviews": in_phase(READ_API, "review"),
    "GET /documents/{document_id}/versions": READ_PAGE,
    "POST /documents/{document_id}/versions": MODERATE_PAGE,
    "GET /documents/{document_id}/versions/{number}": READ_PAGE,
    "GET /documents/{document_id}/compare": READ_PAGE,
    "GET /documents/{document_id}/review": in_phase(READ_PAGE, "review"),
    "POST /documents/{document_id}/reviews": row(
        "login", "404", "404", "ok", "403", "403", phase="review"
    ),
    # exports and imports
    "GET /api/v1/documents/{document_id}/export.{fmt}": READ_API,
    "GET /api/v1/documents/{document_id}/changes.docx": READ_API,
    "POST /api/v1/groups/{slug}/documents/import/preview": MODERATE_API,
    "POST /api/v1/groups/{slug}/documents/import": MODERATE_API,
    "GET /documents/{document_id}/export.{fmt}": READ_PAGE,
    "GET /documents/{document_id}/export": READ_PAGE,
    "GET /documents/{document_id}/changes.docx": READ_PAGE,
    "GET /groups/{slug}/import": MODERATE_PAGE,
    "POST /groups/{slug}/import": MODERATE_PAGE,
    "POST /groups/{slug}/import/create": MODERATE_PAGE,
}

# Cases where the app disagrees with docs/lifecycle.md: route key -> reason. The table keeps the
# documented rule and the case is a strict xfail until the app is fixed. None at present.
BUGS: dict[str, str] = {}


# --- Objects, bodies and queries ------------------------------------------------------------


def api(world: World, who: str, method: str, path: str, **kwargs: Any) -> Any:
    return world.api(who).request(method, path, **kwargs)


def current_revisions(world: World, paragraph_id: int) -> tuple[int, int]:
    """The paragraph's current German and French revisions, read from its row (asking the
    API for the whole document twice per body made this the matrix's slowest part)."""
    with session_of(world.app) as session:
        paragraph = session.get(Paragraph, paragraph_id)
        assert paragraph is not None
        assert paragraph.de_revision_id is not None and paragraph.fr_revision_id is not None
        return paragraph.de_revision_id, paragraph.fr_revision_id


def build_objects(world: World, phase: str) -> dict[str, Any]:
    """The objects the routes' paths need, made through the API as the right users."""
    document_id = world.document_id
    paragraph_id = world.paragraph_ids[1]
    first_de, first_fr = current_revisions(world, paragraph_id)
    # A conflict draft of the member: two overlapping saves from the same base.
    saved = api(
        world,
        "member",
        "PATCH",
        f"/api/v1/paragraphs/{paragraph_id}/texts/de",
        json={"text": "Einige Gemeinden zögern noch.", "base_revision_id": first_de},
    )
    assert saved.status_code == 200, saved.text
    clash = api(
        world,
        "member",
        "PATCH",
        f"/api/v1/paragraphs/{paragraph_id}/texts/de",
        json={"text": "Alle Städte handeln sofort.", "base_revision_id": first_de},
    )
    assert clash.status_code == 409, clash.text
    comment = api(
        world,
        "member",
        "POST",
        f"/api/v1/paragraphs/{paragraph_id}/comments",
        json={"lang": "de", "body": "Welche Kommunen genau?"},
    )
    assert comment.status_code == 201, comment.text
    initiative = api(world, "member", "POST", "/api/v1/initiatives", json=initiative_body("alpha"))
    assert initiative.status_code == 201, initiative.text
    link = api(
        world,
        "member",
        "POST",
        f"/api/v1/paragraphs/{paragraph_id}/evidence",
        json={"initiative_key": initiative.json()["key"], "note": "Belegt die Aussage."},
    )
    assert link.status_code == 201, link.text
    version = api(
        world,
        "moderator",
        "POST",
        f"/api/v1/documents/{document_id}/versions",
        json={"label": "v1"},
    )
    assert version.status_code == 201, version.text
    terms = api(world, "member", "GET", f"/api/v1/groups/{world.slug}/glossary")
    assert terms.status_code == 200 and terms.json(), terms.text
    objects: dict[str, Any] = {
        "document_id": document_id,
        "paragraph_id": paragraph_id,
        "first_de": first_de,
        "first_fr": first_fr,
        "conflict_id": clash.json()["error"]["details"]["conflict_id"],
        "comment_id": comment.json()["id"],
        "key": initiative.json()["key"],
        "link_id": link.json()["id"],
        "number": version.json()["number"],
        "term_id": terms.json()[0]["id"],
        "slug": world.slug,
        "username": "jonas",
        "lang": "de",
        "fmt": "md",
        "amendment_id": 0,
        "merge_ids": [],
    }
    if phase in ("amendments", "review"):
        change_phase(world, "amendments")
        de_base, _ = current_revisions(world, paragraph_id)
        amendment = api(
            world,
            "member",
            "POST",
            f"/api/v1/paragraphs/{paragraph_id}/amendments",
            json=amendment_body(de_base),
        )
        assert amendment.status_code == 201, amendment.text
        objects["amendment_id"] = amendment.json()["id"]
        # A second open amendment on the same paragraph, for the merge routes.
        _, fr_base = current_revisions(world, paragraph_id)
        second = api(
            world,
            "moderator",
            "POST",
            f"/api/v1/paragraphs/{paragraph_id}/amendments",
            json={
                "texts": {"fr": "De nombreuses communes ont déclaré l'urgence climatique."},
                "base_revision_ids": {"fr": fr_base},
                "justification": "Plus précis.",
            },
        )
        assert second.status_code == 201, second.text
        objects["merge_ids"] = [objects["amendment_id"], second.json()["id"]]
    if phase == "review":
        change_phase(world, "consolidation")
        change_phase(world, "review")
        versions = api(world, "member", "GET", f"/api/v1/documents/{document_id}/versions")
        objects["number"] = max(v["number"] for v in versions.json())
    return objects


def change_phase(world: World, phase: str) -> None:
    answer = api(
        world,
        "moderator",
        "POST",
        f"/api/v1/documents/{world.document_id}/phase",
        json={"phase": phase, "reason": "test"},
    )
    assert answer.status_code == 200, answer.text


def initiative_body(suffix: str) -> dict[str, Any]:
    return {
        "key": f"test-{suffix}",
        "name_de": "Bürgerenergie",
        "name_fr": "Énergie citoyenne",
        "municipality": "Freiburg",
        "country": "DE",
        "themes": ["energie"],
    }


def amendment_body(de_base: int) -> dict[str, Any]:
    return {
        "texts": {"de": "Viele Kommunen haben den Klimanotstand schon 2019 ausgerufen."},
        "base_revision_ids": {"de": de_base},
        "justification": "Genauer.",
    }


MARKDOWN = b"# Importiert\n\nEin erster Absatz.\n\nEin zweiter Absatz.\n"


# A body (JSON for the API, form fields for pages) per route, from the objects and the role.
Body = Callable[[World, dict[str, Any], str], dict[str, Any]]


def _texts(world: World, o: dict[str, Any], role: str) -> dict[str, Any]:
    de, _ = current_revisions(world, o["paragraph_id"])
    return {"text": f"Neuer Satz von {role}.", "base_revision_id": de}


def _alignment(world: World, o: dict[str, Any], _role: str) -> dict[str, Any]:
    de, fr = current_revisions(world, o["paragraph_id"])
    return {"de_revision_id": de, "fr_revision_id": fr}


def _amendment(world: World, o: dict[str, Any], _role: str) -> dict[str, Any]:
    return amendment_body(current_revisions(world, o["paragraph_id"])[0])


def _amendment_form(world: World, o: dict[str, Any], _role: str) -> dict[str, Any]:
    de, _ = current_revisions(world, o["paragraph_id"])
    return {"de": "Ein neuer Vorschlag.", "de_base_revision_id": de, "justification": "Klarer."}


def _rebase(world: World, o: dict[str, Any], _role: str) -> dict[str, Any]:
    de, _ = current_revisions(world, o["paragraph_id"])
    return {"texts": {"de": "Neu gefasst."}, "base_revision_ids": {"de": de}}


def _rebase_form(world: World, o: dict[str, Any], _role: str) -> dict[str, Any]:
    de, _ = current_revisions(world, o["paragraph_id"])
    return {"de": "Neu gefasst.", "de_base_revision_id": de}


def _initiative_form(_w: World, _o: dict[str, Any], role: str) -> dict[str, Any]:
    return initiative_body(role) | {"themes": "energie"}


def _import_create(world: World, o: dict[str, Any], _role: str) -> dict[str, Any]:
    # The preview page carries the parsed document as ``payload``; take it from there.
    page = world.browser("moderator").post(
        f"/groups/{o['slug']}/import",
        data={"lang": "de", "title_de": "Import", "title_fr": "Import"},
        files={"file": ("entwurf.md", MARKDOWN, "text/markdown")},
    )
    match = re.search(r'name="payload" value="([^"]*)"', page.text)
    assert match, page.text[:500]
    return {"payload": html.unescape(match.group(1))}


def const(value: dict[str, Any]) -> Body:
    return lambda _w, _o, _r: value


IMPORT_FORM = {"lang": "de", "title_de": "Import", "title_fr": "Import"}

BODIES: dict[str, Body] = {
    "POST /login": lambda _w, _o, r: {
        "username": USERNAMES.get(r, "olaf"),
        "password": PASSWORD,
        "next": "/",
    },
    "POST /language": const({"language": "de", "next": "/"}),
    "POST /account/password": const({"current_password": PASSWORD, "new_password": PASSWORD}),
    "POST /account/language": const({"language": "fr", "next": "/"}),
    "POST /api/v1/users": lambda _w, _o, r: {
        "username": f"neu{r}",
        "display_name": "Neu",
        "password": PASSWORD,
        "locale": "de",
    },
    "POST /api/v1/groups": lambda _w, _o, r: {"slug": f"neu-{r}", "name_de": "N", "name_fr": "N"},
    "POST /admin/users": lambda _w, _o, r: {
        "username": f"neu{r}",
        "display_name": "Neu",
        "password": PASSWORD,
        "locale": "de",
    },
    "POST /admin/groups": lambda _w, _o, r: {"slug": f"neu-{r}", "name_de": "N", "name_fr": "N"},
    "PUT /api/v1/groups/{slug}/members/{username}": const({"role": "member"}),
    "POST /api/v1/groups/{slug}/documents": const({"title_de": "Neu", "title_fr": "Nouveau"}),
    "POST /groups/{slug}/documents": const({"title_de": "Neu", "title_fr": "Nouveau"}),
    "POST /groups/{slug}/members": const({"username": "olaf", "role": "member"}),
    "POST /api/v1/documents/{document_id}/phase": const({"phase": "amendments", "reason": "t"}),
    "POST /documents/{document_id}/phase": const({"phase": "amendments", "reason": "t"}),
    "POST /api/v1/documents/{document_id}/paragraphs": const(
        {"kind": "text", "de": "Neuer Absatz.", "fr": "Nouveau paragraphe."}
    ),
    "POST /documents/{document_id}/paragraphs": const(
        {"kind": "text", "de": "Neuer Absatz.", "fr": "Nouveau paragraphe."}
    ),
    "PATCH /api/v1/paragraphs/{paragraph_id}": const({"kind": "recommendation"}),
    "PATCH /api/v1/paragraphs/{paragraph_id}/texts/{lang}": _texts,
    "POST /paragraphs/{paragraph_id}/texts/{lang}": _texts,
    "POST /api/v1/paragraphs/{paragraph_id}/texts/{lang}/restore": lambda _w, o, _r: {
        "revision_id": o["first_de"]
    },
    "POST /paragraphs/{paragraph_id}/texts/{lang}/restore": lambda _w, o, _r: {
        "revision_id": o["first_de"]
    },
    "POST /paragraphs/{paragraph_id}/move": const({"position": 1}),
    "POST /paragraphs/{paragraph_id}/kind": const({"kind": "recommendation"}),
    "POST /api/v1/paragraphs/{paragraph_id}/presence": const({"lang": "de", "state": "editing"}),
    "POST /paragraphs/{paragraph_id}/presence": const({"lang": "de", "state": "editing"}),
    "POST /api/v1/paragraphs/{paragraph_id}/amendments": _amendment,
    "POST /paragraphs/{paragraph_id}/amendments": _amendment_form,
    "POST /api/v1/amendments/{amendment_id}/rebase": _rebase,
    "POST /amendments/{amendment_id}/rebase": _rebase_form,
    "POST /api/v1/amendments/{amendment_id}/decision": const(
        {"decision": "reject", "reason": "Nicht nötig."}
    ),
    "POST /amendments/{amendment_id}/decision": const(
        {"decision": "reject", "reason": "Nicht nötig."}
    ),
    "POST /api/v1/paragraphs/{paragraph_id}/amendments/merge-preview": lambda _w, o, _r: {
        "amendment_ids": o["merge_ids"],
        "reason": "Zusammen.",
    },
    "POST /api/v1/paragraphs/{paragraph_id}/amendments/merge": lambda _w, o, _r: {
        "amendment_ids": o["merge_ids"],
        "reason": "Zusammen.",
    },
    "POST /paragraphs/{paragraph_id}/amendments/merge": lambda _w, o, _r: {
        "amendment_ids": [str(i) for i in o["merge_ids"]],
        "reason": "Zusammen.",
    },
    "POST /amendments/{amendment_id}/support": const({"back": "amendment"}),
    "POST /amendments/{amendment_id}/withdraw": const({"back": "amendment"}),
    "POST /api/v1/paragraphs/{paragraph_id}/comments": const({"lang": "de", "body": "Gut."}),
    "POST /paragraphs/{paragraph_id}/comments": const({"lang": "de", "body": "Gut."}),
    "POST /api/v1/paragraphs/{paragraph_id}/alignment": _alignment,
    "POST /paragraphs/{paragraph_id}/alignment": _alignment,
    "POST /paragraphs/{paragraph_id}/machine-translation": const({"to": "fr"}),
    "POST /api/v1/groups/{slug}/glossary": lambda _w, _o, r: {
        "term_de": f"Begriff {r}",
        "term_fr": f"terme {r}",
    },
    "PATCH /api/v1/groups/{slug}/glossary/{term_id}": lambda _w, _o, r: {
        "term_de": f"Begriff {r}",
        "term_fr": f"terme {r}",
    },
    "POST /groups/{slug}/glossary": lambda _w, _o, r: {
        "term_de": f"Begriff {r}",
        "term_fr": f"terme {r}",
    },
    "POST /groups/{slug}/glossary/{term_id}": lambda _w, _o, r: {
        "term_de": f"Begriff {r}",
        "term_fr": f"terme {r}",
    },
    "POST /api/v1/initiatives": lambda _w, _o, r: initiative_body(r),
    "PATCH /api/v1/initiatives/{key}": const({"summary_de": "Neu zusammengefasst."}),
    "POST /initiatives": _initiative_form,
    "POST /initiatives/{key}": lambda w, o, r: _initiative_form(w, o, r) | {"key": o["key"]},
    "POST /initiatives/import": const(
        {
            "csv_text": "key,name_de,name_fr,municipality,country\n"
            "csv-eins,Solar,Solaire,Kehl,DE\n",
            "dry_run": "1",
        }
    ),
    "POST /api/v1/paragraphs/{paragraph_id}/evidence": lambda _w, o, _r: {
        "initiative_key": o["new_key"],
        "note": "Auch hier.",
    },
    "POST /paragraphs/{paragraph_id}/evidence": lambda _w, o, _r: {
        "initiative_key": o["new_key"],
        "note": "Auch hier.",
    },
    "POST /api/v1/documents/{document_id}/versions": const({"label": "v2"}),
    "POST /documents/{document_id}/versions": const({"label": "v2"}),
    "POST /api/v1/documents/{document_id}/reviews": lambda _w, o, _r: {
        "version": o["number"],
        "decision": "approve",
        "comment": "",
    },
    "POST /documents/{document_id}/reviews": lambda _w, o, _r: {
        "version": o["number"],
        "decision": "approve",
    },
    "POST /api/v1/groups/{slug}/documents/import/preview": const(IMPORT_FORM),
    "POST /api/v1/groups/{slug}/documents/import": const(IMPORT_FORM),
    "POST /groups/{slug}/import": const(IMPORT_FORM),
    "POST /groups/{slug}/import/create": _import_create,
}


def _new_initiative(world: World, objects: dict[str, Any]) -> None:
    """An initiative the paragraph does not cite yet (a paragraph cites each one once)."""
    objects["fresh"] = objects.get("fresh", 0) + 1
    created = api(
        world,
        "member",
        "POST",
        "/api/v1/initiatives",
        json=initiative_body(f"fresh-{objects['fresh']}"),
    )
    assert created.status_code == 201, created.text
    objects["new_key"] = created.json()["key"]


def _new_link(world: World, objects: dict[str, Any]) -> None:
    _new_initiative(world, objects)
    link = api(
        world,
        "member",
        "POST",
        f"/api/v1/paragraphs/{objects['paragraph_id']}/evidence",
        json={"initiative_key": objects["new_key"], "note": "Noch ein Beleg."},
    )
    assert link.status_code == 201, link.text
    objects["link_id"] = link.json()["id"]


# Routes that destroy their object: a fresh one for each role, so that a later role does not
# meet a 404 only because an earlier role already removed it.
BEFORE_EACH_ROLE: dict[str, Callable[[World, dict[str, Any]], None]] = {
    "DELETE /api/v1/evidence/{link_id}": _new_link,
    "POST /evidence/{link_id}/remove": _new_link,
    "POST /api/v1/paragraphs/{paragraph_id}/evidence": _new_initiative,
    "POST /paragraphs/{paragraph_id}/evidence": _new_initiative,
}

# Routes that take a Markdown file upload.
UPLOADS = {
    "POST /api/v1/groups/{slug}/documents/import/preview",
    "POST /api/v1/groups/{slug}/documents/import",
    "POST /groups/{slug}/import",
}

QUERIES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "GET /api/v1/paragraphs/{paragraph_id}/revisions": lambda _o: {"lang": "de"},
    "GET /api/v1/paragraphs/{paragraph_id}/diff": lambda o: {
        "from": o["first_de"],
        "to": o["first_de"],
    },
    "GET /api/v1/paragraphs/{paragraph_id}/suggestions": lambda _o: {"to": "fr"},
    "POST /api/v1/paragraphs/{paragraph_id}/translate": lambda _o: {"to": "fr"},
    "GET /api/v1/documents/{document_id}/compare": lambda o: {"from": o["number"]},
    "GET /documents/{document_id}/compare": lambda o: {"from": o["number"]},
    "GET /api/v1/documents/{document_id}/changes.docx": lambda o: {"from": o["number"]},
    "GET /documents/{document_id}/changes.docx": lambda o: {"from": o["number"]},
    "GET /paragraphs/{paragraph_id}/amendments/merge": lambda o: {"ids": o["merge_ids"]},
    "GET /api/v1/search": lambda _o: {"q": "Kommunen"},
    "GET /search": lambda _o: {"q": "Kommunen"},
}


# --- Calling a route as a role --------------------------------------------------------------


def outcome(response: Any) -> str:
    status = response.status_code
    if status == 303 and response.headers.get("location", "").startswith("/login"):
        return "login"
    if status in (401, 403, 404):
        return str(status)
    return "ok"


class Caller:
    """One client per role; pages through a logged-in browser, the API with a token."""

    def __init__(self, world: World, neighbour: User | None = None) -> None:
        self.world = world
        self.neighbour = neighbour
        self.browsers: dict[str, BrowserClient] = {}
        self.api_clients: dict[str, TestClient] = {}

    def user(self, role: str) -> User:
        if role == "neighbour":
            assert self.neighbour is not None, "this test has no neighbour"
            return self.neighbour
        user: User = getattr(self.world, USERS[role])
        return user

    def browser(self, role: str) -> BrowserClient:
        if role not in self.browsers:
            browser = BrowserClient(self.world.app)
            if role == "anonymous":
                # Before login, the login form's double-submit token passes the CSRF check.
                browser.csrf_token = csrf_of(browser.get("/login").text)
            else:
                assert browser.login(self.user(role).username).status_code == 303
            self.browsers[role] = browser
        return self.browsers[role]

    def api_client(self, role: str) -> TestClient:
        if role == "anonymous":
            return TestClient(self.world.app, follow_redirects=False)
        if role not in self.api_clients:
            self.api_clients[role] = api_client(self.world.app, self.user(role))
        return self.api_clients[role]

    def call(self, key: str, objects: dict[str, Any], role: str) -> Any:
        method, template = key.split(" ", 1)
        path = template.format(**objects)
        body = BODIES[key](self.world, objects, role) if key in BODIES else None
        params = QUERIES[key](objects) if key in QUERIES else None
        files = {"file": ("entwurf.md", MARKDOWN, "text/markdown")} if key in UPLOADS else None
        if key == "POST /api/v1/tokens":
            password = "wrong password" if role == "anonymous" else PASSWORD
            body = {"username": USERNAMES.get(role, "olaf"), "password": password}
        if template.startswith("/api/"):
            client = self.api_client(role)
            if files is not None:
                return client.request(method, path, data=body, files=files, params=params)
            return client.request(method, path, json=body, params=params)
        browser = self.browser(role)
        if method == "GET":
            return browser.get(path, params=params)
        assert method == "POST", key
        return browser.post(path, data=body, files=files, params=params)


# --- Tests ----------------------------------------------------------------------------------


def test_every_route_is_in_the_table(app: FastAPI) -> None:
    routes = route_keys(app) - EXCLUDED
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes missing from MATRIX: {missing}"
    assert not stale, f"MATRIX entries for routes that no longer exist: {stale}"
    assert route_keys(app) >= EXCLUDED, "an excluded route no longer exists"


CASES = [
    bug(key, expected, BUGS[key]) if key in BUGS else pytest.param(key, expected, id=key)
    for key, expected in MATRIX.items()
]


@pytest.fixture
def neighbour(world: World) -> User:
    return make_neighbour(world, NEIGHBOUR)


@pytest.mark.parametrize(("key", "expected"), CASES)
def test_route_answers_each_role_as_the_table_says(
    world: World, neighbour: User, key: str, expected: dict[str, str]
) -> None:
    phase = expected.get("phase", "")
    objects = build_objects(world, phase)
    caller = Caller(world, neighbour)
    actual = {}
    statuses = {}
    for role in ROLES:
        if key in BEFORE_EACH_ROLE:
            BEFORE_EACH_ROLE[key](world, objects)
        response = caller.call(key, objects, role)
        actual[role] = outcome(response)
        statuses[role] = response.status_code
    wanted = {role: expected[role] for role in ROLES}
    assert actual == wanted, f"{key}: statuses {statuses}"


# The site admin (not a member of "klima"): the admin routes and managing members are
# allowed; the group's documents stay hidden (404), like for any non-member.
ADMIN_CASES = {
    "POST /api/v1/users": "ok",
    "POST /api/v1/groups": "ok",
    "GET /admin": "ok",
    "POST /admin/users": "ok",
    "POST /admin/groups": "ok",
    "PUT /api/v1/groups/{slug}/members/{username}": "ok",
    "DELETE /api/v1/groups/{slug}/members/{username}": "ok",
    "POST /groups/{slug}/members": "ok",
    "POST /groups/{slug}/members/{username}/remove": "ok",
    "GET /api/v1/documents/{document_id}": "404",
    "GET /documents/{document_id}": "404",
    "POST /api/v1/groups/{slug}/documents": "404",
}


@pytest.mark.parametrize(("key", "expected"), ADMIN_CASES.items(), ids=list(ADMIN_CASES))
def test_site_admin_answers_as_the_table_says(world: World, key: str, expected: str) -> None:
    assert key in MATRIX
    objects = build_objects(world, MATRIX[key].get("phase", ""))
    response = Caller(world).call(key, objects, "admin")
    assert outcome(response) == expected, f"{key}: status {response.status_code}"


def stream_headers(caller: Caller, role: str, api: bool) -> dict[str, str]:
    """How ``role`` signs in on an event stream: a token for the API, the session cookie of a
    logged-in browser for the page (nothing for the anonymous visitor)."""
    if role == "anonymous":
        return {}
    if api:
        token = caller.api_client(role).headers["Authorization"]
        return {"Authorization": token}
    cookies = caller.browser(role).client.cookies
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}


def stream_outcome(status: int | None) -> str:
    assert status is not None, "the event stream gave no answer"
    if status == 303:  # a stream redirects only to the login page
        return "login"
    return "ok" if status == 200 else str(status)


@pytest.mark.parametrize(
    "path", ["/documents/{id}/events", "/api/v1/documents/{id}/events"], ids=["page", "api"]
)
def test_event_streams_open_for_the_groups_readers_and_are_hidden_from_everyone_else(
    world: World, neighbour: User, path: str
) -> None:
    # Served for real: an allowed stream stays open, and the reader stops at its first line.
    api = path.startswith("/api/")
    expected = READ_API if api else READ_PAGE
    caller = Caller(world, neighbour)
    actual = {}
    with serving(world.app) as base_url:
        for role in ROLES:
            url = base_url + path.format(id=world.document_id)
            with EventReader(url, stream_headers(caller, role, api)) as reader:
                actual[role] = stream_outcome(reader.status)
    assert actual == {role: expected[role] for role in ROLES}
