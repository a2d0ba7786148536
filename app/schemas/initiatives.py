"""JSON shapes of the initiatives library, and the form the pages post.

The field types (and their limits) come from ``app.fields``, shared with the model, the
service and the CSV import.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.fields import (
    ContactNotesInput,
    CountryInput,
    InitiativeKeyInput,
    LinksInput,
    NameInput,
    NumberInput,
    ShortNameInput,
    SummaryInput,
    ThemeInput,
    ThemesInput,
)
from app.models import Initiative
from app.queries import initiatives as initiative_queries
from app.schemas.common import Body, Shape


class NewInitiative(Body):
    key: InitiativeKeyInput
    name_de: NameInput
    name_fr: NameInput
    municipality: ShortNameInput
    country: CountryInput
    region: ShortNameInput = ""
    themes: list[ThemeInput] | ThemesInput = Field(default_factory=list)
    since: int | None = None
    summary_de: SummaryInput = ""
    summary_fr: SummaryInput = ""
    links: LinksInput = ""
    contact_notes: ContactNotesInput = ""
    latitude: float | None = None
    longitude: float | None = None


class InitiativeChanges(Body):
    """Only the fields sent change; the key names the initiative and cannot."""

    key: InitiativeKeyInput | None = None
    name_de: NameInput | None = None
    name_fr: NameInput | None = None
    municipality: ShortNameInput | None = None
    country: CountryInput | None = None
    region: ShortNameInput | None = None
    themes: list[ThemeInput] | ThemesInput | None = None
    since: int | None = None
    summary_de: SummaryInput | None = None
    summary_fr: SummaryInput | None = None
    links: LinksInput | None = None
    contact_notes: ContactNotesInput | None = None
    latitude: float | None = None
    longitude: float | None = None


class InitiativeForm(BaseModel):
    """The create and edit forms: every field a string, as browsers send them."""

    key: InitiativeKeyInput = ""
    name_de: NameInput = ""
    name_fr: NameInput = ""
    municipality: ShortNameInput = ""
    country: CountryInput = ""
    region: ShortNameInput = ""
    themes: ThemesInput = ""
    since: NumberInput = ""
    summary_de: SummaryInput = ""
    summary_fr: SummaryInput = ""
    links: LinksInput = ""
    contact_notes: ContactNotesInput = ""
    latitude: NumberInput = ""
    longitude: NumberInput = ""


class InitiativeOut(Shape):
    key: str
    name_de: str
    name_fr: str
    municipality: str
    country: str
    region: str
    themes: list[str]
    since: int | None
    summary_de: str
    summary_fr: str
    links: list[str]
    contact_notes: str
    latitude: float | None
    longitude: float | None
    archived: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, initiative: Initiative) -> InitiativeOut:
        return cls.model_validate(
            initiative.model_dump()
            | {
                "themes": initiative_queries.themes_of(initiative),
                "links": initiative_queries.links_of(initiative),
                "archived": initiative.archived_at is not None,
            }
        )
