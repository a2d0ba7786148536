"""Amendments: keeping a proposal in step with the paragraph it amends.

An amendment proposes new text for one paragraph, per language, against the revision it
was written on (its *base*). When the paragraph changes underneath it (a save, a restore,
another amendment accepted), the proposal is **rebased** with the three-way merge of
:mod:`drafting.merges`: ``three_way(base, current, proposed)``.

- clean: the proposal becomes the merged text and its base the current revision;
- conflict: the amendment *needs a rebase*; nothing is applied until a person resolves it;
- when every language it touches now reads exactly like the current text (another
  amendment said the same, or the text was edited to it), it is *obsolete*.

Several amendments of one paragraph can be merged in one pass: each is merged in order
onto the result of the previous ones; one that conflicts with what is already merged is
reported and left out of the preview, never combined silently.

Everything here works on plain strings keyed by language code (``"de"``, ``"fr"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from drafting.merges import ConflictHunk, three_way


class RebaseState(StrEnum):
    CLEAN = "clean"
    NEEDS_REBASE = "needs_rebase"
    OBSOLETE = "obsolete"


@dataclass(frozen=True)
class Side:
    """One language of an amendment: the base it was written on, the paragraph's current
    text and the proposed text. ``base_is_current`` compares revisions, not texts: a base
    with the same words as the current text is still rebased (trivially)."""

    base: str
    current: str
    proposed: str
    base_is_current: bool


@dataclass(frozen=True)
class SideRebase:
    """``text`` is the rebased proposal, or on conflict the merge's proposal for a person
    to edit; ``moved`` tells that the base may move to the current revision."""

    text: str
    clean: bool
    moved: bool
    conflicts: list[ConflictHunk] = field(default_factory=list)

    def changes(self, current: str) -> bool:
        return self.text != current


@dataclass(frozen=True)
class AmendmentRebase:
    state: RebaseState
    sides: dict[str, SideRebase]


def rebase_side(side: Side) -> SideRebase:
    if side.base_is_current:
        return SideRebase(text=side.proposed, clean=True, moved=False)
    merge = three_way(side.base, side.current, side.proposed)
    if merge.clean:
        return SideRebase(text=merge.text, clean=True, moved=True)
    return SideRebase(text=merge.text, clean=False, moved=False, conflicts=merge.conflicts)


def rebase(sides: Mapping[str, Side]) -> AmendmentRebase:
    """Rebase every language of an amendment onto the current texts and say what it is now.

    Deciding whether a competing amendment still applies after another one was accepted is
    the same question: the accepted text is the new current text.
    """
    rebased = {lang: rebase_side(side) for lang, side in sides.items()}
    if any(not result.clean for result in rebased.values()):
        state = RebaseState.NEEDS_REBASE
    elif not any(result.changes(sides[lang].current) for lang, result in rebased.items()):
        state = RebaseState.OBSOLETE
    else:
        state = RebaseState.CLEAN
    return AmendmentRebase(state=state, sides=rebased)


@dataclass(frozen=True)
class MergeStep:
    """What happened to one amendment in a combined merge."""

    amendment_id: int
    merged: bool
    conflicts: dict[str, list[ConflictHunk]] = field(default_factory=dict)


@dataclass(frozen=True)
class MergePreview:
    """The paragraph's texts after merging the amendments, and what each one did."""

    texts: dict[str, str]
    steps: list[MergeStep]

    @property
    def clean(self) -> bool:
        return all(step.merged for step in self.steps)

    @property
    def conflicting_ids(self) -> list[int]:
        return [step.amendment_id for step in self.steps if not step.merged]


def merge_several(
    current: Mapping[str, str], proposals: Sequence[tuple[int, Mapping[str, str]]]
) -> MergePreview:
    """Merge amendments written on the ``current`` texts, in the given order.

    ``proposals`` are ``(amendment id, {lang: proposed text})``, each already rebased onto
    ``current``. An amendment is merged only when all its languages merge cleanly onto
    what the previous ones made of the text; otherwise it is reported and left out.
    """
    texts = dict(current)
    steps: list[MergeStep] = []
    for amendment_id, proposed in proposals:
        attempt: dict[str, str] = {}
        conflicts: dict[str, list[ConflictHunk]] = {}
        for lang, text in proposed.items():
            merge = three_way(current.get(lang, ""), texts.get(lang, ""), text)
            if merge.clean:
                attempt[lang] = merge.text
            else:
                conflicts[lang] = merge.conflicts
        if conflicts:
            steps.append(MergeStep(amendment_id, merged=False, conflicts=conflicts))
            continue
        texts |= attempt
        steps.append(MergeStep(amendment_id, merged=True))
    return MergePreview(texts=texts, steps=steps)


def touched_languages(texts: Mapping[str, str | None]) -> list[str]:
    """The languages an amendment (or a decision) changes, in ``de``, ``fr`` order."""
    return [lang for lang in ("de", "fr") if texts.get(lang) is not None]


def untouched_language(texts: Mapping[str, str | None]) -> str | None:
    """The language left as it was by an amendment to one language only, else None."""
    touched = touched_languages(texts)
    if len(touched) != 1:
        return None
    return "fr" if touched[0] == "de" else "de"
