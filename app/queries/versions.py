"""Reading document versions, reviews and snapshots (for pages, the API and exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.errors import NotFound, ValidationFailed
from app.fields import MAX_ID
from app.models import (
    Document,
    DocumentVersion,
    EvidenceLink,
    Initiative,
    Paragraph,
    Phase,
    Review,
    Revision,
    Role,
    User,
    VersionEvidence,
    VersionParagraph,
    WorkingGroup,
)
from app.permissions import Action
from app.queries import alignment as alignment_queries
from app.queries.access import DocumentAccess
from app.queries.documents import ParagraphView
from drafting.compare import ParagraphComparison, ParagraphState, compare

APPROVE = "approve"
REQUEST_CHANGES = "request_changes"


# --- The snapshot: one version (or the current text) with everything it prints ---------


@dataclass(frozen=True)
class SnapshotEvidence:
    """An evidence link as it stood in the snapshot."""

    initiative_key: str
    name_de: str
    name_fr: str
    country: str
    note: str


@dataclass(frozen=True)
class SnapshotParagraph:
    """One paragraph of a snapshot; ``number`` counts from 1 in document order."""

    id: int
    number: int
    position: int
    kind: str
    de: str
    fr: str
    de_revision_id: int | None
    fr_revision_id: int | None
    alignment: str  # "in_sync", "fr_outdated", …; "" when unknown
    evidence: tuple[SnapshotEvidence, ...]

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.fr


@dataclass(frozen=True)
class Approval:
    """A liaison's approval of a version for their government."""

    government: str  # "DE" or "FR"
    username: str
    display_name: str
    version_number: int
    approved_at: datetime


@dataclass(frozen=True)
class DocumentSnapshot:
    """A document as one version froze it, or as it stands now (``version_number`` None).

    - ``title_de``/``title_fr``, ``phase`` (the document's phase today), ``group_slug``;
    - ``version_number``, ``version_label``, ``version_created_at``, ``is_review`` and
      ``override_reason`` (why it entered review without every paragraph in sync): None / ""
      / False for the current text;
    - ``adopted``: this snapshot is the adopted final text (the adopted version, or the
      current text of an adopted document); ``adopted_at`` when;
    - ``approvals``: who approved this version for which government and when (for the
      current text of an adopted document: the approvals of the adopted version);
    - ``paragraphs`` in document order, each with id, number, kind, de/fr text and revision
      ids, alignment status string and evidence links.
    """

    document_id: int
    group_slug: str
    title_de: str
    title_fr: str
    phase: str
    version_number: int | None
    version_label: str | None
    version_created_at: datetime | None
    is_review: bool
    override_reason: str
    adopted: bool
    adopted_at: datetime | None
    approvals: tuple[Approval, ...]
    paragraphs: tuple[SnapshotParagraph, ...]

    @property
    def is_current(self) -> bool:
        return self.version_number is None


def snapshot(session: Session, document_id: int, number: int | None) -> DocumentSnapshot:
    """The document ``document_id`` at version ``number``, or its current text when None.

    Does no permission check: callers load the document through ``app.queries.access``
    first. Raises NotFound when the document or the version does not exist. Costs a fixed
    number of queries whatever the paragraph count.
    """
    document = session.get(Document, document_id) if 0 < document_id <= MAX_ID else None
    if document is None:
        raise NotFound()
    group = session.get(WorkingGroup, document.group_id)
    assert group is not None
    version: DocumentVersion | None = None
    if number is not None:
        version = version_by_number(session, document_id, number)
        paragraphs = _version_paragraphs(session, version)
    else:
        paragraphs = _current_paragraphs(session, document_id)
    approved_version_id = version.id if version is not None else None
    adopted = document.phase == Phase.ADOPTED.value and (
        version is None or version.id == document.adopted_version_id
    )
    if version is None and adopted:
        approved_version_id = document.adopted_version_id
    approvals = (
        tuple(approvals_of(session, approved_version_id)) if approved_version_id is not None else ()
    )
    return DocumentSnapshot(
        document_id=document_id,
        group_slug=group.slug,
        title_de=document.title_de,
        title_fr=document.title_fr,
        phase=document.phase,
        version_number=version.number if version else None,
        version_label=version.label if version else None,
        version_created_at=version.created_at if version else None,
        is_review=version.is_review if version else False,
        override_reason=version.override_reason if version else "",
        adopted=adopted,
        adopted_at=document.adopted_at if adopted else None,
        approvals=approvals,
        paragraphs=tuple(paragraphs),
    )


def _evidence_by_paragraph(
    rows: list[tuple[int, Initiative, str]],
) -> dict[int, list[SnapshotEvidence]]:
    found: dict[int, list[SnapshotEvidence]] = {}
    for paragraph_id, initiative, note in rows:
        found.setdefault(paragraph_id, []).append(
            SnapshotEvidence(
                initiative_key=initiative.key,
                name_de=initiative.name_de,
                name_fr=initiative.name_fr,
                country=initiative.country,
                note=note,
            )
        )
    return found


def _version_paragraphs(session: Session, version: DocumentVersion) -> list[SnapshotParagraph]:
    de_revision = aliased(Revision)
    fr_revision = aliased(Revision)
    rows = session.exec(
        select(VersionParagraph, de_revision, fr_revision)
        .join(de_revision, col(de_revision.id) == col(VersionParagraph.de_revision_id))
        .join(fr_revision, col(fr_revision.id) == col(VersionParagraph.fr_revision_id))
        .where(VersionParagraph.version_id == version.id)
        .order_by(col(VersionParagraph.position), col(VersionParagraph.id))
    ).all()
    evidence_rows = session.exec(
        select(VersionEvidence.paragraph_id, Initiative, VersionEvidence.note)
        .join(Initiative, col(Initiative.id) == col(VersionEvidence.initiative_id))
        .where(VersionEvidence.version_id == version.id)
        .order_by(col(VersionEvidence.id))
    ).all()
    evidence = _evidence_by_paragraph([tuple(row) for row in evidence_rows])  # type: ignore[misc]
    return [
        SnapshotParagraph(
            id=row.paragraph_id,
            number=number,
            position=row.position,
            kind=row.kind,
            de=de.text,
            fr=fr.text,
            de_revision_id=row.de_revision_id,
            fr_revision_id=row.fr_revision_id,
            alignment=row.alignment,
            evidence=tuple(evidence.get(row.paragraph_id, [])),
        )
        for number, (row, de, fr) in enumerate(rows, start=1)
    ]


def _current_paragraphs(session: Session, document_id: int) -> list[SnapshotParagraph]:
    de_revision = aliased(Revision)
    fr_revision = aliased(Revision)
    rows = session.exec(
        select(Paragraph, de_revision, fr_revision)
        .outerjoin(de_revision, col(de_revision.id) == col(Paragraph.de_revision_id))
        .outerjoin(fr_revision, col(fr_revision.id) == col(Paragraph.fr_revision_id))
        .where(Paragraph.document_id == document_id, col(Paragraph.deleted_at).is_(None))
        .order_by(col(Paragraph.position), col(Paragraph.id))
    ).all()
    evidence_rows = session.exec(
        select(EvidenceLink.paragraph_id, Initiative, EvidenceLink.note)
        .join(Initiative, col(Initiative.id) == col(EvidenceLink.initiative_id))
        .where(EvidenceLink.document_id == document_id, col(EvidenceLink.removed_at).is_(None))
        .order_by(col(EvidenceLink.id))
    ).all()
    evidence = _evidence_by_paragraph([tuple(row) for row in evidence_rows])  # type: ignore[misc]
    statuses = alignment_queries.counts(session, document_id)
    result = []
    for number, (paragraph, de, fr) in enumerate(rows, start=1):
        assert paragraph.id is not None
        status = statuses.get(paragraph.id)
        result.append(
            SnapshotParagraph(
                id=paragraph.id,
                number=number,
                position=paragraph.position,
                kind=paragraph.kind,
                de=de.text if de is not None else "",
                fr=fr.text if fr is not None else "",
                de_revision_id=paragraph.de_revision_id,
                fr_revision_id=paragraph.fr_revision_id,
                alignment=str(status) if status is not None else "",
                evidence=tuple(evidence.get(paragraph.id, [])),
            )
        )
    return result


# --- Versions -------------------------------------------------------------------------


def version_by_number(session: Session, document_id: int, number: int) -> DocumentVersion:
    if not 0 < number <= MAX_ID:
        raise NotFound("Version {number} does not exist.", number=number)
    version = session.exec(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document_id, DocumentVersion.number == number
        )
    ).first()
    if version is None:
        raise NotFound("Version {number} does not exist.", number=number)
    return version


def versions_of(session: Session, document_id: int) -> list[DocumentVersion]:
    """All versions of a document, newest first."""
    return list(
        session.exec(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document_id)
            .order_by(col(DocumentVersion.number).desc())
        ).all()
    )


def latest_review_version(session: Session, document_id: int) -> DocumentVersion | None:
    return session.exec(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document_id, col(DocumentVersion.is_review))
        .order_by(col(DocumentVersion.number).desc())
    ).first()


def current_review_version(session: Session, document: Document) -> DocumentVersion | None:
    """The version under review, while the document is in review."""
    if document.phase != Phase.REVIEW.value or document.id is None:
        return None
    return latest_review_version(session, document.id)


def version_paragraph_rows(session: Session, version_id: int) -> list[VersionParagraph]:
    return list(
        session.exec(
            select(VersionParagraph)
            .where(VersionParagraph.version_id == version_id)
            .order_by(col(VersionParagraph.position), col(VersionParagraph.id))
        ).all()
    )


def version_paragraph_rows_of_document(
    session: Session, document_id: int
) -> dict[int, list[VersionParagraph]]:
    """The paragraph rows of every version of a document, per version id, in one query."""
    rows = session.exec(
        select(VersionParagraph)
        .join(DocumentVersion, col(DocumentVersion.id) == col(VersionParagraph.version_id))
        .where(DocumentVersion.document_id == document_id)
        .order_by(col(VersionParagraph.position), col(VersionParagraph.id))
    ).all()
    found: dict[int, list[VersionParagraph]] = {}
    for row in rows:
        found.setdefault(row.version_id, []).append(row)
    return found


def previous_review_version(
    session: Session, document_id: int, before_number: int
) -> DocumentVersion | None:
    return session.exec(
        select(DocumentVersion)
        .where(
            DocumentVersion.document_id == document_id,
            col(DocumentVersion.is_review),
            col(DocumentVersion.number) < before_number,
        )
        .order_by(col(DocumentVersion.number).desc())
    ).first()


# --- Reviews --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewView:
    id: int
    version_number: int
    government: str
    username: str
    display_name: str
    decision: str
    comment: str
    created_at: datetime


def reviews_of(session: Session, document_id: int) -> list[ReviewView]:
    """Every review decision on the document, oldest first."""
    rows = session.exec(
        select(Review, DocumentVersion.number, User)
        .join(DocumentVersion, col(DocumentVersion.id) == col(Review.version_id))
        .join(User, col(User.id) == col(Review.liaison_id))
        .where(Review.document_id == document_id)
        .order_by(col(Review.created_at), col(Review.id))
    ).all()
    views = []
    for review, number, user in rows:
        assert review.id is not None
        views.append(
            ReviewView(
                id=review.id,
                version_number=number,
                government=review.government,
                username=user.username,
                display_name=user.display_name,
                decision=review.decision,
                comment=review.comment,
                created_at=review.created_at,
            )
        )
    return views


def approvals_of(session: Session, version_id: int) -> list[Approval]:
    """The latest approval per government of one version (DE first)."""
    rows = session.exec(
        select(Review, DocumentVersion.number, User)
        .join(DocumentVersion, col(DocumentVersion.id) == col(Review.version_id))
        .join(User, col(User.id) == col(Review.liaison_id))
        .where(Review.version_id == version_id, Review.decision == APPROVE)
        .order_by(col(Review.created_at), col(Review.id))
    ).all()
    latest: dict[str, Approval] = {}
    for review, number, user in rows:
        latest[review.government] = Approval(
            government=review.government,
            username=user.username,
            display_name=user.display_name,
            version_number=number,
            approved_at=review.created_at,
        )
    return [latest[government] for government in sorted(latest)]


def last_reviewed_version(
    session: Session, document_id: int, liaison_id: int, before_number: int
) -> DocumentVersion | None:
    """The newest version before ``before_number`` that this liaison decided on."""
    return session.exec(
        select(DocumentVersion)
        .join(Review, col(Review.version_id) == col(DocumentVersion.id))
        .where(
            Review.document_id == document_id,
            Review.liaison_id == liaison_id,
            col(DocumentVersion.number) < before_number,
        )
        .order_by(col(DocumentVersion.number).desc())
    ).first()


# --- Comparing two snapshots ------------------------------------------------------------


def parse_version(value: str | None, field: str) -> int | None:
    """A version number, or None for the current text ("current" or nothing)."""
    if value is None:
        return None
    value = value.strip()
    if value in ("", "current"):
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise ValidationFailed(
            "{field} must be a version number or 'current'.",
            details={"field": field},
            field=field,
        )
    return int(value)


@dataclass(frozen=True)
class Comparison:
    """What changed from ``old`` to ``new``, paragraph by paragraph."""

    old: DocumentSnapshot
    new: DocumentSnapshot
    entries: list[ParagraphComparison]


def _states(snapshot: DocumentSnapshot) -> list[ParagraphState]:
    return [ParagraphState(id=p.id, kind=p.kind, de=p.de, fr=p.fr) for p in snapshot.paragraphs]


def compare_snapshots(old: DocumentSnapshot, new: DocumentSnapshot) -> Comparison:
    return Comparison(old, new, compare(_states(old), _states(new)))


def comparison(
    session: Session, document_id: int, from_number: int | None, to_number: int | None
) -> Comparison:
    """Version ``from_number`` against version ``to_number`` (None: the current text)."""
    return compare_snapshots(
        snapshot(session, document_id, from_number), snapshot(session, document_id, to_number)
    )


# --- The review page ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewState:
    """The review version, what this person saw last, and the decisions so far.

    ``base`` is the version the changes are shown against: for a liaison the last version
    they decided on, for anyone else the previous review version (None: the whole text).
    """

    review_version: DocumentVersion | None
    snapshot: DocumentSnapshot | None
    base: DocumentVersion | None
    entries: list[ParagraphComparison]
    reviews: list[ReviewView]
    is_liaison: bool
    government: str | None
    can_review: bool


def review_state(session: Session, access: DocumentAccess) -> ReviewState:
    document_id = access.document.id
    assert document_id is not None and access.user.id is not None
    is_liaison = access.role is Role.LIAISON
    government = access.membership.government if access.membership else None
    review_version = latest_review_version(session, document_id)
    reviews = reviews_of(session, document_id)
    if review_version is None:
        return ReviewState(None, None, None, [], reviews, is_liaison, government, False)
    shown = snapshot(session, document_id, review_version.number)
    if is_liaison:
        base = last_reviewed_version(session, document_id, access.user.id, review_version.number)
    else:
        base = previous_review_version(session, document_id, review_version.number)
    base_snapshot = snapshot(session, document_id, base.number) if base is not None else shown
    return ReviewState(
        review_version=review_version,
        snapshot=shown,
        base=base,
        entries=compare_snapshots(base_snapshot, shown).entries,
        reviews=reviews,
        is_liaison=is_liaison,
        government=government,
        can_review=access.can_in_phase(Action.REVIEW) and government in ("DE", "FR"),
    )


# --- The document page header ------------------------------------------------------------


def for_document(
    session: Session, access: DocumentAccess, paragraphs: list[ParagraphView]
) -> dict[str, Any]:
    """Template context for the document page, in a constant number of queries."""
    del paragraphs
    document = access.document
    assert document.id is not None
    latest = session.exec(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document.id)
        .order_by(col(DocumentVersion.number).desc())
        .limit(1)
    ).first()
    review_version = None
    if document.phase == Phase.REVIEW.value:
        review_version = latest_review_version(session, document.id)
    adopted_version = (
        session.get(DocumentVersion, document.adopted_version_id)
        if document.adopted_version_id is not None
        else None
    )
    approvals: list[Approval] = []
    if adopted_version is not None and adopted_version.id is not None:
        approvals = approvals_of(session, adopted_version.id)
    elif review_version is not None and review_version.id is not None:
        approvals = approvals_of(session, review_version.id)
    return {
        "versions_latest": latest,
        "versions_review": review_version,
        "versions_adopted": adopted_version,
        "versions_approvals": approvals,
    }
