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

# --- transport limits: what a request may carry before normalising ----------------------
ParagraphText = Annotated[str, StringConstraints(max_length=2 * TEXT_LENGTH)]
NameInput = Annotated[str, StringConstraints(max_length=4 * NAME_LENGTH)]
ShortNameInput = Annotated[str, StringConstraints(max_length=4 * SHORT_NAME_LENGTH)]
NoteInput = Annotated[str, StringConstraints(max_length=2 * NOTE_LENGTH)]

# --- paragraphs
PhaseName = Annotated[str, StringConstraints(max_length=40)]
# Larger than any document; the service refuses a position past the last paragraph.
ParagraphPosition = Annotated[int, Field(ge=1, le=2**31)]
