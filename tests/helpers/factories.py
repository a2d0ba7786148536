"""Build real rows through the real services (no mocks of our own code)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlmodel import Session

from app.models import User
from app.queries.access import document_for, group_for
from app.services import auth, documents, groups, users
from drafting.text import Lang

PASSWORD = "correct horse battery"


@contextmanager
def session_of(app: FastAPI) -> Iterator[Session]:
    with app.state.sessions() as session:
        yield session


def make_user(app: FastAPI, username: str, *, admin: bool = False, locale: str = "en") -> User:
    with session_of(app) as session:
        return users.create_user(
            session,
            None,
            username=username,
            display_name=username.capitalize(),
            password=PASSWORD,
            locale=locale,
            is_admin=admin,
        )


def api_client(app: FastAPI, user: User) -> TestClient:
    with session_of(app) as session:
        token = auth.issue_api_token(session, user)
    client = TestClient(app, raise_server_exceptions=True)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


class BrowserClient:
    """A TestClient that logs in through the form and sends the CSRF token like a page."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app, raise_server_exceptions=True, follow_redirects=False)
        self.csrf_token = ""

    def login(self, username: str, password: str = PASSWORD) -> Any:
        page = self.client.get("/login")
        token = csrf_of(page.text)
        response = self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        )
        if response.status_code == 303:
            self.refresh_csrf()
        return response

    def refresh_csrf(self, path: str = "/account") -> None:
        self.csrf_token = csrf_of(self.client.get(path).text)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        form = {"csrf_token": self.csrf_token} | (data or {})
        return self.client.post(path, data=form, **kwargs)


def assert_error(answer: Response, status: int, code: str) -> dict[str, Any]:
    """The answer is an error of the contract's shape; returns its ``error`` object."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"].strip()
    assert isinstance(error["details"], dict)
    return error


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@dataclass
class World:
    """One working group with every role, an outsider and a document of three paragraphs."""

    app: FastAPI
    admin: User
    moderator: User
    member: User
    liaison_de: User
    liaison_fr: User
    outsider: User
    document_id: int
    paragraph_ids: list[int]
    slug: str = "klima"
    clients: dict[str, TestClient] = field(default_factory=dict)

    def api(self, who: str) -> TestClient:
        if who not in self.clients:
            self.clients[who] = api_client(self.app, getattr(self, who))
        return self.clients[who]

    def browser(self, who: str) -> BrowserClient:
        browser = BrowserClient(self.app)
        assert browser.login(getattr(self, who).username).status_code == 303
        return browser

    def current(self, paragraph_id: int, lang: str = "de") -> dict[str, Any]:
        document = self.api("member").get(f"/api/v1/documents/{self.document_id}").json()
        paragraph = next(p for p in document["paragraphs"] if p["id"] == paragraph_id)
        texts: dict[str, Any] = paragraph["texts"][lang]
        return texts


def build_world(app: FastAPI) -> World:
    admin = make_user(app, "admin", admin=True)
    moderator = make_user(app, "mona")
    member = make_user(app, "jonas")
    liaison_de = make_user(app, "anna")
    liaison_fr = make_user(app, "helene", locale="fr")
    outsider = make_user(app, "olaf")
    with session_of(app) as session:
        groups.create_group(session, admin, slug="klima", name_de="Klima AG", name_fr="GT Climat")
        access = group_for(session, admin, "klima", admin_ok=True)
        groups.set_member(session, access, "mona", "moderator", None)
        groups.set_member(session, access, "jonas", "member", None)
        groups.set_member(session, access, "anna", "liaison", "DE")
        groups.set_member(session, access, "helene", "liaison", "FR")
        moderator_access = group_for(session, moderator, "klima")
        document = documents.create_document(
            session, moderator_access, "Klimaneutrale Kommunen", "Collectivités neutres en carbone"
        )
        assert document.id is not None
        document_access = document_for(session, moderator, document.id)
        paragraph_ids = []
        for kind, de, fr in [
            ("heading", "Präambel", "Préambule"),
            (
                "text",
                "Viele Kommunen haben den Klimanotstand ausgerufen.",
                "De nombreuses collectivités ont déclaré l'urgence climatique.",
            ),
            (
                "recommendation",
                "Bund und Länder sollen Klimaschutz zur Pflichtaufgabe machen.",
                "L'État doit faire de la protection du climat une compétence obligatoire.",
            ),
        ]:
            paragraph = documents.insert_paragraph(
                session, document_access, kind=kind, texts={Lang.DE: de, Lang.FR: fr}
            )
            assert paragraph.id is not None
            paragraph_ids.append(paragraph.id)
        session.commit()
    return World(
        app=app,
        admin=admin,
        moderator=moderator,
        member=member,
        liaison_de=liaison_de,
        liaison_fr=liaison_fr,
        outsider=outsider,
        document_id=document.id,
        paragraph_ids=paragraph_ids,
    )


def make_neighbour(world: World, username: str = "otto", slug: str = "verkehr") -> User:
    """A moderator of another working group, with a document there: someone in a group, with
    every permission a group gives, but not in the world's group ("klima")."""
    neighbour = make_user(world.app, username)
    with session_of(world.app) as session:
        groups.create_group(session, world.admin, slug=slug, name_de="Verkehr", name_fr="Mobilité")
        access = group_for(session, world.admin, slug, admin_ok=True)
        groups.set_member(session, access, username, "moderator", None)
        own_group = group_for(session, neighbour, slug)
        documents.create_document(session, own_group, "Verkehrswende", "Transition des transports")
        session.commit()
    return neighbour
