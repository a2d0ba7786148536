"""Confirming that DE and FR say the same thing, and machine translation into one side."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app import validation
from app.db import unit_of_work
from app.errors import Conflict, NotFound, ValidationFailed
from app.events import DocumentEvent
from app.models import Alignment, Paragraph, Revision, User
from app.permissions import Action
from app.queries import glossary as glossary_queries
from app.queries.access import DocumentAccess, paragraph_for
from app.queries.alignment import current_alignments
from app.queries.revisions import current_revision
from app.services import audit
from app.services.editing import new_revision, saved_event
from app.services.live_events import document_event
from app.services.translation import Translator
from drafting.glossary import TermWarning
from drafting.revisions import Source
from drafting.text import Lang


@dataclass(frozen=True)
class Confirmation:
    alignment: Alignment
    warnings: list[TermWarning]
    created: bool


def _changed_event(access: DocumentAccess, paragraph: Paragraph, **data: object) -> DocumentEvent:
    return document_event(access, "paragraph_changed", paragraph.id, dict(data))


def _locked(session: Session, user: User, paragraph_id: int) -> tuple[DocumentAccess, Paragraph]:
    """The paragraph, its row locked (PostgreSQL) so that confirmations and saves take turns.

    Loaded here rather than taken from the route: the request's access dependency may have
    read the row before the lock, and what counts is the row as it is under the lock.
    """
    access, paragraph = paragraph_for(session, user, paragraph_id, for_update=True)
    session.refresh(paragraph)
    if paragraph.deleted_at is not None:
        raise NotFound()
    return access, paragraph


def confirm(
    session: Session, user: User, paragraph_id: int, de_revision_id: int, fr_revision_id: int
) -> Confirmation:
    """Record that the current DE and FR revisions say the same thing.

    The ids must be the current revisions: confirming a pair someone has changed since the
    page was loaded would confirm a text the person has not read (409 conflict).
    """
    with unit_of_work(session) as uow:
        access, paragraph = _locked(session, user, paragraph_id)
        access.require_in_phase(Action.CONFIRM_ALIGNMENT)
        assert paragraph.id is not None and access.group.id is not None
        if (de_revision_id, fr_revision_id) != (
            paragraph.de_revision_id,
            paragraph.fr_revision_id,
        ):
            raise Conflict(
                "The text changed since you read it: the current revisions are DE {de} and FR"
                " {fr}. Read the current texts and confirm again.",
                details={
                    "de_revision_id": paragraph.de_revision_id,
                    "fr_revision_id": paragraph.fr_revision_id,
                },
                de=paragraph.de_revision_id,
                fr=paragraph.fr_revision_id,
            )
        de, fr = (
            current_revision(session, paragraph, Lang.DE),
            current_revision(session, paragraph, Lang.FR),
        )
        if not de.text.strip() or not fr.text.strip():
            raise ValidationFailed(
                "Both languages need a text before they can be confirmed as saying the same.",
                details={"field": "de_revision_id" if not de.text.strip() else "fr_revision_id"},
            )
        warnings = glossary_queries.check(session, access.group.id, de.text, fr.text)
        current = current_alignments(session, paragraph_id=paragraph.id).get(paragraph.id)
        if current and (current.de_revision_id, current.fr_revision_id) == (de.id, fr.id):
            existing = Alignment(
                paragraph_id=paragraph.id,
                de_revision_id=de_revision_id,
                fr_revision_id=fr_revision_id,
            )
            return Confirmation(alignment=existing, warnings=warnings, created=False)
        row = Alignment(
            paragraph_id=paragraph.id,
            de_revision_id=de_revision_id,
            fr_revision_id=fr_revision_id,
            confirmed_by=user.id,
        )
        session.add(row)
        session.flush()
        audit.record_in_group(
            session,
            access,
            "alignment.confirm",
            f"paragraph:{paragraph.id}",
            de_revision_id=de_revision_id,
            fr_revision_id=fr_revision_id,
            glossary_warnings=len(warnings),
        )
        uow.after_commit(_changed_event(access, paragraph, alignment="in_sync"))
    return Confirmation(alignment=row, warnings=warnings, created=True)


def machine_translate(
    session: Session, user: User, paragraph_id: int, to: Lang, translator: Translator
) -> Revision:
    """Translate the other language into ``to`` as a new revision with source ``machine``.

    The provider is called outside any transaction (it may take seconds); the revision is
    written only if the source text is still the one that was translated. A machine
    translation never confirms an alignment.
    """
    access, paragraph = paragraph_for(session, user, paragraph_id)
    access.require_in_phase(Action.EDIT_TEXT)
    source = current_revision(session, paragraph, to.other)
    if not source.text.strip():
        raise ValidationFailed(
            "There is no {lang} text to translate.",
            details={"field": "to"},
            lang=to.other.value.upper(),
        )
    source_id, source_text = source.id, source.text
    session.rollback()  # hold no lock while the provider works
    translated = translator.translate(source_text, to.other, to)
    text = validation.text_field("text", translated)
    with unit_of_work(session) as uow:
        access, paragraph = paragraph_for(session, user, paragraph_id, for_update=True)
        access.require_in_phase(Action.EDIT_TEXT)
        if paragraph.current_revision_id(to.other.value) != source_id:
            raise Conflict(
                "The {lang} text changed while it was being translated; translate again.",
                lang=to.other.value.upper(),
            )
        current = current_revision(session, paragraph, to)
        if current.text == text:
            return current
        revision = new_revision(
            session, access, paragraph, to, text, current, Source.MACHINE, provider=translator.name
        )
        uow.after_commit(saved_event(access, paragraph, revision))
    return revision
