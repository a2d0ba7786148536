"""The shared library of local initiatives: create, edit (revisions kept), archive, import."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import validation
from app.db import unit_of_work
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.fields import (
    CONTACT_NOTES_LENGTH,
    COUNTRY_LENGTH,
    INITIATIVE_KEY_LENGTH,
    LINKS_LENGTH,
    NAME_LENGTH,
    SHORT_NAME_LENGTH,
    SUMMARY_LENGTH,
    THEME_LENGTH,
    THEMES_LENGTH,
)
from app.i18n import translate
from app.models import Initiative, InitiativeRevision, Membership, Role, User, utcnow
from app.permissions import Action, allowed
from app.services import audit
from drafting.text import normalise

KEY = re.compile(rf"^[a-z0-9][a-z0-9-]{{1,{INITIATIVE_KEY_LENGTH - 1}}}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
# Paths under /initiatives/ that are pages, not initiative keys.
RESERVED_KEYS = {"import", "new"}
REQUIRED = ("key", "name_de", "name_fr", "municipality", "country")
OPTIONAL = (
    "region",
    "themes",
    "since",
    "summary_de",
    "summary_fr",
    "links",
    "contact_notes",
    "latitude",
    "longitude",
)
FIELDS = REQUIRED + OPTIONAL
MAX_IMPORT_ROWS = 5_000


def require_library(session: Session, user: User, *, edit: bool = False) -> None:
    """Members of at least one group read the library; members and moderators edit it."""
    roles = session.exec(select(Membership.role).where(Membership.user_id == user.id)).all()
    if not roles:
        raise Forbidden("The initiatives library is open to members of a working group.")
    if edit and not any(allowed(Role(role), Action.EDIT_INITIATIVES) for role in roles):
        raise Forbidden()


def can_edit(session: Session, user: User) -> bool:
    try:
        require_library(session, user, edit=True)
    except Forbidden:
        return False
    return True


def get(session: Session, user: User, key: str) -> Initiative:
    """The initiative, for a member of a working group; archived ones too."""
    require_library(session, user)
    return _require(session, key)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


def _text(name: str, value: object, *, max_length: int) -> str:
    with validation.field(name):
        return normalise(str(value), max_length=max_length).strip()


def _optional_number(name: str, value: object, low: float, high: float) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip()) if not isinstance(value, bool) else math.nan
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and low <= number <= high):
        raise ValidationFailed(
            "{name} must be a number between {low} and {high}.",
            details={"field": name},
            name=name,
            low=low,
            high=high,
        )
    return number


def _clean_one(name: str, value: object) -> object:  # noqa: C901 - one branch per field
    if name == "key":
        key = validation.name_field("key", str(value), max_length=INITIATIVE_KEY_LENGTH).lower()
        if not KEY.match(key) or key in RESERVED_KEYS:
            raise ValidationFailed(
                "A key has 2 to 100 characters: lower-case letters a-z, digits and '-'.",
                details={"field": "key"},
            )
        return key
    if name in ("name_de", "name_fr"):
        return validation.name_field(name, str(value), max_length=NAME_LENGTH)
    if name == "municipality":
        return validation.name_field(name, str(value), max_length=SHORT_NAME_LENGTH)
    if name == "country":
        country = validation.name_field(name, str(value), max_length=COUNTRY_LENGTH).upper()
        if not COUNTRY.match(country):
            raise ValidationFailed(
                "A country is a two-letter code such as DE or FR.", details={"field": name}
            )
        return country
    if name == "region":
        return (
            validation.name_field(name, str(value), max_length=SHORT_NAME_LENGTH) if value else ""
        )
    if name == "themes":
        items = value if isinstance(value, list) else str(value or "").split(";")
        themes: list[str] = []
        for item in items:
            theme = _text(name, item, max_length=THEME_LENGTH)
            if "\n" in theme or "\t" in theme:
                raise ValidationFailed("This field must be a single line.", details={"field": name})
            if theme and theme not in themes:
                themes.append(theme)
        joined = ";".join(themes)
        if len(joined) > THEMES_LENGTH:
            raise ValidationFailed("There are too many themes.", details={"field": name})
        return joined
    if name == "since":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
            raise ValidationFailed("The year must have four digits.", details={"field": name})
        year = int(text)
        if not 1800 <= year <= 2100:
            raise ValidationFailed(
                "The year must be between 1800 and 2100.", details={"field": name}
            )
        return year
    if name in ("summary_de", "summary_fr"):
        return _text(name, value or "", max_length=SUMMARY_LENGTH)
    if name == "contact_notes":
        return _text(name, value or "", max_length=CONTACT_NOTES_LENGTH)
    if name == "links":
        links = _text(name, value or "", max_length=LINKS_LENGTH).split()
        for link in links:
            if not re.match(r"^https?://\S+$", link, re.IGNORECASE):
                raise ValidationFailed(
                    "Links must start with http:// or https:// ({link}).",
                    details={"field": name},
                    link=link[:100],
                )
        return "\n".join(links)
    if name == "latitude":
        return _optional_number(name, value, -90, 90)
    if name == "longitude":
        return _optional_number(name, value, -180, 180)
    raise ValidationFailed("Unknown field {name}.", details={"field": name}, name=name[:50])


def clean_fields(
    raw: Mapping[str, object], *, partial: bool = False
) -> tuple[dict[str, object], list[FieldError]]:
    """Normalised values of the given fields, and every refusal (not just the first)."""
    cleaned: dict[str, object] = {}
    errors: list[FieldError] = []
    names = [name for name in FIELDS if name in raw] if partial else list(FIELDS)
    for unknown in sorted(set(raw) - set(FIELDS)):
        errors.append(FieldError(unknown, f"Unknown field {unknown}."))
    for name in names:
        value = raw.get(name)
        if value is None and name in REQUIRED:
            errors.append(FieldError(name, translate("This field must not be empty.", {})))
            continue
        try:
            cleaned[name] = _clean_one(name, value)
        except ValidationFailed as refusal:
            errors.append(FieldError(name, translate(refusal.template, refusal.params)))
    return cleaned, errors


def _first_error(errors: list[FieldError]) -> ValidationFailed:
    first = errors[0]
    return ValidationFailed(
        "{field}: {problem}",
        details={"field": first.field, "errors": [e.__dict__ for e in errors]},
        field=first.field,
        problem=first.message,
    )


def snapshot(initiative: Initiative) -> dict[str, Any]:
    return {name: getattr(initiative, name) for name in FIELDS}


def by_key(session: Session, key: str) -> Initiative | None:
    key = key.strip().lower()
    if not KEY.match(key):  # also keeps NUL and other junk away from the database
        return None
    return session.exec(select(Initiative).where(Initiative.key == key)).first()


def _require(session: Session, key: str) -> Initiative:
    initiative = by_key(session, key)
    if initiative is None:
        raise NotFound("There is no initiative {key}.", key=key[:100])
    return initiative


def _apply(
    session: Session, actor: User | None, initiative: Initiative | None, values: dict[str, object]
) -> Initiative:
    """Create (``initiative`` None) or update with cleaned values; keeps the old fields."""
    if initiative is None:
        initiative = Initiative(
            key=str(values["key"]),
            name_de="",
            name_fr="",
            municipality="",
            country="",
            created_by=actor.id if actor else None,
        )
        for name, value in values.items():
            setattr(initiative, name, value)
        session.add(initiative)
        session.flush()
        audit.record(session, actor, "initiative.create", f"initiative:{initiative.key}")
        return initiative
    changed = {
        name: value
        for name, value in values.items()
        if name != "key" and getattr(initiative, name) != value
    }
    if not changed:
        return initiative
    assert initiative.id is not None
    session.add(
        InitiativeRevision(
            initiative_id=initiative.id,
            data=json.dumps(snapshot(initiative), ensure_ascii=False),
            author_id=actor.id if actor else None,
        )
    )
    for name, value in changed.items():
        setattr(initiative, name, value)
    initiative.updated_at = utcnow()
    session.add(initiative)
    audit.record(
        session,
        actor,
        "initiative.update",
        f"initiative:{initiative.key}",
        fields=sorted(changed),
    )
    return initiative


@contextmanager
def _one_initiative_per_key() -> Iterator[None]:
    """An initiative created meanwhile with the same key is a conflict, not a failure.

    Outside the unit of work, so that it also sees a refusal at commit (after the
    rollback).
    """
    try:
        yield
    except IntegrityError:
        raise Conflict("An initiative with this key exists already.") from None


def create(session: Session, user: User, raw: Mapping[str, object]) -> Initiative:
    require_library(session, user, edit=True)
    values, errors = clean_fields(raw)
    if errors:
        raise _first_error(errors)
    if by_key(session, str(values["key"])) is not None:
        raise Conflict(
            "An initiative with the key {key} exists already.",
            details={"field": "key"},
            key=values["key"],
        )
    with _one_initiative_per_key(), unit_of_work(session):
        return _apply(session, user, None, values)


def update(session: Session, user: User, key: str, raw: Mapping[str, object]) -> Initiative:
    require_library(session, user, edit=True)
    initiative = _require(session, key)
    if "key" in raw and str(raw["key"]).strip().lower() != initiative.key:
        raise ValidationFailed("The key of an initiative cannot change.", details={"field": "key"})
    values, errors = clean_fields({k: v for k, v in raw.items() if k != "key"}, partial=True)
    if errors:
        raise _first_error(errors)
    with unit_of_work(session):
        return _apply(session, user, initiative, values)


def archive(session: Session, user: User, key: str) -> Initiative:
    """Hidden from lists and the link form; links that cite it keep showing it."""
    require_library(session, user, edit=True)
    initiative = _require(session, key)
    if initiative.archived_at is None:
        with unit_of_work(session):
            initiative.archived_at = utcnow()
            session.add(initiative)
            audit.record(session, user, "initiative.archive", f"initiative:{initiative.key}")
    return initiative


# --- import from CSV ---------------------------------------------------------------------


@dataclass
class ImportRow:
    row: int  # the line number in the file (the header is line 1)
    key: str
    action: str  # create, update, unchanged or error
    errors: list[FieldError] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow]
    dry_run: bool
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _read_csv(content: bytes | str) -> list[dict[str, str]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed(
                "The file is not UTF-8 text; save the CSV as UTF-8 and try again.",
                details={"field": "file"},
            ) from None
    content = content.removeprefix("\ufeff")
    if "\x00" in content:
        raise ValidationFailed("The file contains NUL characters.", details={"field": "file"})
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise ValidationFailed("The file is empty.", details={"field": "file"})
    reader.fieldnames = header
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in FIELDS]
    if missing or unknown:
        raise ValidationFailed(
            "The header must name the columns {columns}; missing: {missing}; unknown: {unknown}.",
            details={"field": "file", "missing": missing, "unknown": unknown},
            columns=", ".join(FIELDS),
            missing=", ".join(missing) or "-",
            unknown=", ".join(unknown)[:200] or "-",
        )
    try:
        rows: list[dict[str, str]] = []
        for row in reader:
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ValidationFailed(
                    "A file may hold at most {maximum} initiatives.",
                    details={"field": "file"},
                    maximum=MAX_IMPORT_ROWS,
                )
            rows.append(row)
    except csv.Error as problem:
        raise ValidationFailed(
            "The file is not valid CSV: {problem}", details={"field": "file"}, problem=str(problem)
        ) from None
    return rows


def import_csv(
    session: Session, user: User | None, content: bytes | str, *, dry_run: bool
) -> ImportReport:
    """Create or update every row, or nothing: one bad row leaves the library unchanged.

    ``user`` None is the command line, which acts without a person.
    """
    if user is not None:
        require_library(session, user, edit=True)
    rows = _read_csv(content)
    report = ImportReport(rows=[], dry_run=dry_run)
    planned: list[tuple[Initiative | None, dict[str, object]]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        if None in raw:  # more cells than header columns
            entry = ImportRow(number, str(raw.get("key") or ""), "error")
            entry.errors.append(FieldError("row", "The row has more cells than the header."))
            report.rows.append(entry)
            continue
        given = {
            name: value
            for name, value in raw.items()
            if value is not None and (name in REQUIRED or value.strip())
        }
        values, errors = clean_fields(given, partial=True)
        errors += [
            FieldError(name, "This field must not be empty.")
            for name in REQUIRED
            if name not in given
        ]
        key = str(values.get("key") or raw.get("key") or "")
        if key and key in seen:
            errors.append(FieldError("key", f"The key {key} is also on line {seen[key]}."))
        seen.setdefault(key, number)
        existing = by_key(session, key) if "key" in values else None
        if errors:
            report.rows.append(ImportRow(number, key, "error", errors))
            continue
        if existing is None:
            action = "create"
        else:
            action = (
                "update"
                if any(getattr(existing, n) != v for n, v in values.items() if n != "key")
                else "unchanged"
            )
        report.rows.append(ImportRow(number, key, action))
        planned.append((existing, values))
    if dry_run or not report.ok:
        return report
    with _one_initiative_per_key(), unit_of_work(session):
        for existing, values in planned:
            _apply(session, user, existing, values)
        audit.record(
            session,
            user,
            "initiative.import",
            "initiatives",
            created=report.count("create"),
            updated=report.count("update"),
        )
    report.applied = True
    return report
