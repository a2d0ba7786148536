"""Versions, compare, government review and the audit log: HTML pages and JSON API."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app import validation
from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.errors import AppError, ValidationFailed
from app.fields import MAX_ID
from app.i18n import translate
from app.models import DocumentVersion, Role
from app.permissions import Action
from app.queries import access as access_queries
from app.queries import audit as audit_queries
from app.queries import versions as version_queries
from app.queries.access import DocumentAccess, GroupAccess
from app.queries.versions import DocumentSnapshot
from app.services import reviews, versions
from app.templating import render
from drafting.compare import Change, ParagraphComparison, ParagraphState, compare, summary

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


# --- Shared helpers ----------------------------------------------------------------------


def parse_version(value: str | None, field: str) -> int | None:
    """A version number, or None for the current text ("current" or nothing)."""
    if value is None:
        return None
    value = value.strip()
    if value in ("", "current"):
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise ValidationFailed(
            "{field} must be a version number or 'current'.",
            details={"field": field},
            field=field,
        )
    return int(value)


def _states(snapshot: DocumentSnapshot) -> list[ParagraphState]:
    return [ParagraphState(id=p.id, kind=p.kind, de=p.de, fr=p.fr) for p in snapshot.paragraphs]


def compare_snapshots(old: DocumentSnapshot, new: DocumentSnapshot) -> list[ParagraphComparison]:
    return compare(_states(old), _states(new))


def _comparison(
    session: Session, access: DocumentAccess, from_number: int | None, to_number: int | None
) -> tuple[DocumentSnapshot, DocumentSnapshot, list[ParagraphComparison]]:
    assert access.document.id is not None
    old = version_queries.snapshot(session, access.document.id, from_number)
    new = version_queries.snapshot(session, access.document.id, to_number)
    return old, new, compare_snapshots(old, new)


# --- JSON API ---------------------------------------------------------------------------


class NewVersion(BaseModel):
    label: str = Field(max_length=2000)


class VersionParagraphOut(BaseModel):
    paragraph_id: int
    position: int
    kind: str
    de_revision_id: int
    fr_revision_id: int
    alignment: str


class VersionOut(BaseModel):
    number: int
    label: str
    created_at: datetime
    is_review: bool
    override_reason: str
    paragraphs: list[VersionParagraphOut]

    @classmethod
    def of(cls, version: DocumentVersion, rows: list[Any]) -> VersionOut:
        return cls(
            number=version.number,
            label=version.label,
            created_at=version.created_at,
            is_review=version.is_review,
            override_reason=version.override_reason,
            paragraphs=[
                VersionParagraphOut(
                    paragraph_id=row.paragraph_id,
                    position=row.position,
                    kind=row.kind,
                    de_revision_id=row.de_revision_id,
                    fr_revision_id=row.fr_revision_id,
                    alignment=row.alignment,
                )
                for row in rows
            ],
        )


class TextOut(BaseModel):
    revision_id: int | None
    text: str


class EvidenceOut(BaseModel):
    initiative_key: str
    name_de: str
    name_fr: str
    country: str
    note: str


class SnapshotParagraphOut(BaseModel):
    paragraph_id: int
    number: int
    position: int
    kind: str
    texts: dict[str, TextOut]
    alignment: str
    evidence: list[EvidenceOut]


class ApprovalOut(BaseModel):
    government: str
    username: str
    display_name: str
    version: int
    approved_at: datetime


class VersionDetailOut(BaseModel):
    number: int
    label: str
    created_at: datetime
    is_review: bool
    override_reason: str
    adopted: bool
    approvals: list[ApprovalOut]
    paragraphs: list[SnapshotParagraphOut]

    @classmethod
    def of(cls, snapshot: DocumentSnapshot) -> VersionDetailOut:
        assert snapshot.version_number is not None and snapshot.version_created_at is not None
        return cls(
            number=snapshot.version_number,
            label=snapshot.version_label or "",
            created_at=snapshot.version_created_at,
            is_review=snapshot.is_review,
            override_reason=snapshot.override_reason,
            adopted=snapshot.adopted,
            approvals=[
                ApprovalOut(
                    government=a.government,
                    username=a.username,
                    display_name=a.display_name,
                    version=a.version_number,
                    approved_at=a.approved_at,
                )
                for a in snapshot.approvals
            ],
            paragraphs=[
                SnapshotParagraphOut(
                    paragraph_id=p.id,
                    number=p.number,
                    position=p.position,
                    kind=p.kind,
                    texts={
                        "de": TextOut(revision_id=p.de_revision_id, text=p.de),
                        "fr": TextOut(revision_id=p.fr_revision_id, text=p.fr),
                    },
                    alignment=p.alignment,
                    evidence=[
                        EvidenceOut(
                            initiative_key=e.initiative_key,
                            name_de=e.name_de,
                            name_fr=e.name_fr,
                            country=e.country,
                            note=e.note,
                        )
                        for e in p.evidence
                    ],
                )
                for p in snapshot.paragraphs
            ],
        )


class ComparisonOut(BaseModel):
    paragraph_id: int
    change: Literal["added", "removed", "changed", "moved", "same"]
    from_number: int | None
    to_number: int | None
    kind_changed: bool
    diffs: dict[str, list[tuple[int, str]]]

    @classmethod
    def of(cls, entry: ParagraphComparison) -> ComparisonOut:
        return cls(
            paragraph_id=entry.paragraph_id,
            change=entry.change.value,
            from_number=entry.old_number,
            to_number=entry.new_number,
            kind_changed=entry.kind_changed,
            diffs={lang: [(op, text) for op, text in ops] for lang, ops in entry.diffs.items()},
        )


class NewReview(BaseModel):
    version: int = Field(ge=1, le=MAX_ID)
    decision: str = Field(max_length=40)
    comment: str = Field(default="", max_length=20_000)


class ReviewOut(BaseModel):
    id: int
    version: int
    government: str
    username: str
    display_name: str
    decision: str
    comment: str
    created_at: datetime


class ReviewResultOut(ReviewOut):
    document_phase: str
    adopted: bool


class AuditEntryOut(BaseModel):
    id: int
    created_at: datetime
    actor: str | None
    action: str
    target: str
    details: dict[str, Any]


def _review_out(view: version_queries.ReviewView) -> ReviewOut:
    return ReviewOut(
        id=view.id,
        version=view.version_number,
        government=view.government,
        username=view.username,
        display_name=view.display_name,
        decision=view.decision,
        comment=view.comment,
        created_at=view.created_at,
    )


@api.post("/documents/{document_id}/versions", status_code=201, tags=["versions"])
def create_version(
    document_id: Id, body: NewVersion, user: ApiUser, session: SessionDep
) -> VersionOut:
    access = access_queries.document_for(session, user, document_id)
    version = versions.create_version(session, access, body.label)
    assert version.id is not None
    return VersionOut.of(version, version_queries.version_paragraph_rows(session, version.id))


@api.get("/documents/{document_id}/versions", tags=["versions"])
def list_versions(document_id: Id, user: ApiUser, session: SessionDep) -> list[VersionOut]:
    access = access_queries.document_for(session, user, document_id)
    found = version_queries.versions_of(session, document_id)
    rows = version_queries.version_paragraph_rows_of_document(session, document_id)
    del access
    return [VersionOut.of(version, rows.get(version.id or 0, [])) for version in found]


@api.get("/documents/{document_id}/versions/{number}", tags=["versions"])
def get_version(
    document_id: Id, number: Id, user: ApiUser, session: SessionDep
) -> VersionDetailOut:
    access_queries.document_for(session, user, document_id)
    return VersionDetailOut.of(version_queries.snapshot(session, document_id, number))


@api.get("/documents/{document_id}/compare", tags=["versions"])
def compare_versions(
    document_id: Id,
    user: ApiUser,
    session: SessionDep,
    from_: Annotated[str | None, Query(alias="from", max_length=30)] = None,
    to: Annotated[str | None, Query(max_length=30)] = None,
) -> list[ComparisonOut]:
    access = access_queries.document_for(session, user, document_id)
    if from_ is None:
        raise ValidationFailed(
            "Say which version to compare from: ?from=<number>.", details={"field": "from"}
        )
    _, _, entries = _comparison(
        session, access, parse_version(from_, "from"), parse_version(to, "to")
    )
    return [ComparisonOut.of(entry) for entry in entries]


@api.post("/documents/{document_id}/reviews", status_code=201, tags=["reviews"])
def submit_review(
    document_id: Id, body: NewReview, user: ApiUser, session: SessionDep
) -> ReviewResultOut:
    access = access_queries.document_for(session, user, document_id)
    outcome = reviews.submit(session, access, body.version, body.decision, body.comment)
    review = outcome.review
    assert review.id is not None
    return ReviewResultOut(
        id=review.id,
        version=outcome.version_number,
        government=review.government,
        username=user.username,
        display_name=user.display_name,
        decision=review.decision,
        comment=review.comment,
        created_at=review.created_at,
        document_phase=access.document.phase,
        adopted=outcome.adopted,
    )


@api.get("/documents/{document_id}/reviews", tags=["reviews"])
def list_reviews(document_id: Id, user: ApiUser, session: SessionDep) -> list[ReviewOut]:
    access_queries.document_for(session, user, document_id)
    return [_review_out(view) for view in version_queries.reviews_of(session, document_id)]


def _audit_access(session: Session, user: Any, slug: str) -> GroupAccess:
    access = access_queries.group_for(session, user, slug)
    access.require(Action.VIEW_AUDIT)
    return access


def _audit_filter(
    action: str | None, actor: str | None, since: date | None, until: date | None
) -> audit_queries.AuditFilter:
    return audit_queries.AuditFilter(
        action=validation.text_field("action", action or "").strip(),
        actor=validation.text_field("actor", actor or "").strip().lower(),
        since=since,
        until=until,
    )


AuditText = Annotated[str | None, Query(max_length=64)]


@api.get("/groups/{slug}/audit", tags=["groups"])
def group_audit(
    slug: str,
    user: ApiUser,
    session: SessionDep,
    action: AuditText = None,
    actor: AuditText = None,
    since: date | None = None,
    until: date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AuditEntryOut]:
    access = _audit_access(session, user, slug)
    assert access.group.id is not None
    found = audit_queries.entries(
        session,
        access.group.id,
        _audit_filter(action, actor, since, until),
        limit=limit,
        offset=offset,
    )
    return [
        AuditEntryOut(
            id=entry.id,
            created_at=entry.created_at,
            actor=entry.actor,
            action=entry.action,
            target=entry.target,
            details=entry.details,
        )
        for entry in found
    ]


# --- Pages ----------------------------------------------------------------------------


def _page_context(access: DocumentAccess, **extra: Any) -> dict[str, Any]:
    return {
        "document": access.document,
        "group": access.group,
        "access": access,
        "Action": Action,
        "error": None,
    } | extra


def _versions_page(
    request: Request,
    session: Session,
    access: DocumentAccess,
    *,
    error: str | None = None,
    label: str = "",
    status_code: int = 200,
) -> Response:
    assert access.document.id is not None
    return render(
        request,
        "versions.html",
        _page_context(
            access,
            versions=version_queries.versions_of(session, access.document.id),
            reviews=version_queries.reviews_of(session, access.document.id),
            error=error,
            label=label,
        ),
        status_code=status_code,
    )


@pages.get("/documents/{document_id}/versions", name="versions_page")
def versions_page(
    request: Request, document_id: Id, user: PageUser, session: SessionDep
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    return _versions_page(request, session, access)


@pages.post("/documents/{document_id}/versions", name="create_version_form")
def create_version_form(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    label: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    try:
        version = versions.create_version(session, access, label)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        return _versions_page(
            request,
            session,
            access,
            error=translate(refusal.template, refusal.params),
            label=label,
            status_code=refusal.status,
        )
    return RedirectResponse(f"/documents/{document_id}/versions/{version.number}", 303)


@pages.get("/documents/{document_id}/versions/{number}", name="version_page")
def version_page(
    request: Request, document_id: Id, number: Id, user: PageUser, session: SessionDep
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    snapshot = version_queries.snapshot(session, document_id, number)
    return render(
        request,
        "version.html",
        _page_context(access, snapshot=snapshot, has_previous=number > 1),
    )


@pages.get("/documents/{document_id}/compare", name="compare_page")
def compare_page(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    from_: Annotated[str | None, Query(alias="from", max_length=30)] = None,
    to: Annotated[str | None, Query(max_length=30)] = None,
    changes: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    found = version_queries.versions_of(session, document_id)
    from_number = parse_version(from_, "from")
    to_number = parse_version(to, "to")
    if from_ is None and found:
        # Default: what changed since the latest version.
        from_number = found[0].number
    old = new = None
    entries: list[ParagraphComparison] = []
    if found or from_number is not None:
        old, new, entries = _comparison(session, access, from_number, to_number)
    only_changes = changes == "only"
    shown = [entry for entry in entries if entry.is_change] if only_changes else entries
    return render(
        request,
        "compare.html",
        _page_context(
            access,
            versions=found,
            old=old,
            new=new,
            entries=shown,
            counts=summary(entries),
            only_changes=only_changes,
            from_number=from_number,
            to_number=to_number,
            Change=Change,
        ),
        block="comparison",
    )


def _review_context(session: Session, access: DocumentAccess) -> dict[str, Any]:
    """The review version, what this person saw last, and the decisions so far."""
    document_id = access.document.id
    assert document_id is not None and access.user.id is not None
    review_version = version_queries.latest_review_version(session, document_id)
    context: dict[str, Any] = {
        "review_version": review_version,
        "snapshot": None,
        "base": None,
        "entries": [],
        "reviews": version_queries.reviews_of(session, document_id),
        "is_liaison": access.role is Role.LIAISON,
        "government": access.membership.government if access.membership else None,
        "can_review": False,
    }
    if review_version is None:
        return context
    snapshot = version_queries.snapshot(session, document_id, review_version.number)
    if access.role is Role.LIAISON:
        base = version_queries.last_reviewed_version(
            session, document_id, access.user.id, review_version.number
        )
    else:
        base = version_queries.previous_review_version(session, document_id, review_version.number)
    base_snapshot = (
        version_queries.snapshot(session, document_id, base.number) if base is not None else None
    )
    context |= {
        "snapshot": snapshot,
        "base": base,
        "entries": compare_snapshots(base_snapshot or snapshot, snapshot),
        "can_review": access.can_in_phase(Action.REVIEW)
        and access.membership is not None
        and access.membership.government in ("DE", "FR"),
    }
    return context


def _review_page(
    request: Request,
    session: Session,
    access: DocumentAccess,
    *,
    error: str | None = None,
    notice: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "review.html",
        _page_context(
            access,
            error=error,
            notice=notice,
            form=form or {"decision": "", "comment": ""},
            Change=Change,
            **_review_context(session, access),
        ),
        status_code=status_code,
    )


@pages.get("/documents/{document_id}/review", name="review_page")
def review_page(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    notice = None
    if done == "approve":
        notice = "approve"
    elif done == "request_changes":
        notice = "request_changes"
    return _review_page(request, session, access, notice=notice)


@pages.post("/documents/{document_id}/reviews", name="review_form")
def review_form(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    version: Annotated[int, Form(ge=1, le=MAX_ID)],
    decision: Annotated[str, Form(max_length=40)] = "",
    comment: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    try:
        reviews.submit(session, access, version, decision, comment)
    except AppError as refusal:
        if refusal.status in (403, 404):
            raise
        session.rollback()
        return _review_page(
            request,
            session,
            access,
            error=translate(refusal.template, refusal.params),
            form={"decision": decision, "comment": comment},
            status_code=refusal.status,
        )
    return RedirectResponse(f"/documents/{document_id}/review?done={decision}", 303)


def _page_filter(
    action: str | None, actor: str | None, since: str | None, until: str | None
) -> audit_queries.AuditFilter:
    def day(value: str | None, field: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed(
                "Give the date as YYYY-MM-DD.", details={"field": field}
            ) from None

    return _audit_filter(action, actor, day(since, "since"), day(until, "until"))


@pages.get("/groups/{slug}/audit", name="audit_page")
def audit_page(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    action: AuditText = None,
    actor: AuditText = None,
    since: AuditText = None,
    until: AuditText = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    access = _audit_access(session, user, slug)
    assert access.group.id is not None
    error = None
    try:
        filters = _page_filter(action, actor, since, until)
    except ValidationFailed as refusal:
        error = translate(refusal.template, refusal.params)
        filters = audit_queries.AuditFilter()
    size = audit_queries.PAGE_SIZE
    found = audit_queries.entries(
        session, access.group.id, filters, limit=size + 1, offset=(page - 1) * size
    )
    query = {
        "action": filters.action,
        "actor": filters.actor,
        "since": filters.since.isoformat() if filters.since else "",
        "until": filters.until.isoformat() if filters.until else "",
    }
    return render(
        request,
        "audit.html",
        {
            "group": access.group,
            "access": access,
            "entries": found[:size],
            "has_more": len(found) > size,
            "page": page,
            "actions": audit_queries.actions_of(session, access.group.id),
            "filters": query,
            "error": error,
        },
        status_code=422 if error else 200,
    )


# Cells starting like a formula are run by spreadsheets; a leading apostrophe keeps them text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def audit_csv_text(found: list[audit_queries.AuditView]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["time", "actor", "action", "target", "details"])
    for entry in found:
        writer.writerow(
            [
                csv_cell(entry.created_at.isoformat()),
                csv_cell(entry.actor or ""),
                csv_cell(entry.action),
                csv_cell(entry.target),
                csv_cell(entry.details_text()),
            ]
        )
    return buffer.getvalue()


@pages.get("/groups/{slug}/audit.csv", name="audit_csv")
def audit_csv(
    slug: str,
    user: PageUser,
    session: SessionDep,
    action: AuditText = None,
    actor: AuditText = None,
    since: AuditText = None,
    until: AuditText = None,
) -> Response:
    access = _audit_access(session, user, slug)
    assert access.group.id is not None
    found = audit_queries.entries(
        session,
        access.group.id,
        _page_filter(action, actor, since, until),
        limit=audit_queries.MAX_ROWS,
    )
    return Response(
        content="\ufeff" + audit_csv_text(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{access.group.slug}.csv"'},
    )
