"""A working group's glossary: seeded from the shipped base list, edited by moderators."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import validation
from app.db import unit_of_work
from app.errors import Conflict, ValidationFailed
from app.fields import GLOSSARY_NOTE_LENGTH, SHORT_NAME_LENGTH
from app.models import GlossaryTerm, WorkingGroup
from app.permissions import Action
from app.queries.access import GroupAccess
from app.queries.glossary import term_of
from app.services import audit
from drafting.glossary import Term

BASE_GLOSSARY = Path(__file__).resolve().parent.parent / "data" / "base_glossary.csv"


@cache
def base_terms() -> tuple[Term, ...]:
    """The glossary every new working group starts with (app/data/base_glossary.csv)."""
    with BASE_GLOSSARY.open(encoding="utf-8", newline="") as source:
        return tuple(
            Term(
                term_de=row["term_de"].strip(),
                term_fr=row["term_fr"].strip(),
                note=row["note"].strip(),
                false_friend=row["false_friend"].strip().lower() == "true",
            )
            for row in csv.DictReader(source)
        )


def seed_group(session: Session, group: WorkingGroup) -> None:
    """Give a new group the base glossary (in the caller's transaction)."""
    assert group.id is not None
    for term in base_terms():
        session.add(
            GlossaryTerm(
                group_id=group.id,
                term_de=term.term_de,
                term_fr=term.term_fr,
                note=term.note,
                false_friend=term.false_friend,
            )
        )


def _fields(term_de: str, term_fr: str, note: str) -> tuple[str, str, str]:
    note = validation.text_field("note", note).strip()
    if len(note) > GLOSSARY_NOTE_LENGTH:
        raise ValidationFailed(
            "The note is {length} characters long; at most {maximum} are allowed.",
            details={"field": "note"},
            length=len(note),
            maximum=GLOSSARY_NOTE_LENGTH,
        )
    return (
        validation.name_field("term_de", term_de, max_length=SHORT_NAME_LENGTH),
        validation.name_field("term_fr", term_fr, max_length=SHORT_NAME_LENGTH),
        note,
    )


def _duplicate(term_de: str, term_fr: str) -> Conflict:
    return Conflict(
        "The glossary has the pair {term_de} – {term_fr} already.",
        term_de=term_de,
        term_fr=term_fr,
    )


def _refuse_duplicate(
    session: Session, group_id: int, term_de: str, term_fr: str, own_id: int | None = None
) -> None:
    existing = session.exec(
        select(GlossaryTerm).where(
            GlossaryTerm.group_id == group_id,
            GlossaryTerm.term_de == term_de,
            GlossaryTerm.term_fr == term_fr,
        )
    ).first()
    if existing is not None and existing.id != own_id:
        raise _duplicate(term_de, term_fr)


@contextmanager
def _unique_pair(session: Session, term_de: str, term_fr: str) -> Iterator[None]:
    """Write the pair; the unique constraint catches what the check before could not see
    (another moderator adding the same pair at the same moment)."""
    try:
        yield
        session.flush()
    except IntegrityError:
        raise _duplicate(term_de, term_fr) from None


def _managed_group_id(access: GroupAccess) -> int:
    """The group whose glossary the caller may change (403 for anyone but its moderators)."""
    access.require(Action.MANAGE_GLOSSARY)
    assert access.group.id is not None
    return access.group.id


def add_term(
    session: Session,
    access: GroupAccess,
    *,
    term_de: str,
    term_fr: str,
    note: str = "",
    false_friend: bool = False,
) -> GlossaryTerm:
    group_id = _managed_group_id(access)
    term_de, term_fr, note = _fields(term_de, term_fr, note)
    with unit_of_work(session):
        _refuse_duplicate(session, group_id, term_de, term_fr)
        term = GlossaryTerm(
            group_id=group_id,
            term_de=term_de,
            term_fr=term_fr,
            note=note,
            false_friend=false_friend,
        )
        with _unique_pair(session, term_de, term_fr):
            session.add(term)
        audit.record_in_group(
            session,
            access,
            "glossary.add",
            f"glossary:{term.id}",
            term_de=term_de,
            term_fr=term_fr,
            false_friend=false_friend,
        )
    return term


def update_term(
    session: Session,
    access: GroupAccess,
    term_id: int,
    *,
    term_de: str,
    term_fr: str,
    note: str = "",
    false_friend: bool = False,
) -> GlossaryTerm:
    group_id = _managed_group_id(access)
    with unit_of_work(session):
        term = term_of(session, group_id, term_id)
        term_de, term_fr, note = _fields(term_de, term_fr, note)
        _refuse_duplicate(session, group_id, term_de, term_fr, own_id=term.id)
        with _unique_pair(session, term_de, term_fr):
            term.term_de, term.term_fr = term_de, term_fr
            term.note, term.false_friend = note, false_friend
            session.add(term)
        audit.record_in_group(
            session,
            access,
            "glossary.edit",
            f"glossary:{term.id}",
            term_de=term_de,
            term_fr=term_fr,
            false_friend=false_friend,
        )
    return term


def delete_term(session: Session, access: GroupAccess, term_id: int) -> None:
    group_id = _managed_group_id(access)
    with unit_of_work(session):
        term = term_of(session, group_id, term_id)
        audit.record_in_group(
            session,
            access,
            "glossary.delete",
            f"glossary:{term.id}",
            term_de=term.term_de,
            term_fr=term.term_fr,
        )
        session.delete(term)
