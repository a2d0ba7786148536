"""Reading amendments for the document page and the API.

Open amendments are shown rebased onto the paragraph's current texts (see
:mod:`drafting.amendments`). The rebase is computed on read, deterministically, so every
page and API answer sees the same state whether or not a write has persisted it yet;
writes persist it (:mod:`app.services.amendments`). GET requests never write: on SQLite
they run on the read engine, whose transactions cannot take the write lock.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.fields import MAX_ID
from app.models import Amendment, AmendmentStatus, AmendmentSupport, Paragraph, Revision, User
from app.queries.access import DocumentAccess, paragraph_for
from app.queries.documents import ParagraphView, paragraphs_of
from drafting.amendments import AmendmentRebase, RebaseState, Side, rebase, untouched_language
from drafting.diffs import DiffOps, word_diff
from drafting.merges import ConflictHunk

LANGS = ("de", "fr")
DECIDED = (AmendmentStatus.ACCEPTED.value, AmendmentStatus.ACCEPTED_MODIFIED.value)


@dataclass(frozen=True)
class SideView:
    """One language of an amendment as it stands now."""

    lang: str
    text: str  # rebased proposal; on conflict, the stored proposal
    base_revision_id: int | None
    current_text: str
    current_revision_id: int | None
    ops: DiffOps  # current text → proposal (when clean) or base → proposal (conflict)
    conflicts: list[ConflictHunk] = field(default_factory=list)
    base_text: str = ""
    proposal: str = ""  # on conflict: the merge's proposal for the author to edit
    applied_text: str | None = None
    proposed: bool = True  # False: a language only the moderator's modified text changed


@dataclass(frozen=True)
class AmendmentView:
    id: int
    paragraph_id: int
    document_id: int
    author: str
    author_name: str
    justification: str
    status: str
    rebase_state: str
    sides: list[SideView]
    supporters: list[str]
    supporter_names: list[str]
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    # What the stored row says, before the rebase computed on read.
    stored_status: str
    stored_rebase_state: str

    @property
    def is_open(self) -> bool:
        return self.status == AmendmentStatus.OPEN.value

    @property
    def texts(self) -> dict[str, str]:
        return {side.lang: side.text for side in self.sides if side.proposed}

    @property
    def base_revision_ids(self) -> dict[str, int | None]:
        return {side.lang: side.base_revision_id for side in self.sides if side.proposed}

    @property
    def applied_texts(self) -> dict[str, str]:
        return {s.lang: s.applied_text for s in self.sides if s.applied_text is not None}

    @property
    def conflicts(self) -> dict[str, SideView]:
        """The languages whose rebase conflicts: the author has to rewrite them."""
        return {side.lang: side for side in self.sides if side.conflicts}

    @property
    def langs(self) -> list[str]:
        return [side.lang for side in self.sides]

    def side(self, lang: str) -> SideView | None:
        return next((side for side in self.sides if side.lang == lang), None)


@dataclass(frozen=True)
class Current:
    """A paragraph's current revision id and text per language."""

    revision_ids: dict[str, int | None]
    texts: dict[str, str]

    @classmethod
    def of(cls, view: ParagraphView) -> Current:
        return cls(
            revision_ids={lang: view.text(lang).revision_id for lang in LANGS},
            texts={lang: view.text(lang).text for lang in LANGS},
        )


def proposed_texts(amendment: Amendment) -> dict[str, str]:
    texts = {"de": amendment.de_text, "fr": amendment.fr_text}
    return {lang: text for lang, text in texts.items() if text is not None}


def base_id(amendment: Amendment, lang: str) -> int | None:
    return amendment.de_base_revision_id if lang == "de" else amendment.fr_base_revision_id


def rebase_of(
    amendment: Amendment, current: Current, base_texts: dict[int, str]
) -> AmendmentRebase:
    sides = {}
    for lang, proposed in proposed_texts(amendment).items():
        base = base_id(amendment, lang)
        sides[lang] = Side(
            base=base_texts.get(base, "") if base is not None else "",
            current=current.texts[lang],
            proposed=proposed,
            base_is_current=base is not None and base == current.revision_ids[lang],
        )
    return rebase(sides)


# --- loading -----------------------------------------------------------------------------


def _rows(
    session: Session,
    document_id: int,
    *,
    statuses: tuple[str, ...] | None = None,
    paragraph_id: int | None = None,
    amendment_id: int | None = None,
) -> list[tuple[Amendment, User, User | None]]:
    decider = aliased(User)
    statement = (
        select(Amendment, User, decider)
        .join(User, col(User.id) == col(Amendment.author_id))
        .outerjoin(decider, col(decider.id) == col(Amendment.decided_by))
        .where(Amendment.document_id == document_id)
        .order_by(col(Amendment.id))
    )
    if statuses is not None:
        statement = statement.where(col(Amendment.status).in_(statuses))
    if paragraph_id is not None:
        statement = statement.where(Amendment.paragraph_id == paragraph_id)
    if amendment_id is not None:
        statement = statement.where(Amendment.id == amendment_id)
    return [(a, u, d) for a, u, d in session.exec(statement).all()]


def _supporters(session: Session, document_id: int) -> dict[int, list[User]]:
    statement = (
        select(AmendmentSupport.amendment_id, User)
        .join(Amendment, col(Amendment.id) == col(AmendmentSupport.amendment_id))
        .join(User, col(User.id) == col(AmendmentSupport.user_id))
        .where(Amendment.document_id == document_id)
        .order_by(col(AmendmentSupport.id))
    )
    result: dict[int, list[User]] = {}
    for amendment_id, user in session.exec(statement).all():
        result.setdefault(amendment_id, []).append(user)
    return result


def base_texts_of(session: Session, document_id: int) -> dict[int, str]:
    """The texts of the revisions open amendments of the document were written on."""
    statement = (
        select(Revision.id, Revision.text)
        .join(
            Amendment,
            or_(
                col(Amendment.de_base_revision_id) == col(Revision.id),
                col(Amendment.fr_base_revision_id) == col(Revision.id),
            ),
        )
        .where(
            Amendment.document_id == document_id,
            Amendment.status == AmendmentStatus.OPEN.value,
        )
    )
    return {revision_id: text for revision_id, text in session.exec(statement).all() if revision_id}


def _open_sides(
    amendment: Amendment, current: Current, base_texts: dict[int, str]
) -> tuple[AmendmentStatus, str, list[SideView]]:
    """An open amendment as it stands on today's text: its status and rebase state as of
    now, and per side the proposal rebased (when it applies cleanly) or its conflicts."""
    status, rebase_state = amendment.status, amendment.rebase_state
    proposals = proposed_texts(amendment)
    result = rebase_of(amendment, current, base_texts)
    if result.state is RebaseState.OBSOLETE:
        status, rebase_state = AmendmentStatus.OBSOLETE, RebaseState.CLEAN.value
    else:
        rebase_state = result.state.value
    sides = []
    for lang, side in result.sides.items():
        base = base_id(amendment, lang)
        base_text = base_texts.get(base, "") if base is not None else ""
        if side.clean:
            ops = word_diff(current.texts[lang], side.text)
            text = side.text
            effective_base = current.revision_ids[lang] if side.moved else base
        else:
            ops = word_diff(base_text, proposals[lang])
            text = proposals[lang]
            effective_base = base
        sides.append(
            SideView(
                lang=lang,
                text=text,
                base_revision_id=effective_base,
                current_text=current.texts[lang],
                current_revision_id=current.revision_ids[lang],
                ops=ops,
                conflicts=side.conflicts,
                base_text=base_text,
                proposal=side.text,
            )
        )
    return status, rebase_state, sides


def _settled_sides(amendment: Amendment, current: Current | None) -> list[SideView]:
    """A decided (or withdrawn) amendment: what it proposed and what was applied."""
    proposals = proposed_texts(amendment)
    applied = {"de": amendment.applied_de_text, "fr": amendment.applied_fr_text}
    sides = []
    for lang, text in proposals.items():
        now = current.texts[lang] if current is not None else ""
        sides.append(
            SideView(
                lang=lang,
                text=text,
                base_revision_id=base_id(amendment, lang),
                current_text=now,
                current_revision_id=current.revision_ids[lang] if current else None,
                ops=word_diff(now, text) if current is not None else [],
                applied_text=applied[lang],
            )
        )
    # accept_modified may apply a language the proposal did not touch
    for lang in LANGS:
        if lang not in proposals and applied[lang] is not None:
            sides.append(
                SideView(
                    lang=lang,
                    text="",
                    base_revision_id=None,
                    current_text=current.texts[lang] if current else "",
                    current_revision_id=None,
                    ops=[],
                    applied_text=applied[lang],
                    proposed=False,
                )
            )
    return sides


def _view(
    amendment: Amendment,
    author: User,
    decider: User | None,
    supporters: list[User],
    current: Current | None,
    base_texts: dict[int, str],
) -> AmendmentView:
    assert amendment.id is not None
    status, rebase_state = amendment.status, amendment.rebase_state
    if amendment.status == AmendmentStatus.OPEN.value and current is not None:
        status, rebase_state, sides = _open_sides(amendment, current, base_texts)
    else:
        sides = _settled_sides(amendment, current)
    return AmendmentView(
        id=amendment.id,
        paragraph_id=amendment.paragraph_id,
        document_id=amendment.document_id,
        author=author.username,
        author_name=author.display_name,
        justification=amendment.justification,
        status=status,
        rebase_state=rebase_state,
        sides=sides,
        supporters=[user.username for user in supporters],
        supporter_names=[user.display_name for user in supporters],
        created_at=amendment.created_at,
        decided_by=decider.username if decider else None,
        decided_at=amendment.decided_at,
        decision_reason=amendment.decision_reason,
        stored_status=amendment.status,
        stored_rebase_state=amendment.rebase_state,
    )


def views_of(
    session: Session,
    document_id: int,
    paragraphs: list[ParagraphView],
    *,
    statuses: tuple[str, ...] | None = None,
    paragraph_id: int | None = None,
    amendment_id: int | None = None,
) -> list[AmendmentView]:
    """Amendments of a live paragraph of the document, rebased onto the current texts."""
    current = {view.id: Current.of(view) for view in paragraphs}
    rows = _rows(
        session,
        document_id,
        statuses=statuses,
        paragraph_id=paragraph_id,
        amendment_id=amendment_id,
    )
    if not rows:
        return []
    supporters = _supporters(session, document_id)
    base_texts = base_texts_of(session, document_id)
    return [
        _view(
            a, author, decider, supporters.get(a.id or 0, []), current[a.paragraph_id], base_texts
        )
        for a, author, decider in rows
        if a.paragraph_id in current
    ]


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    lang: str | None = None
    author: str | None = None
    paragraph: int | None = None


def listing(
    session: Session, access: DocumentAccess, filters: Filters
) -> tuple[list[AmendmentView], list[ParagraphView]]:
    """The document's amendments, filtered on their state as it is now."""
    assert access.document.id is not None
    paragraphs = paragraphs_of(session, access.document.id)
    views = views_of(session, access.document.id, paragraphs, paragraph_id=filters.paragraph)
    if filters.status:
        views = [
            v
            for v in views
            if v.status == filters.status
            or (filters.status == "needs_rebase" and v.is_open and v.rebase_state == filters.status)
        ]
    if filters.lang:
        views = [v for v in views if filters.lang in v.langs]
    if filters.author:
        views = [v for v in views if v.author == filters.author.lower()]
    return views, paragraphs


def amendment_for(
    session: Session, access_user: User, amendment_id: int, *, for_update: bool = False
) -> tuple[DocumentAccess, Paragraph, Amendment]:
    """An amendment of a paragraph the user may read; 404 for outsiders and unknown ids."""
    amendment = session.get(Amendment, amendment_id) if 0 < amendment_id <= MAX_ID else None
    if amendment is None:
        raise NotFound("There is no such amendment.")
    access, paragraph = paragraph_for(
        session, access_user, amendment.paragraph_id, for_update=for_update
    )
    if for_update:
        session.refresh(amendment, with_for_update=True)
    return access, paragraph, amendment


def view_for(session: Session, user: User, amendment_id: int) -> AmendmentView:
    """An amendment the user may read, as it stands now; 404 for outsiders."""
    access, _, _ = amendment_for(session, user, amendment_id)
    return view_of(session, access, amendment_id)


def view_of(session: Session, access: DocumentAccess, amendment_id: int) -> AmendmentView:
    assert access.document.id is not None
    views = views_of(
        session,
        access.document.id,
        paragraphs_of(session, access.document.id),
        amendment_id=amendment_id,
    )
    if not views:
        raise NotFound("There is no such amendment.")
    return views[0]


# --- the document page and the document JSON ---------------------------------------------


def _outdated(views: list[AmendmentView], paragraphs: list[ParagraphView]) -> dict[int, str]:
    """Per paragraph, the language left behind by its last accepted amendment, as long as
    that language has not been edited since (alignment will take this over)."""
    last: dict[int, AmendmentView] = {}
    for view in views:
        if view.status in DECIDED and view.decided_at is not None:
            known = last.get(view.paragraph_id)
            if known is None or (known.decided_at or view.decided_at) <= view.decided_at:
                last[view.paragraph_id] = view
    by_id = {p.id: p for p in paragraphs}
    result = {}
    for paragraph_id, view in last.items():
        modified = view.status == AmendmentStatus.ACCEPTED_MODIFIED.value
        applied: dict[str, str | None] = dict(view.applied_texts if modified else view.texts)
        other = untouched_language(applied)
        if other is None:
            continue
        edited_at = by_id[paragraph_id].text(other).updated_at
        if edited_at is not None and view.decided_at is not None and edited_at > view.decided_at:
            continue
        result[paragraph_id] = other
    return result


def for_document(
    session: Session, access: DocumentAccess, paragraphs: list[ParagraphView]
) -> dict[str, Any]:
    """Template context for the document page, in a constant number of queries."""
    assert access.document.id is not None
    views = views_of(
        session,
        access.document.id,
        paragraphs,
        statuses=(AmendmentStatus.OPEN.value, *DECIDED),
    )
    open_views = [v for v in views if v.is_open]
    by_paragraph: dict[int, list[AmendmentView]] = {}
    for view in open_views:
        by_paragraph.setdefault(view.paragraph_id, []).append(view)
    return {
        "amendments_by_paragraph": by_paragraph,
        "amendments_open_count": len(open_views),
        "amendments_needs_rebase_count": sum(
            1 for v in open_views if v.rebase_state == RebaseState.NEEDS_REBASE.value
        ),
        "amendments_outdated": _outdated(views, paragraphs),
        "amendment_error": None,
    }


def counts(session: Session, document_id: int) -> dict[int, Any]:
    """Per paragraph id, its open amendments (ones that became obsolete do not count)."""
    rows = _rows(session, document_id, statuses=(AmendmentStatus.OPEN.value,))
    if not rows:
        return {}
    current = {view.id: Current.of(view) for view in paragraphs_of(session, document_id)}
    base_texts = base_texts_of(session, document_id)
    result: Counter[int] = Counter()
    for amendment, _, _ in rows:
        now = current.get(amendment.paragraph_id)
        if now is None:
            continue
        if rebase_of(amendment, now, base_texts).state is not RebaseState.OBSOLETE:
            result[amendment.paragraph_id] += 1
    return dict(result)
