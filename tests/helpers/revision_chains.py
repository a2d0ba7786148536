"""The revision chain of a paragraph in one language, read from the database.

Saves of a paragraph's text must form one line: each revision is written on top of the one
that was current. Two revisions with the same parent are two saves that both believed they
were writing on the current text; one of them replaced the other without anyone seeing a
conflict — a lost update, even when both rows are still in the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.models import ConflictDraft, Paragraph, Revision


@dataclass(frozen=True)
class Acknowledged:
    """A save the server answered with 200, as its client saw it.

    ``base_revision_id`` is the revision the editor had read; None for a restore, which is
    written on whatever is current.
    """

    paragraph_id: int
    lang: str
    base_revision_id: int | None
    revision_id: int
    text: str
    merged: bool


@dataclass(frozen=True)
class Refused:
    """A save the server answered with 409 edit_conflict, as its client saw it."""

    paragraph_id: int
    lang: str
    base_revision_id: int
    text: str
    conflict_id: int
    theirs_revision_id: int


def revision_chain(engine: Engine, paragraph_id: int, lang: str) -> list[Revision]:
    """The paragraph's revisions in ``lang`` from the first to the current one.

    Fails unless they form one linear chain: no two revisions share a parent, every revision
    but the first has its parent in the chain, and the chain ends at the current revision.
    """
    with Session(engine) as session:
        paragraph = session.get(Paragraph, paragraph_id)
        revisions = list(
            session.exec(
                select(Revision)
                .where(Revision.paragraph_id == paragraph_id, Revision.lang == lang)
                .order_by(col(Revision.id))
            ).all()
        )
    where = f"paragraph {paragraph_id} ({lang})"
    assert paragraph is not None, f"{where} does not exist"
    assert revisions, f"{where} has no revision"
    children: dict[int | None, list[int | None]] = defaultdict(list)
    for revision in revisions:
        children[revision.parent_id].append(revision.id)
    forks = {parent: ids for parent, ids in children.items() if len(ids) > 1}
    assert not forks, f"{where}: revisions share a parent, an update was lost: {forks}"
    ids = {revision.id for revision in revisions}
    first, *rest = revisions
    assert first.parent_id not in ids, f"{where}: the first revision has a parent in the chain"
    orphans = [revision.id for revision in rest if revision.parent_id not in ids]
    assert not orphans, f"{where}: revisions whose parent is not in the chain: {orphans}"
    child_of = {revision.parent_id: revision for revision in rest}
    chain = [first]
    while chain[-1].id in child_of:
        chain.append(child_of[chain[-1].id])
    assert len(chain) == len(revisions), f"{where}: the revisions do not form one chain"
    current = paragraph.current_revision_id(lang)
    assert chain[-1].id == current, (
        f"{where}: current is {current}, the chain ends at {chain[-1].id}"
    )
    return chain


def assert_no_update_lost(
    engine: Engine,
    acknowledged: Iterable[Acknowledged],
    refused: Iterable[Refused] = (),
    *,
    paragraphs: Iterable[tuple[int, str]] = (),
) -> None:
    """Every paragraph and language touched is one chain, and every answer is on it.

    An acknowledged save is on its chain with the text it was acknowledged with. The savers
    write unique texts, so each acknowledged save wrote a revision of its own; a save that
    was not merged was written on top of the revision its editor had read, and a merged
    one is marked as a merge. A refused save kept what was typed in a conflict draft, and
    the text it lost to is on the chain.
    """
    acknowledged, refused = list(acknowledged), list(refused)
    slots = set(paragraphs)
    slots |= {(save.paragraph_id, save.lang) for save in acknowledged}
    slots |= {(refusal.paragraph_id, refusal.lang) for refusal in refused}
    chains = {slot: {r.id: r for r in revision_chain(engine, *slot)} for slot in sorted(slots)}
    revision_ids = [save.revision_id for save in acknowledged]
    assert len(revision_ids) == len(set(revision_ids)), "two acknowledged saves share a revision"
    for save in acknowledged:
        chain = chains[(save.paragraph_id, save.lang)]
        revision = chain.get(save.revision_id)
        assert revision is not None, f"acknowledged revision {save.revision_id} is off the chain"
        assert revision.text == save.text, f"revision {save.revision_id} lost its text"
        if save.merged:
            assert revision.source == "merge", f"revision {revision.id} merged as {revision.source}"
        elif save.base_revision_id is not None:
            assert revision.parent_id == save.base_revision_id, (
                f"revision {revision.id} was saved on revision {save.base_revision_id} but "
                f"replaced {revision.parent_id} without a merge"
            )
    if not refused:
        return
    with Session(engine) as session:
        drafts = {
            draft.id: draft
            for draft in session.exec(
                select(ConflictDraft).where(
                    col(ConflictDraft.id).in_([refusal.conflict_id for refusal in refused])
                )
            ).all()
        }
    for refusal in refused:
        draft = drafts.get(refusal.conflict_id)
        assert draft is not None, f"conflict draft {refusal.conflict_id} was not kept"
        assert (draft.paragraph_id, draft.lang, draft.text) == (
            refusal.paragraph_id,
            refusal.lang,
            refusal.text,
        ), f"conflict draft {draft.id} does not hold what was typed"
        assert draft.base_revision_id == refusal.base_revision_id
        assert draft.theirs_revision_id == refusal.theirs_revision_id != refusal.base_revision_id
        assert refusal.theirs_revision_id in chains[(refusal.paragraph_id, refusal.lang)], (
            f"the revision conflict {draft.id} lost to is off the chain"
        )
