"""Reading evidence for the document page, the coverage view and the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from app.errors import NotFound
from app.fields import MAX_ID
from app.models import EvidenceLink, Initiative, ParagraphKind, Role, User
from app.permissions import Action
from app.queries.access import DocumentAccess, ParagraphAccess, paragraph_access
from app.queries.documents import ParagraphView, paragraphs_of


@dataclass(frozen=True)
class LinkView:
    id: int
    paragraph_id: int
    initiative_key: str
    initiative_name_de: str
    initiative_name_fr: str
    country: str
    municipality: str
    archived: bool
    note: str
    author: str
    author_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class InitiativeOption:
    key: str
    name_de: str
    name_fr: str
    country: str


@dataclass(frozen=True)
class LinkAccess:
    """A live evidence link, with its paragraph's access for the caller."""

    paragraph: ParagraphAccess
    link: EvidenceLink


def link_for(session: Session, user: User, link_id: int) -> LinkAccess:
    """404 when the link was removed or the caller is not in its document's group."""
    link = session.get(EvidenceLink, link_id) if 0 < link_id <= MAX_ID else None
    if link is None or link.removed_at is not None:
        raise NotFound()
    return LinkAccess(paragraph_access(session, user, link.paragraph_id), link)


def _links(session: Session, *conditions: Any) -> list[LinkView]:
    statement = (
        select(EvidenceLink, Initiative, User.username)
        .join(Initiative, col(Initiative.id) == col(EvidenceLink.initiative_id))
        .outerjoin(User, col(User.id) == col(EvidenceLink.author_id))
        .where(col(EvidenceLink.removed_at).is_(None), *conditions)
        .order_by(col(EvidenceLink.id))
    )
    views = []
    for link, initiative, username in session.exec(statement).all():
        assert link.id is not None
        views.append(
            LinkView(
                id=link.id,
                paragraph_id=link.paragraph_id,
                initiative_key=initiative.key,
                initiative_name_de=initiative.name_de,
                initiative_name_fr=initiative.name_fr,
                country=initiative.country,
                municipality=initiative.municipality,
                archived=initiative.archived_at is not None,
                note=link.note,
                author=username or "",
                author_id=link.author_id,
                created_at=link.created_at,
            )
        )
    return views


def links_of_document(session: Session, document_id: int) -> dict[int, list[LinkView]]:
    by_paragraph: dict[int, list[LinkView]] = defaultdict(list)
    for view in _links(session, EvidenceLink.document_id == document_id):
        by_paragraph[view.paragraph_id].append(view)
    return dict(by_paragraph)


def links_of_paragraph(session: Session, paragraph_id: int) -> list[LinkView]:
    return _links(session, EvidenceLink.paragraph_id == paragraph_id)


def link_view(session: Session, link_id: int) -> LinkView:
    return _links(session, EvidenceLink.id == link_id)[0]


def initiative_options(session: Session) -> list[InitiativeOption]:
    rows = session.exec(
        select(Initiative.key, Initiative.name_de, Initiative.name_fr, Initiative.country)
        .where(col(Initiative.archived_at).is_(None))
        .order_by(col(Initiative.key))
    ).all()
    return [InitiativeOption(*row) for row in rows]


def for_document(
    session: Session, access: DocumentAccess, paragraphs: list[ParagraphView]
) -> dict[str, Any]:
    """Template context for the document page, in a constant number of queries."""
    del paragraphs  # every link of the document is read at once
    assert access.document.id is not None
    can_link = access.can_in_phase(Action.LINK_EVIDENCE)
    return {
        "evidence_links": links_of_document(session, access.document.id),
        "evidence_options": initiative_options(session) if can_link else [],
        "evidence_can_link": can_link,
        "evidence_is_moderator": access.role is Role.MODERATOR,
        "evidence_error": None,
    }


def counts(session: Session, document_id: int) -> dict[int, Any]:
    """Per paragraph id, the number of live evidence links."""
    rows = session.exec(
        select(EvidenceLink.paragraph_id, func.count())
        .where(EvidenceLink.document_id == document_id, col(EvidenceLink.removed_at).is_(None))
        .group_by(col(EvidenceLink.paragraph_id))
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class Cited:
    key: str
    count: int


@dataclass(frozen=True)
class Coverage:
    recommendations: int
    with_evidence: int
    without: list[int]
    per_country: dict[int, dict[str, int]]
    least_cited: list[Cited]
    recommendation_views: list[ParagraphView]


LEAST_CITED = 10


def coverage(session: Session, access: DocumentAccess) -> Coverage:
    """Recommendations without evidence, DE/FR balance per recommendation, least cited."""
    assert access.document.id is not None
    paragraphs = paragraphs_of(session, access.document.id)
    links = links_of_document(session, access.document.id)
    recommendations = [p for p in paragraphs if p.kind == ParagraphKind.RECOMMENDATION.value]
    per_country: dict[int, dict[str, int]] = {}
    for paragraph in recommendations:
        tally = {"DE": 0, "FR": 0}
        for link in links.get(paragraph.id, []):
            tally[link.country] = tally.get(link.country, 0) + 1
        per_country[paragraph.id] = tally
    without = [p.id for p in recommendations if not links.get(p.id)]
    live = {p.id for p in paragraphs}
    cited: dict[str, int] = defaultdict(int)
    for paragraph_id, views in links.items():
        if paragraph_id in live:
            for link in views:
                cited[link.initiative_key] += 1
    library = session.exec(
        select(Initiative.key).where(col(Initiative.archived_at).is_(None))
    ).all()
    least = sorted(
        (Cited(key, cited.get(key, 0)) for key in library), key=lambda c: (c.count, c.key)
    )
    return Coverage(
        recommendations=len(recommendations),
        with_evidence=len(recommendations) - len(without),
        without=without,
        per_country=per_country,
        least_cited=least[:LEAST_CITED],
        recommendation_views=recommendations,
    )
