"""JSON shapes of alignment (are DE and FR the same?), translation memory and machine
translation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.fields import PositiveId
from app.models import Alignment, Revision
from app.queries.alignment import AlignmentView
from app.schemas.common import Body, Shape
from app.schemas.glossary import GlossaryWarningOut
from drafting.alignment import Status
from drafting.glossary import TermWarning
from drafting.text import Lang


class ParagraphStatusOut(Shape):
    paragraph_id: int
    status: Status


class AlignmentChangesOut(Shape):
    de: list[tuple[int, str]]
    fr: list[tuple[int, str]]


class AlignmentOut(Shape):
    status: Status
    de_revision_id: int | None = Field(description="The confirmed German revision, if any.")
    fr_revision_id: int | None = Field(description="The confirmed French revision, if any.")
    changes_since: AlignmentChangesOut = Field(
        description="Word diff per language from the confirmed revision to the current one."
    )
    confirmed_by: str | None = None
    unreviewed_machine_translation: list[Lang] = Field(default_factory=list)

    @classmethod
    def of(cls, view: AlignmentView) -> AlignmentOut:
        confirmed = view.confirmed
        return cls(
            status=view.status,
            de_revision_id=confirmed.de_revision_id if confirmed else None,
            fr_revision_id=confirmed.fr_revision_id if confirmed else None,
            changes_since=AlignmentChangesOut(
                de=list(view.changes.get(Lang.DE, [])), fr=list(view.changes.get(Lang.FR, []))
            ),
            confirmed_by=confirmed.confirmed_by if confirmed else None,
            unreviewed_machine_translation=sorted(view.unreviewed),
        )


class ConfirmAlignment(Body):
    de_revision_id: PositiveId
    fr_revision_id: PositiveId


class AlignmentConfirmedOut(Shape):
    status: Literal["in_sync"] = "in_sync"
    de_revision_id: int
    fr_revision_id: int
    warnings: list[GlossaryWarningOut]

    @classmethod
    def of(cls, alignment: Alignment, warnings: list[TermWarning]) -> AlignmentConfirmedOut:
        return cls.model_validate(alignment.model_dump() | {"warnings": warnings})


class MemorySuggestionOut(Shape):
    text: str
    score: float
    paragraph_id: int
    source: str


class MachineTranslationOut(Shape):
    revision_id: int
    lang: Lang
    text: str
    source: str

    @classmethod
    def of(cls, revision: Revision) -> MachineTranslationOut:
        return cls.model_validate(revision.model_dump() | {"revision_id": revision.id})
