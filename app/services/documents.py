"""Documents and the order and kind of their paragraphs."""

from __future__ import annotations

from sqlmodel import Session, col, select, update

from app import validation
from app.db import unit_of_work
from app.errors import NotFound, ValidationFailed
from app.events import DocumentEvent
from app.fields import MAX_ID
from app.models import Document, Paragraph, ParagraphKind, Revision, utcnow
from app.permissions import Action
from app.queries import documents as document_queries
from app.queries.access import DocumentAccess, GroupAccess
from app.services import audit
from app.services.choices import parse_choice
from app.services.live_events import document_event
from drafting.revisions import Source
from drafting.text import Lang


def parse_kind(kind: str) -> ParagraphKind:
    return parse_choice(
        ParagraphKind,
        "kind",
        kind,
        "Unknown paragraph kind {kind}; choose heading, text or recommendation.",
    )


def create_document(
    session: Session, access: GroupAccess, title_de: str, title_fr: str
) -> Document:
    access.require(Action.CREATE_DOCUMENT)
    assert access.group.id is not None and access.user.id is not None
    with unit_of_work(session):
        document = Document(
            group_id=access.group.id,
            title_de=validation.name_field("title_de", title_de),
            title_fr=validation.name_field("title_fr", title_fr),
            created_by=access.user.id,
        )
        session.add(document)
        session.flush()
        audit.record_in_group(session, access, "document.create", f"document:{document.id}")
    return document


def insert_paragraph(
    session: Session,
    access: DocumentAccess,
    *,
    kind: str,
    texts: dict[Lang, str],
    after_id: int | None = None,
) -> Paragraph:
    """Add a paragraph after ``after_id`` (or at the end), with a first revision per language.

    Does not commit: it writes inside the caller's transaction, so that an import of many
    paragraphs is one transaction.
    """
    parsed_kind = parse_kind(kind)
    normalised = {lang: validation.text_field(lang.value, texts.get(lang, "")) for lang in Lang}
    document_id = access.document.id
    assert document_id is not None
    if after_id is not None:
        after = session.get(Paragraph, after_id) if 0 < after_id <= MAX_ID else None
        if after is None or after.document_id != document_id or after.deleted_at is not None:
            raise NotFound(
                "Paragraph {paragraph_id} is not in this document.", paragraph_id=after_id
            )
        position = after.position + 1
        session.exec(
            update(Paragraph)
            .where(col(Paragraph.document_id) == document_id, col(Paragraph.position) >= position)
            .values(position=col(Paragraph.position) + 1)
        )
    else:
        last = session.exec(
            select(Paragraph.position)
            .where(Paragraph.document_id == document_id, col(Paragraph.deleted_at).is_(None))
            .order_by(col(Paragraph.position).desc())
        ).first()
        position = (last or 0) + 1
    paragraph = Paragraph(document_id=document_id, position=position, kind=parsed_kind)
    session.add(paragraph)
    session.flush()
    assert paragraph.id is not None
    for lang, text in normalised.items():
        revision = Revision(
            paragraph_id=paragraph.id,
            lang=lang,
            text=text,
            author_id=access.user.id,
            source=Source.HUMAN,
        )
        session.add(revision)
        session.flush()
        assert revision.id is not None
        paragraph.set_current_revision_id(lang.value, revision.id)
    session.add(paragraph)
    return paragraph


def add_paragraph(
    session: Session,
    access: DocumentAccess,
    *,
    kind: str,
    texts: dict[Lang, str],
    after_id: int | None = None,
) -> Paragraph:
    access.require_in_phase(Action.ADD_PARAGRAPH)
    with unit_of_work(session) as uow:
        paragraph = insert_paragraph(session, access, kind=kind, texts=texts, after_id=after_id)
        audit.record_in_group(
            session,
            access,
            "paragraph.add",
            f"paragraph:{paragraph.id}",
            document_id=access.document.id,
        )
        uow.after_commit(_event(access, paragraph, "paragraph_added"))
    return paragraph


def update_paragraph(
    session: Session,
    access: DocumentAccess,
    paragraph: Paragraph,
    *,
    kind: str | None = None,
    position: int | None = None,
) -> Paragraph:
    """Change a paragraph's kind, or move it to ``position`` (1 = first)."""
    access.require_in_phase(Action.MANAGE_PARAGRAPHS)
    with unit_of_work(session) as uow:
        changes: dict[str, object] = {}
        if kind is not None and kind != paragraph.kind:
            paragraph.kind = parse_kind(kind)
            changes["kind"] = paragraph.kind
        if position is not None:
            _move(session, paragraph, position)
            changes["position"] = position
        session.add(paragraph)
        if changes:
            audit.record_in_group(
                session, access, "paragraph.update", f"paragraph:{paragraph.id}", **changes
            )
            uow.after_commit(
                _event(access, paragraph, "paragraph_moved" if position else "paragraph_changed")
            )
    return paragraph


def _move(session: Session, paragraph: Paragraph, position: int) -> None:
    ordered = document_queries.live_paragraphs(session, paragraph.document_id)
    if not 1 <= position <= len(ordered):
        raise ValidationFailed(
            "Position must be between 1 and {count}.",
            details={"field": "position"},
            count=len(ordered),
        )
    ordered = [p for p in ordered if p.id != paragraph.id]
    ordered.insert(position - 1, paragraph)
    _number(session, ordered)


def _number(session: Session, ordered: list[Paragraph]) -> None:
    """Live paragraphs keep the positions 1..n, so a position read from the API can be sent
    back."""
    for index, item in enumerate(ordered, start=1):
        if item.position != index:
            item.position = index
            session.add(item)


def delete_paragraph(session: Session, access: DocumentAccess, paragraph: Paragraph) -> None:
    """Paragraphs are soft-deleted: versions and history keep pointing at them."""
    access.require_in_phase(Action.MANAGE_PARAGRAPHS)
    with unit_of_work(session) as uow:
        paragraph.deleted_at = utcnow()
        session.add(paragraph)
        remaining = [
            p
            for p in document_queries.live_paragraphs(session, paragraph.document_id)
            if p.id != paragraph.id
        ]
        _number(session, remaining)
        audit.record_in_group(session, access, "paragraph.delete", f"paragraph:{paragraph.id}")
        uow.after_commit(_event(access, paragraph, "paragraph_deleted"))


def _event(access: DocumentAccess, paragraph: Paragraph, kind: str) -> DocumentEvent:
    return document_event(access, kind, paragraph.id)
