"""Reading alignment for the document page, the translation view and the API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import Alignment, Document, Paragraph, Revision, User
from app.queries import glossary as glossary_queries
from app.queries.access import DocumentAccess, ParagraphAccess
from app.queries.documents import ParagraphView, paragraph_view, paragraphs_of
from drafting import alignment, glossary, memory
from drafting.alignment import Status
from drafting.diffs import DiffOps
from drafting.text import Lang

# The order in which the document summary lists the statuses.
STATUS_ORDER = (
    Status.IN_SYNC,
    Status.FR_OUTDATED,
    Status.DE_OUTDATED,
    Status.BOTH_CHANGED,
    Status.MISSING,
)
# The translation memory reads at most this many confirmed pairs, newest first.
MEMORY_LIMIT = 5000


@dataclass(frozen=True)
class Confirmed:
    """The current alignment of a paragraph: the confirmed pair with its texts."""

    de_revision_id: int
    fr_revision_id: int
    de_text: str
    fr_text: str
    confirmed_by: str | None
    confirmed_at: datetime


@dataclass(frozen=True)
class AlignmentView:
    paragraph_id: int
    status: Status
    confirmed: Confirmed | None
    # What changed per language since the confirmed pair (only filled where it matters).
    changes: dict[Lang, DiffOps] = field(default_factory=dict)
    # Current sides that are machine translations nobody has reviewed yet.
    unreviewed: frozenset[Lang] = frozenset()

    def outdated(self, lang: Lang) -> bool:
        """Whether the ``lang`` side lags behind the other language."""
        return self.status.needs_translation_into(lang)

    def source_changes(self, lang: Lang) -> DiffOps | None:
        """For the ``lang`` side: what changed in the other language since confirmation."""
        if self.confirmed is None or not self.outdated(lang):
            return None
        ops = self.changes.get(lang.other)
        return ops if ops and any(op != 0 for op, _ in ops) else None


def current_alignments(
    session: Session, *, document_id: int | None = None, paragraph_id: int | None = None
) -> dict[int, Confirmed]:
    """The newest alignment per paragraph of a document (or of one paragraph), one query."""
    newest = select(Alignment.paragraph_id, func.max(Alignment.id).label("alignment_id"))
    if document_id is not None:
        newest = newest.join(Paragraph, col(Paragraph.id) == col(Alignment.paragraph_id)).where(
            Paragraph.document_id == document_id
        )
    if paragraph_id is not None:
        newest = newest.where(Alignment.paragraph_id == paragraph_id)
    latest = newest.group_by(col(Alignment.paragraph_id)).subquery()
    de_revision = aliased(Revision)
    fr_revision = aliased(Revision)
    statement = (
        select(Alignment, de_revision.text, fr_revision.text, User.username)
        .join(latest, col(Alignment.id) == latest.c.alignment_id)
        .join(de_revision, col(de_revision.id) == col(Alignment.de_revision_id))
        .join(fr_revision, col(fr_revision.id) == col(Alignment.fr_revision_id))
        .outerjoin(User, col(User.id) == col(Alignment.confirmed_by))
    )
    return {
        row.paragraph_id: Confirmed(
            de_revision_id=row.de_revision_id,
            fr_revision_id=row.fr_revision_id,
            de_text=de_text,
            fr_text=fr_text,
            confirmed_by=username,
            confirmed_at=row.created_at,
        )
        for row, de_text, fr_text, username in session.exec(statement).all()
    }


def _confirmed_side(confirmed: Confirmed | None, lang: Lang) -> tuple[int | None, str | None]:
    if confirmed is None:
        return None, None
    if lang is Lang.DE:
        return confirmed.de_revision_id, confirmed.de_text
    return confirmed.fr_revision_id, confirmed.fr_text


def view_of(
    p: ParagraphView, confirmed: Confirmed | None, *, all_changes: bool = False
) -> AlignmentView:
    status = alignment.status(
        aligned_de=confirmed.de_revision_id if confirmed else None,
        aligned_fr=confirmed.fr_revision_id if confirmed else None,
        current_de=p.de.revision_id,
        current_fr=p.fr.revision_id,
        de_text=p.de.text,
        fr_text=p.fr.text,
    )
    changes: dict[Lang, DiffOps] = {}
    for lang in Lang:
        current = p.text(lang)
        aligned_id, aligned_text = _confirmed_side(confirmed, lang)
        changed = aligned_id != current.revision_id
        if all_changes or (changed and confirmed is not None and status is not Status.MISSING):
            changes[lang] = alignment.changes_since(
                aligned_text if changed else current.text, current.text
            )
    unreviewed = frozenset(
        lang
        for lang in Lang
        if p.text(lang).source == "machine"
        and _confirmed_side(confirmed, lang)[0] != p.text(lang).revision_id
    )
    return AlignmentView(
        paragraph_id=p.id,
        status=status,
        confirmed=confirmed,
        changes=changes,
        unreviewed=unreviewed,
    )


def summary(views: list[AlignmentView]) -> list[tuple[Status, int]]:
    """How many paragraphs per status, in a fixed order, without the statuses at zero."""
    counted = Counter(view.status for view in views)
    return [(status, counted[status]) for status in STATUS_ORDER if counted[status]]


class GlossaryWarnings(Mapping[int, list[glossary.TermWarning]]):
    """Each paragraph's glossary warnings, checked when its block is shown: a paragraph
    re-rendered alone (after a live update) checks one paragraph, not the document."""

    def __init__(self, paragraphs: dict[int, ParagraphView], terms: list[glossary.Term]) -> None:
        self._paragraphs = paragraphs
        self._terms = terms
        self._checked: dict[int, list[glossary.TermWarning]] = {}

    def __getitem__(self, paragraph_id: int) -> list[glossary.TermWarning]:
        if paragraph_id not in self._checked:
            paragraph = self._paragraphs[paragraph_id]
            self._checked[paragraph_id] = glossary.check(
                paragraph.de.text, paragraph.fr.text, self._terms
            )
        return self._checked[paragraph_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._paragraphs)

    def __len__(self) -> int:
        return len(self._paragraphs)


def for_document(
    session: Session, access: DocumentAccess, paragraphs: list[ParagraphView]
) -> dict[str, Any]:
    """Template context for the document page, in a constant number of queries."""
    assert access.document.id is not None
    confirmed = current_alignments(session, document_id=access.document.id)
    views = {p.id: view_of(p, confirmed.get(p.id)) for p in paragraphs}
    terms = glossary_queries.domain_terms(glossary_queries.terms_of(session, access.group.id or 0))
    warnings = GlossaryWarnings({p.id: p for p in paragraphs}, terms)
    # The summary counts the whole document even when one paragraph block is re-rendered.
    return {
        "alignment": views,
        "alignment_summary": summary(list(views.values())),
        "glossary_warnings": warnings,
        "alignment_notice": None,
    }


def counts(session: Session, document_id: int) -> dict[int, Any]:
    """Per paragraph id, its alignment status for the document API.

    As app.schemas.ParagraphOut documents, a paragraph whose pair was never confirmed has
    no entry there (null); ``GET /documents/{id}/alignment`` reports it as both_changed.
    """
    confirmed = current_alignments(session, document_id=document_id)
    return {
        p.id: view_of(p, confirmed[p.id]).status.value
        for p in paragraphs_of(session, document_id)
        if p.id in confirmed
    }


def statuses(session: Session, document_id: int) -> list[AlignmentView]:
    """Every live paragraph's alignment, in document order."""
    confirmed = current_alignments(session, document_id=document_id)
    return [view_of(p, confirmed.get(p.id)) for p in paragraphs_of(session, document_id)]


def for_paragraph(session: Session, paragraph: Paragraph) -> AlignmentView:
    """One paragraph's alignment with the changes in both languages since confirmation."""
    p = paragraph_view(session, paragraph)
    confirmed = current_alignments(session, paragraph_id=p.id).get(p.id)
    return view_of(p, confirmed, all_changes=True)


def memory_pairs(
    session: Session, group_id: int, source: Lang, *, exclude_paragraph_id: int | None = None
) -> list[memory.Pair]:
    """Confirmed pairs across the group's documents (newest first) as source → target."""
    de_revision = aliased(Revision)
    fr_revision = aliased(Revision)
    statement = (
        select(Alignment.paragraph_id, de_revision.text, fr_revision.text)
        .join(de_revision, col(de_revision.id) == col(Alignment.de_revision_id))
        .join(fr_revision, col(fr_revision.id) == col(Alignment.fr_revision_id))
        .join(Paragraph, col(Paragraph.id) == col(Alignment.paragraph_id))
        .join(Document, col(Document.id) == col(Paragraph.document_id))
        .where(Document.group_id == group_id)
        .order_by(col(Alignment.id).desc())
        .limit(MEMORY_LIMIT)
    )
    if exclude_paragraph_id is not None:
        statement = statement.where(Alignment.paragraph_id != exclude_paragraph_id)
    pairs = []
    for paragraph_id, de_text, fr_text in session.exec(statement).all():
        if source is Lang.DE:
            pairs.append(memory.Pair(paragraph_id, de_text, fr_text))
        else:
            pairs.append(memory.Pair(paragraph_id, fr_text, de_text))
    return pairs


def suggestions(
    session: Session, access: ParagraphAccess, to: Lang, *, limit: int = 5
) -> list[memory.Suggestion]:
    """Translation-memory suggestions for translating the paragraph into ``to``."""
    assert access.group.id is not None
    p = paragraph_view(session, access.paragraph)
    source = p.text(to.other).text
    if not source.strip():
        return []
    pairs = memory_pairs(session, access.group.id, to.other, exclude_paragraph_id=p.id)
    return memory.suggest(source, pairs, limit=limit)


@dataclass(frozen=True)
class TranslationItem:
    paragraph: ParagraphView
    view: AlignmentView
    suggestions: list[memory.Suggestion]
    warnings: list[glossary.TermWarning]


def translation_queue(session: Session, access: DocumentAccess, to: Lang) -> list[TranslationItem]:
    """The paragraphs a translator into ``to`` has to look at, in document order."""
    assert access.document.id is not None and access.group.id is not None
    paragraphs = paragraphs_of(session, access.document.id)
    confirmed = current_alignments(session, document_id=access.document.id)
    terms = glossary_queries.domain_terms(glossary_queries.terms_of(session, access.group.id))
    pairs = memory_pairs(session, access.group.id, to.other)
    items = []
    for p in paragraphs:
        view = view_of(p, confirmed.get(p.id))
        wanted = view.outdated(to) or (
            view.status is Status.MISSING and alignment.missing_side(p.de.text, p.fr.text) is to
        )
        if not wanted:
            continue
        source = p.text(to.other).text
        own = [pair for pair in pairs if pair.paragraph_id != p.id]
        items.append(
            TranslationItem(
                paragraph=p,
                view=view,
                suggestions=memory.suggest(source, own, limit=3) if source.strip() else [],
                warnings=glossary.check(p.de.text, p.fr.text, terms),
            )
        )
    return items
