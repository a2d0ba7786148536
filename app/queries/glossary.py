"""Reading a working group's glossary and checking texts against it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.errors import NotFound
from app.fields import MAX_ID
from app.models import GlossaryTerm
from app.queries.access import ParagraphAccess
from app.queries.documents import paragraph_view
from drafting import glossary


def terms_of(session: Session, group_id: int) -> list[GlossaryTerm]:
    return list(
        session.exec(
            select(GlossaryTerm)
            .where(GlossaryTerm.group_id == group_id)
            .order_by(col(GlossaryTerm.term_de), col(GlossaryTerm.term_fr), col(GlossaryTerm.id))
        ).all()
    )


def term_of(session: Session, group_id: int, term_id: int) -> GlossaryTerm:
    """A term of this group's glossary, else 404."""
    term = session.get(GlossaryTerm, term_id) if 0 < term_id <= MAX_ID else None
    if term is None or term.group_id != group_id:
        raise NotFound("This glossary has no term {term_id}.", term_id=term_id)
    return term


def domain_terms(rows: list[GlossaryTerm]) -> list[glossary.Term]:
    return [
        glossary.Term(
            term_de=row.term_de, term_fr=row.term_fr, note=row.note, false_friend=row.false_friend
        )
        for row in rows
    ]


def check(
    session: Session, group_id: int, de_text: str, fr_text: str
) -> list[glossary.TermWarning]:
    """Glossary warnings for a pair of texts in this group."""
    return glossary.check(de_text, fr_text, domain_terms(terms_of(session, group_id)))


def check_paragraph(session: Session, access: ParagraphAccess) -> list[glossary.TermWarning]:
    """Glossary warnings for the paragraph's current texts."""
    assert access.group.id is not None
    view = paragraph_view(session, access.paragraph)
    return check(session, access.group.id, view.de.text, view.fr.text)
