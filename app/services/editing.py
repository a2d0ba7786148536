"""Saving and restoring paragraph texts: every change is a revision, nothing typed is lost."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app import validation
from app.db import unit_of_work
from app.errors import EditConflict, NotFound, ValidationFailed
from app.events import DocumentEvent
from app.models import ConflictDraft, Paragraph, Revision, User, utcnow
from app.permissions import Action
from app.queries.access import DocumentAccess, paragraph_for
from app.queries.conflicts import own_conflict
from app.queries.revisions import current_revision, revision_of
from app.services import audit
from app.services.live_events import document_event
from drafting import revisions as domain
from drafting.revisions import Source
from drafting.text import Lang


@dataclass(frozen=True)
class SaveResult:
    revision: Revision
    merged: bool
    created: bool


def _base(session: Session, paragraph: Paragraph, lang: Lang, base_revision_id: int) -> Revision:
    assert paragraph.id is not None
    try:
        return revision_of(session, paragraph.id, base_revision_id, lang.value)
    except NotFound:
        raise ValidationFailed(
            "base_revision_id {revision_id} is not a {lang} revision of this paragraph.",
            details={"field": "base_revision_id"},
            revision_id=base_revision_id,
            lang=lang.value.upper(),
        ) from None


def new_revision(
    session: Session,
    access: DocumentAccess,
    paragraph: Paragraph,
    lang: Lang,
    text: str,
    parent: Revision,
    source: Source,
    **audit_details: object,
) -> Revision:
    """The paragraph's new current text in ``lang``, after ``parent``, with its audit entry."""
    assert paragraph.id is not None
    revision = Revision(
        paragraph_id=paragraph.id,
        lang=lang,
        text=text,
        parent_id=parent.id,
        author_id=access.user.id,
        source=source,
    )
    session.add(revision)
    session.flush()
    assert revision.id is not None
    paragraph.set_current_revision_id(lang.value, revision.id)
    session.add(paragraph)
    audit.record_in_group(
        session,
        access,
        f"text.{source.value}",
        f"paragraph:{paragraph.id}",
        lang=lang.value,
        revision_id=revision.id,
        **audit_details,
    )
    return revision


def saved_event(access: DocumentAccess, paragraph: Paragraph, revision: Revision) -> DocumentEvent:
    """A paragraph's text changed: open pages fetch the paragraph again."""
    data = {"lang": revision.lang, "revision_id": revision.id, "source": revision.source}
    return document_event(access, "paragraph_saved", paragraph.id, data)


def _locked(session: Session, user: User, paragraph_id: int) -> tuple[DocumentAccess, Paragraph]:
    """The paragraph under a row lock (PostgreSQL), so that concurrent saves of one paragraph
    take turns and each builds on the text the previous one committed.

    Loaded here rather than taken from the route's access dependency, which read it
    without the lock.
    """
    return paragraph_for(session, user, paragraph_id, for_update=True)


def save_text(
    session: Session,
    user: User,
    paragraph_id: int,
    lang: Lang,
    text: str,
    base_revision_id: int,
    *,
    resolves_conflict_id: int | None = None,
) -> SaveResult:
    """Save ``text`` written on top of ``base_revision_id``; merge or keep a conflict draft.

    ``resolves_conflict_id`` names the author's conflict draft that this save resolves.
    """
    with unit_of_work(session) as uow:
        access, paragraph = _locked(session, user, paragraph_id)
        access.require_in_phase(Action.EDIT_TEXT)
        yours = validation.text_field("text", text)
        resolved = (
            own_conflict(session, user, resolves_conflict_id) if resolves_conflict_id else None
        )
        current = current_revision(session, paragraph, lang)
        base = _base(session, paragraph, lang, base_revision_id)
        try:
            outcome = domain.apply_edit(
                base.text, current.text, yours, base_is_current=base.id == current.id
            )
        except domain.EditConflict as conflict:
            # The draft commits with this unit, before the 409 is answered: what was typed
            # survives a closed browser.
            refusal = _keep_conflict_draft(
                session, access, paragraph, lang, base, current, conflict
            )
        else:
            if resolved is not None:
                _close(resolved, "resolved")
                session.add(resolved)
            if outcome.unchanged:
                return SaveResult(revision=current, merged=outcome.merged, created=False)
            source = Source.MERGE if outcome.merged else Source.HUMAN
            revision = new_revision(session, access, paragraph, lang, outcome.text, current, source)
            uow.after_commit(saved_event(access, paragraph, revision))
            return SaveResult(revision=revision, merged=outcome.merged, created=True)
    raise refusal


def _keep_conflict_draft(
    session: Session,
    access: DocumentAccess,
    paragraph: Paragraph,
    lang: Lang,
    base: Revision,
    current: Revision,
    conflict: domain.EditConflict,
) -> EditConflict:
    """Keep the author's text as a conflict draft; the refusal that points to it."""
    assert paragraph.id and access.user.id and base.id and current.id
    draft = ConflictDraft(
        paragraph_id=paragraph.id,
        lang=lang,
        author_id=access.user.id,
        base_revision_id=base.id,
        theirs_revision_id=current.id,
        text=conflict.yours,
    )
    session.add(draft)
    session.flush()
    return EditConflict(
        details={
            "conflict_id": draft.id,
            "base": {"revision_id": base.id, "text": conflict.base},
            "theirs": {"revision_id": current.id, "text": conflict.theirs},
            "yours": {"text": conflict.yours},
            "proposal": conflict.proposal,
        }
    )


def _close(draft: ConflictDraft, state: str) -> None:
    draft.state = state
    draft.closed_at = utcnow()


def discard_conflict(session: Session, user: User, conflict_id: int) -> ConflictDraft:
    """The author gives up a conflict draft; it stays in the database, closed."""
    with unit_of_work(session):
        draft = own_conflict(session, user, conflict_id)
        if draft.state == "open":
            _close(draft, "discarded")
            session.add(draft)
    return draft


def restore(
    session: Session, user: User, paragraph_id: int, lang: Lang, revision_id: int
) -> SaveResult:
    """Make an old revision's text current again, as a new revision with source ``restore``."""
    with unit_of_work(session) as uow:
        access, paragraph = _locked(session, user, paragraph_id)
        access.require_in_phase(Action.EDIT_TEXT)
        assert paragraph.id is not None
        old = revision_of(session, paragraph.id, revision_id, lang.value)
        current = current_revision(session, paragraph, lang)
        if old.text == current.text:
            return SaveResult(revision=current, merged=False, created=False)
        revision = new_revision(session, access, paragraph, lang, old.text, current, Source.RESTORE)
        uow.after_commit(saved_event(access, paragraph, revision))
    return SaveResult(revision=revision, merged=False, created=True)
