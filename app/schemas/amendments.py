"""JSON shapes of amendments: proposing, rebasing, deciding and merging them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, Field

from app.fields import AmendmentNote, ParagraphText, PositiveId
from app.schemas.common import Body, Shape
from app.services.amendments import MergePlan
from drafting.text import Lang

AmendmentStatusFilter = Literal[
    "open", "needs_rebase", "accepted", "accepted_modified", "rejected", "withdrawn", "obsolete"
]


class AmendmentTextsIn(Body):
    de: ParagraphText | None = None
    fr: ParagraphText | None = None

    def by_lang(self) -> dict[Lang, str | None]:
        return {Lang.DE: self.de, Lang.FR: self.fr}


class AmendmentBaseRevisionsIn(Body):
    de: PositiveId | None = None
    fr: PositiveId | None = None

    def by_lang(self) -> dict[Lang, int | None]:
        return {Lang.DE: self.de, Lang.FR: self.fr}


class NewAmendment(Body):
    texts: AmendmentTextsIn
    base_revision_ids: AmendmentBaseRevisionsIn = Field(default_factory=AmendmentBaseRevisionsIn)
    justification: AmendmentNote


class RebasedAmendment(Body):
    texts: AmendmentTextsIn
    base_revision_ids: AmendmentBaseRevisionsIn = Field(default_factory=AmendmentBaseRevisionsIn)


class AmendmentDecisionIn(Body):
    decision: Literal["accept", "accept_modified", "reject"]
    texts: AmendmentTextsIn | None = None
    reason: AmendmentNote = ""


class AmendmentMergeIn(Body):
    amendment_ids: list[PositiveId] = Field(max_length=100)
    reason: AmendmentNote = ""


class AmendmentConflictOut(Shape):
    """A language whose rebase conflicts: the three texts, and the merge's proposal (read
    from the query's side of the amendment, whose names say what each text is)."""

    base: str = Field(validation_alias=AliasChoices("base", "base_text"))
    theirs: str = Field(validation_alias=AliasChoices("theirs", "current_text"))
    yours: str = Field(validation_alias=AliasChoices("yours", "text"))
    proposal: str


class AmendmentOut(Shape):
    id: int
    paragraph_id: int
    status: str
    rebase_state: str
    texts: dict[str, str]
    base_revision_ids: dict[str, int | None]
    justification: str
    author: str
    supporters: list[str]
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    applied_texts: dict[str, str]
    conflicts: dict[str, AmendmentConflictOut]


class AmendmentMergeStepOut(Shape):
    amendment_id: int
    merged: bool
    conflicting_langs: list[str]


class AmendmentMergeOut(Shape):
    paragraph_id: int
    clean: bool
    texts: dict[str, str]
    steps: list[AmendmentMergeStepOut]

    @classmethod
    def of(cls, plan: MergePlan) -> AmendmentMergeOut:
        return cls.model_validate(
            {
                "paragraph_id": plan.paragraph.id,
                "clean": plan.preview.clean,
                "texts": plan.preview.texts,
                "steps": [
                    {
                        "amendment_id": step.amendment_id,
                        "merged": step.merged,
                        "conflicting_langs": sorted(step.conflicts),
                    }
                    for step in plan.preview.steps
                ],
            }
        )
