"""Field types with their limits, defined once: models, API bodies, form fields and the
CSV import take their limits from here, so that they cannot disagree.

Two kinds of limit meet here. The *stored* limit is what a column holds and what the
domain accepts after normalising (``drafting.text``). The *transport* limit is what a
request may carry before it is normalised: a little more than the stored one, so that an
over-long value gets the domain's clear message (with its length) instead of a bare
"too long" from the parser, while a huge value is still refused before any work.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from drafting.text import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH

# Ids are PostgreSQL integers (32-bit): larger ones cannot exist, and refusing them before
# a query keeps the database from failing on them ("integer out of range").
MAX_ID = 2**31 - 1
PositiveId = Annotated[int, Field(ge=1, le=MAX_ID)]

# --- stored limits (characters) --------------------------------------------------------
NAME_LENGTH = MAX_TITLE_LENGTH  # titles, names, labels: one line
SHORT_NAME_LENGTH = 200  # display names, municipalities, regions, glossary terms
TEXT_LENGTH = MAX_TEXT_LENGTH  # paragraph texts, amendment texts
NOTE_LENGTH = 10_000  # reasons, justifications, notes, comments, summaries
REASON_LENGTH = 5_000  # why a phase moves back or a review opens out of sync

# --- transport limits: what a request may carry before normalising ----------------------
ParagraphText = Annotated[str, StringConstraints(max_length=2 * TEXT_LENGTH)]
NameInput = Annotated[str, StringConstraints(max_length=4 * NAME_LENGTH)]
ShortNameInput = Annotated[str, StringConstraints(max_length=4 * SHORT_NAME_LENGTH)]
NoteInput = Annotated[str, StringConstraints(max_length=2 * NOTE_LENGTH)]
ReasonInput = Annotated[str, StringConstraints(max_length=2 * REASON_LENGTH)]

# --- amendments and comments
# A justification or a decision's reason is kept as written up to this length: the parser
# refuses longer ones, the domain only normalises.
AMENDMENT_NOTE_LENGTH = 50_000
AmendmentNote = Annotated[str, StringConstraints(max_length=AMENDMENT_NOTE_LENGTH)]
COMMENT_LENGTH = 20_000
QUOTE_LENGTH = 5_000
# Comfortably above both stored limits, so an over-long body or quote gets the domain's
# message with its length.
CommentInput = Annotated[str, StringConstraints(max_length=5 * COMMENT_LENGTH)]

# --- glossary
GLOSSARY_NOTE_LENGTH = 2_000  # a glossary term's note: a hint on usage, shorter than a comment

# --- accounts
HANDLE_LENGTH = 64  # user names and group slugs: what a URL or a login form carries
PASSWORD_LENGTH = 1024
HandleInput = Annotated[str, StringConstraints(max_length=4 * HANDLE_LENGTH)]
PasswordInput = Annotated[str, StringConstraints(max_length=PASSWORD_LENGTH)]

# --- initiatives -----------------------------------------------------------------------
# Stored limits of the library (app.models.Initiative; names, municipality and region use
# NAME_LENGTH and SHORT_NAME_LENGTH above), which the service enforces by field name.
INITIATIVE_KEY_LENGTH = 100
COUNTRY_LENGTH = 2  # a two-letter code
THEME_LENGTH = 100
THEMES_LENGTH = 500  # all of an initiative's themes, ";"-separated
SUMMARY_LENGTH = 20_000
CONTACT_NOTES_LENGTH = 5_000
LINKS_LENGTH = 5_000  # one http(s) address per line
EVIDENCE_NOTE_LENGTH = 2_000  # why a paragraph cites an initiative

InitiativeKeyInput = Annotated[str, StringConstraints(max_length=2 * INITIATIVE_KEY_LENGTH)]
# Long enough for "Deutschland", which the service answers with what a country code is.
CountryInput = Annotated[str, StringConstraints(max_length=50)]
ThemeInput = Annotated[str, StringConstraints(max_length=2 * THEME_LENGTH)]
ThemesInput = Annotated[str, StringConstraints(max_length=4 * THEMES_LENGTH)]
SummaryInput = Annotated[str, StringConstraints(max_length=2 * SUMMARY_LENGTH)]
ContactNotesInput = Annotated[str, StringConstraints(max_length=2 * CONTACT_NOTES_LENGTH)]
LinksInput = Annotated[str, StringConstraints(max_length=2 * LINKS_LENGTH)]
EvidenceNoteInput = Annotated[str, StringConstraints(max_length=2 * EVIDENCE_NOTE_LENGTH)]
# A form sends numbers as typed; the service reads them and names the field it refuses.
NumberInput = Annotated[str, StringConstraints(max_length=50)]

# --- paragraphs
PhaseName = Annotated[str, StringConstraints(max_length=40)]
# Larger than any document; the service refuses a position past the last paragraph.
ParagraphPosition = Annotated[int, Field(ge=1, le=2**31)]
