"""``tandem seed-demo``: a demo working group you can log into. Safe to run again."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from app.db import unit_of_work
from app.models import Document, Membership, User, WorkingGroup
from app.queries.access import document_for, group_for
from app.queries.groups import user_by_name
from app.services import alignment, documents, groups, users
from drafting.text import Lang

DEMO_PASSWORD = "tandem-demo-2026"
DEMO_GROUP = "waerme-grenzregion"

DEMO_USERS = [
    # username, display name, locale, role, government
    ("admin", "Site Admin", "en", None, None),
    ("mona", "Mona Moderatorin", "de", "moderator", None),
    ("jonas", "Jonas Becker", "de", "member", None),
    ("claire", "Claire Dubois", "fr", "member", None),
    ("liaison-de", "Dr. Anna Schmidt (BMWK)", "de", "liaison", "DE"),
    ("liaison-fr", "Hélène Martin (MTE)", "fr", "liaison", "FR"),
]


def _ensure_user(session: Session, username: str, display_name: str, locale: str) -> User:
    existing = user_by_name(session, username)
    if existing is not None:
        return existing
    return users.create_user(
        session,
        None,
        username=username,
        display_name=display_name,
        password=DEMO_PASSWORD,
        locale=locale,
        is_admin=username == "admin",
    )


def seed_demo(session: Session) -> str:
    created = {
        username: _ensure_user(session, username, name, locale)
        for username, name, locale, _, _ in DEMO_USERS
    }
    admin = created["admin"]
    group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == DEMO_GROUP)).first()
    if group is None:
        group = groups.create_group(
            session,
            admin,
            slug=DEMO_GROUP,
            name_de="Arbeitsgruppe Wärmewende in der Grenzregion",
            name_fr="Groupe de travail Transition thermique dans la région frontalière",
        )
    access = group_for(session, admin, DEMO_GROUP, admin_ok=True)
    for username, _name, _locale, role, government in DEMO_USERS:
        if role is None:
            continue
        user = created[username]
        has_membership = session.exec(
            select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
        ).first()
        if has_membership is None:
            groups.set_member(session, access, username, role, government)

    content = json.loads((Path(__file__).parent / "document.json").read_text(encoding="utf-8"))
    existing = session.exec(
        select(Document).where(
            Document.group_id == group.id, Document.title_de == content["title_de"]
        )
    ).first()
    if existing is None:
        moderator_access = group_for(session, created["mona"], DEMO_GROUP)
        document = documents.create_document(
            session, moderator_access, content["title_de"], content["title_fr"]
        )
        assert document.id is not None
        document_access = document_for(session, created["mona"], document.id)
        with unit_of_work(session):
            inserted = [
                documents.insert_paragraph(
                    session,
                    document_access,
                    kind=paragraph["kind"],
                    texts={Lang.DE: paragraph["de"], Lang.FR: paragraph["fr"]},
                )
                for paragraph in content["paragraphs"]
            ]
        # The demo texts are translations of each other: start them confirmed, so that an
        # edit visibly makes the other language outdated.
        for paragraph in inserted:
            assert paragraph.id and paragraph.de_revision_id and paragraph.fr_revision_id
            alignment.confirm(
                session,
                created["mona"],
                paragraph.id,
                paragraph.de_revision_id,
                paragraph.fr_revision_id,
            )
        existing = document
    logins = "\n".join(
        f"  {username:<11} {role or 'site admin'}{f' ({government})' if government else ''}"
        for username, _n, _l, role, government in DEMO_USERS
    )
    return (
        f"Demo ready: working group '{DEMO_GROUP}', document {existing.id}.\n"
        f"Log in at http://127.0.0.1:8000 with one of these users, password '{DEMO_PASSWORD}':\n"
        f"{logins}"
    )
