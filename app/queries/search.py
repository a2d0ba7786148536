"""Full-text search in the caller's working groups (and the shared initiatives library).

SQLite matches with FTS5 (table ``search_fts``, unicode61 tokenizer without diacritics,
prefix queries); PostgreSQL with ``tandem_search_vector`` (the language's stemmed words
plus the accent-folded words) and its GIN indexes — see migration d7e1f0a2b3c4. Both find
the candidate ids; the hits are then loaded and highlighted here the same way, so the
results have one shape on both databases. Every query is limited to the caller's groups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from markupsafe import Markup, escape
from sqlalchemy import bindparam, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import (
    Amendment,
    Comment,
    Document,
    Initiative,
    Membership,
    Paragraph,
    Revision,
    User,
    WorkingGroup,
)

MAX_TERMS = 8
MAX_TERM_LENGTH = 64
LIMIT_PER_KIND = 50
SNIPPET_LENGTH = 240
# Accents folded by PostgreSQL's tandem_search_vector (one character to one).
FOLD_FROM = "àáâãäåāçćčèéêëēėęìíîïīñńòóôõöøōœùúûüūýÿßæ"
FOLD_TO = "aaaaaaaccceeeeeeeiiiiinnoooooooouuuuuyysa"
_PG_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)
_WORD = re.compile(r"[^\W_]+")
# Suffixes dropped when highlighting, so that "Kommunen" marks "Kommune" as stemming found it.
_SUFFIXES = ("en", "er", "es", "e", "n", "s")
KINDS = ("paragraph", "amendment", "comment", "initiative")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    title: str
    snippet: str
    snippet_html: Markup
    url: str
    lang: str | None = None
    group: str | None = None
    document_id: int | None = None
    paragraph_id: int | None = None


def terms_of(query: str) -> list[str]:
    """The words of a query, lower-case: everything else (quotes, *, NEAR(...)) is dropped."""
    terms: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFC", query).lower()):
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _prefixes(terms: list[str]) -> list[str]:
    prefixes = []
    for term in terms:
        folded = _fold(term)
        prefixes.append(folded)
        for suffix in _SUFFIXES:
            if len(folded) - len(suffix) >= 4 and folded.endswith(suffix):
                prefixes.append(folded[: -len(suffix)])
                break
    return prefixes


def highlight(body: str, terms: list[str]) -> tuple[str, Markup, bool]:
    """A window of ``body`` around the first match: plain, and escaped with <mark>s."""
    prefixes = _prefixes(terms)
    spans = [
        match.span()
        for match in _WORD.finditer(body)
        if any(_fold(match.group()).startswith(prefix) for prefix in prefixes)
    ]
    start = 0
    if spans and spans[0][0] > SNIPPET_LENGTH // 4:
        start = spans[0][0] - SNIPPET_LENGTH // 4
        space = body.find(" ", start, spans[0][0])
        start = space + 1 if space != -1 else start
    end = min(len(body), start + SNIPPET_LENGTH)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    parts: list[str] = ["…"] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(str(escape(body[position:span_start])))
        parts.append(f"<mark>{escape(body[span_start:span_end])}</mark>")
        position = span_end
    parts.append(str(escape(body[position:end])))
    if end < len(body):
        parts.append("…")
    plain = ("…" if start > 0 else "") + body[start:end] + ("…" if end < len(body) else "")
    return plain, Markup("".join(parts)), bool(spans)


def is_modelled(name: str | None, type_: str, _parent_names: object = None) -> bool:
    """False for the search index objects, which the migration creates but no model
    describes; an ``include_name`` filter for Alembic's model/database comparison."""
    if name is None:
        return True
    if type_ == "table" and name.startswith("search_fts"):
        return False
    return not (type_ == "index" and name.startswith("ix_search_"))


# --- finding candidate ids -------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """Where one kind of hit is found: the rows the caller may see, and how a row matches.

    Both databases run the same query over ``rows``; only the match differs. On SQLite a
    row matches when ``search_fts`` holds it under ``id * 16 + code``; on PostgreSQL when
    ``pg_match`` holds (its vectors are the expressions of the GIN indexes).
    """

    rows: str
    row_id: str
    code: int
    pg_match: str

    def statement(self, postgres: bool) -> str:
        matches = self.pg_match if postgres else f"{self.row_id} * 16 + {self.code} IN {_FTS}"
        return f"SELECT {self.row_id} FROM {self.rows} AND {matches}"


_FTS = "(SELECT rowid FROM search_fts WHERE search_fts MATCH :m)"
_TSQUERY = (
    "(to_tsquery('german'::regconfig, :q) || to_tsquery('french'::regconfig, :q)"
    " || to_tsquery('simple'::regconfig, :qf))"
)


def _matches(*words: tuple[str, str]) -> str:
    """PostgreSQL: the words of these (configuration, expression) pairs match the query."""
    vectors = " || ".join(
        f"tandem_search_vector('{config}'::regconfig, {expression})" for config, expression in words
    )
    return f"({vectors}) @@ {_TSQUERY}"


def _paragraph_text(lang: str, code: int, config: str) -> _Source:
    return _Source(
        rows="paragraph p JOIN document d ON d.id = p.document_id"
        f" JOIN revision r ON r.id = p.{lang}_revision_id"
        " WHERE p.deleted_at IS NULL AND d.group_id IN :groups",
        row_id="p.id",
        code=code,
        pg_match=_matches((config, "r.text")),
    )


def _about_paragraph(table: str, alias: str, code: int, pg_match: str) -> _Source:
    """Rows about a live paragraph of a document in the caller's groups."""
    return _Source(
        rows=f"{table} {alias} JOIN document d ON d.id = {alias}.document_id"
        f" JOIN paragraph p ON p.id = {alias}.paragraph_id"
        " WHERE p.deleted_at IS NULL AND d.group_id IN :groups",
        row_id=f"{alias}.id",
        code=code,
        pg_match=pg_match,
    )


_INITIATIVE_SIMPLE = (
    "i.key || ' ' || i.municipality || ' ' || i.region || ' ' || replace(i.themes, ';', ' ')"
)
_SOURCES: dict[Any, _Source] = {
    ("paragraph", "de"): _paragraph_text("de", 1, "german"),
    ("paragraph", "fr"): _paragraph_text("fr", 2, "french"),
    "comment": _about_paragraph(
        "comment",
        "c",
        3,
        f"((c.lang = 'de' AND {_matches(('german', 'c.body'))})"
        f" OR (c.lang = 'fr' AND {_matches(('french', 'c.body'))}))",
    ),
    "amendment": _about_paragraph(
        "amendment",
        "a",
        4,
        _matches(
            ("simple", "a.justification"),
            ("german", "coalesce(a.de_text, '')"),
            ("french", "coalesce(a.fr_text, '')"),
        ),
    ),
    "initiative": _Source(
        rows="initiative i WHERE i.archived_at IS NULL",
        row_id="i.id",
        code=5,
        pg_match=_matches(
            ("simple", _INITIATIVE_SIMPLE),
            ("german", "i.name_de || ' ' || i.summary_de"),
            ("french", "i.name_fr || ' ' || i.summary_fr"),
        ),
    ),
}


def _candidates(session: Session, terms: list[str], group_ids: list[int]) -> dict[Any, list[int]]:
    postgres = session.get_bind().dialect.name == "postgresql"
    params: dict[str, Any] = {"groups": group_ids}
    if postgres:
        params["q"] = " & ".join(f"{term}:*" for term in terms)
        params["qf"] = " & ".join(f"{term.translate(_PG_FOLD)}:*" for term in terms)
    else:
        params["m"] = " ".join(f'"{term}"*' for term in terms)
    found: dict[Any, list[int]] = {}
    for kind, source in _SOURCES.items():
        statement = text(f"{source.statement(postgres)} ORDER BY 1 DESC LIMIT {LIMIT_PER_KIND}")
        used = {name: value for name, value in params.items() if f":{name}" in statement.text}
        if "groups" in used:
            statement = statement.bindparams(bindparam("groups", expanding=True))
        try:
            found[kind] = [row[0] for row in session.execute(statement, used).all()]
        except DBAPIError:
            # A query the full-text engine refuses finds nothing rather than failing.
            session.rollback()
            found[kind] = []
    return found


# --- loading and shaping hits ----------------------------------------------------------


def search(session: Session, user: User, query: str) -> list[SearchHit]:
    terms = terms_of(query)
    group_ids = list(
        session.exec(select(Membership.group_id).where(Membership.user_id == user.id)).all()
    )
    if not terms or not group_ids:
        return []
    found = _candidates(session, terms, group_ids)
    hits: list[SearchHit] = []
    for lang in ("de", "fr"):
        hits += _paragraph_hits(session, found[("paragraph", lang)], lang, terms, group_ids)
    hits.sort(key=lambda hit: (hit.document_id or 0, hit.paragraph_id or 0, hit.lang or ""))
    hits += _about_paragraph_hits(
        session,
        "amendment",
        Amendment,
        found["amendment"],
        group_ids,
        lambda amendment: _amendment_snippet(amendment, terms),
    )
    hits += _about_paragraph_hits(
        session,
        "comment",
        Comment,
        found["comment"],
        group_ids,
        lambda comment: _comment_snippet(comment, terms),
    )
    hits += _initiative_hits(session, found["initiative"], terms)
    return hits


def _paragraph_hits(
    session: Session, ids: list[int], lang: str, terms: list[str], group_ids: list[int]
) -> list[SearchHit]:
    if not ids:
        return []
    revision = aliased(Revision)
    pointer = Paragraph.de_revision_id if lang == "de" else Paragraph.fr_revision_id
    rows = session.exec(
        select(Paragraph, Document, WorkingGroup, revision.text)
        .join(Document, col(Document.id) == col(Paragraph.document_id))
        .join(WorkingGroup, col(WorkingGroup.id) == col(Document.group_id))
        .join(revision, col(revision.id) == col(pointer))
        .where(
            col(Paragraph.id).in_(ids),
            col(Paragraph.deleted_at).is_(None),
            col(Document.group_id).in_(group_ids),
        )
    ).all()
    hits = []
    for paragraph, document, group, body in rows:
        plain, html, _ = highlight(body, terms)
        title = document.title_de if lang == "de" else document.title_fr
        hits.append(
            _hit_on_paragraph(
                "paragraph",
                paragraph.id or 0,
                f"{title} · {paragraph.position}",
                (lang, plain, html),
                document,
                group,
                paragraph.id,
            )
        )
    return hits


def _hit_on_paragraph(
    kind: str,
    id_: int,
    title: str,
    snippet: tuple[str | None, str, Markup],
    document: Document,
    group: WorkingGroup,
    paragraph_id: int | None,
) -> SearchHit:
    """A hit that opens the document at its paragraph (a paragraph, an amendment, a comment)."""
    lang, plain, html = snippet
    return SearchHit(
        kind=kind,
        id=id_,
        title=title,
        snippet=plain,
        snippet_html=html,
        url=f"/documents/{document.id}#p-{paragraph_id}",
        lang=lang,
        group=group.slug,
        document_id=document.id,
        paragraph_id=paragraph_id,
    )


def _best(texts: list[tuple[str | None, str]], terms: list[str]) -> tuple[str | None, str, Markup]:
    """The first of the texts with a match (else the first non-empty one), highlighted."""
    fallback: tuple[str | None, str, Markup] | None = None
    for lang, body in texts:
        if not body:
            continue
        plain, html, matched = highlight(body, terms)
        if matched:
            return lang, plain, html
        fallback = fallback or (lang, plain, html)
    return fallback or (None, "", Markup(""))


AboutParagraph = TypeVar("AboutParagraph", Amendment, Comment)


def _about_paragraph_hits(
    session: Session,
    kind: str,
    table: type[AboutParagraph],
    ids: list[int],
    group_ids: list[int],
    snippet: Callable[[AboutParagraph], tuple[str | None, str, Markup]],
) -> list[SearchHit]:
    """Amendments or comments, newest first, each shown by its ``snippet`` (language,
    plain and highlighted) and linked to its paragraph."""
    if not ids:
        return []
    rows = session.exec(
        select(table, Document, WorkingGroup, Paragraph.position)
        .join(Document, col(Document.id) == col(table.document_id))
        .join(WorkingGroup, col(WorkingGroup.id) == col(Document.group_id))
        .join(Paragraph, col(Paragraph.id) == col(table.paragraph_id))
        .where(col(table.id).in_(ids), col(Document.group_id).in_(group_ids))
        .order_by(col(table.id).desc())
    ).all()
    return [
        _hit_on_paragraph(
            kind,
            row.id or 0,
            f"{document.title_de} · {position}",
            snippet(row),
            document,
            group,
            row.paragraph_id,
        )
        for row, document, group, position in rows
    ]


def _amendment_snippet(amendment: Amendment, terms: list[str]) -> tuple[str | None, str, Markup]:
    texts = [
        (None, amendment.justification),
        ("de", amendment.de_text or ""),
        ("fr", amendment.fr_text or ""),
    ]
    return _best(texts, terms)


def _comment_snippet(comment: Comment, terms: list[str]) -> tuple[str | None, str, Markup]:
    plain, html, _ = highlight(comment.body, terms)
    return comment.lang, plain, html


def _initiative_hits(session: Session, ids: list[int], terms: list[str]) -> list[SearchHit]:
    if not ids:
        return []
    rows = session.exec(
        select(Initiative)
        .where(col(Initiative.id).in_(ids), col(Initiative.archived_at).is_(None))
        .order_by(col(Initiative.key))
    ).all()
    hits = []
    for initiative in rows:
        lang, plain, html = _best(
            [
                ("de", initiative.summary_de),
                ("fr", initiative.summary_fr),
                ("de", initiative.name_de),
                ("fr", initiative.name_fr),
                (None, f"{initiative.municipality} {initiative.region} {initiative.themes}"),
                (None, initiative.key),
            ],
            terms,
        )
        hits.append(
            SearchHit(
                kind="initiative",
                id=initiative.id or 0,
                title=f"{initiative.name_de} · {initiative.name_fr}",
                snippet=plain,
                snippet_html=html,
                url=f"/initiatives/{initiative.key}",
                lang=lang,
            )
        )
    return hits
