"""Reading the initiatives library and where each initiative is cited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func as sql_func
from sqlalchemy import or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import (
    Document,
    EvidenceLink,
    Initiative,
    InitiativeRevision,
    Membership,
    Paragraph,
    Revision,
    User,
    WorkingGroup,
)


def themes_of(initiative: Initiative) -> list[str]:
    return [theme for theme in initiative.themes.split(";") if theme]


def links_of(initiative: Initiative) -> list[str]:
    return initiative.links.split()


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_initiatives(
    session: Session,
    *,
    q: str = "",
    country: str = "",
    theme: str = "",
    region: str = "",
    since: int | None = None,
    include_archived: bool = False,
) -> list[Initiative]:
    """Filtered library, by key. ``since``: initiatives that started in or after that year."""
    # PostgreSQL cannot even compare with a NUL character; nothing stored contains one.
    q, country, theme, region = (v.replace("\x00", "") for v in (q, country, theme, region))
    statement = select(Initiative).order_by(col(Initiative.country), col(Initiative.key))
    if not include_archived:
        statement = statement.where(col(Initiative.archived_at).is_(None))
    if country.strip():
        statement = statement.where(Initiative.country == country.strip().upper())
    if region.strip():
        statement = statement.where(
            sql_func.lower(col(Initiative.region)).like(_like(region.strip()), escape="\\")
        )
    if theme.strip():
        statement = statement.where(
            sql_func.lower(col(Initiative.themes)).like(_like(theme.strip()), escape="\\")
        )
    if since is not None:
        statement = statement.where(col(Initiative.since) >= since)
    if q.strip():
        pattern = _like(q.strip())
        statement = statement.where(
            or_(
                *(
                    sql_func.lower(column).like(pattern, escape="\\")
                    for column in (
                        col(Initiative.key),
                        col(Initiative.name_de),
                        col(Initiative.name_fr),
                        col(Initiative.municipality),
                        col(Initiative.region),
                        col(Initiative.summary_de),
                        col(Initiative.summary_fr),
                    )
                )
            )
        )
    initiatives = list(session.exec(statement).all())
    if theme.strip():  # the LIKE above also matches inside a longer theme name
        wanted = theme.strip().lower()
        initiatives = [i for i in initiatives if wanted in (t.lower() for t in themes_of(i))]
    return initiatives


def all_themes(session: Session) -> list[str]:
    themes: set[str] = set()
    for value in session.exec(
        select(Initiative.themes).where(col(Initiative.archived_at).is_(None))
    ).all():
        themes.update(theme for theme in value.split(";") if theme)
    return sorted(themes)


@dataclass(frozen=True)
class Citation:
    link_id: int
    group_slug: str
    document_id: int
    document_title_de: str
    document_title_fr: str
    paragraph_id: int
    paragraph_number: int
    paragraph_kind: str
    text_de: str
    text_fr: str
    note: str


def citations(session: Session, user: User, initiative_id: int) -> list[Citation]:
    """Every live paragraph, in the documents of the caller's groups, that cites it."""
    de, fr = aliased(Revision), aliased(Revision)
    statement = (
        sa_select(EvidenceLink, Paragraph, Document, WorkingGroup, col(de.text), col(fr.text))
        .join(Paragraph, col(Paragraph.id) == col(EvidenceLink.paragraph_id))
        .join(Document, col(Document.id) == col(Paragraph.document_id))
        .join(WorkingGroup, col(WorkingGroup.id) == col(Document.group_id))
        .join(Membership, col(Membership.group_id) == col(Document.group_id))
        .outerjoin(de, col(de.id) == col(Paragraph.de_revision_id))
        .outerjoin(fr, col(fr.id) == col(Paragraph.fr_revision_id))
        .where(
            col(EvidenceLink.initiative_id) == initiative_id,
            col(EvidenceLink.removed_at).is_(None),
            col(Paragraph.deleted_at).is_(None),
            col(Membership.user_id) == user.id,
        )
        .order_by(col(Document.id), col(Paragraph.position))
    )
    result = []
    for link, paragraph, document, group, text_de, text_fr in session.execute(statement).all():
        result.append(
            Citation(
                link_id=link.id or 0,
                group_slug=group.slug,
                document_id=document.id or 0,
                document_title_de=document.title_de,
                document_title_fr=document.title_fr,
                paragraph_id=paragraph.id or 0,
                paragraph_number=paragraph.position,
                paragraph_kind=paragraph.kind,
                text_de=text_de or "",
                text_fr=text_fr or "",
                note=link.note,
            )
        )
    return result


def revision_count(session: Session, initiative_id: int) -> int:
    return session.exec(
        select(sql_func.count()).where(InitiativeRevision.initiative_id == initiative_id)
    ).one()
