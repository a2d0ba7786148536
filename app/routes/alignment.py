"""Two languages as equal originals: alignment, glossary, translation memory and view,
machine translation. HTML pages and JSON API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.config import Settings
from app.deps import ApiUser, Id, PageUser, SessionDep, SettingsDep, verify_csrf
from app.errors import AppError, NotFound
from app.fields import MAX_ID
from app.i18n import translate
from app.models import GlossaryTerm, User
from app.pages.document import Back, back_to, paragraph_response
from app.permissions import Action
from app.queries import access as access_queries
from app.queries import alignment as alignment_queries
from app.queries import documents as document_queries
from app.queries import glossary as glossary_queries
from app.queries.access import GroupAccess
from app.services import alignment, glossary, translation
from app.templating import is_htmx, render
from drafting.glossary import TermWarning
from drafting.text import Lang

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

FormId = Annotated[int, Form(ge=1, le=MAX_ID)]


# --- JSON models ------------------------------------------------------------------------


class ParagraphStatusOut(BaseModel):
    paragraph_id: int
    status: str


class ChangesOut(BaseModel):
    de: list[tuple[int, str]]
    fr: list[tuple[int, str]]


class AlignmentOut(BaseModel):
    status: str
    de_revision_id: int | None = Field(description="The confirmed German revision, if any.")
    fr_revision_id: int | None = Field(description="The confirmed French revision, if any.")
    changes_since: ChangesOut = Field(
        description="Word diff per language from the confirmed revision to the current one."
    )
    confirmed_by: str | None = None
    unreviewed_machine_translation: list[str] = Field(default_factory=list)


class ConfirmAlignment(BaseModel):
    de_revision_id: int = Field(ge=1, le=MAX_ID)
    fr_revision_id: int = Field(ge=1, le=MAX_ID)


class WarningOut(BaseModel):
    term_de: str
    term_fr: str
    missing_in: Literal["de", "fr"] | None
    false_friend: bool
    note: str

    @classmethod
    def of(cls, warning: TermWarning) -> WarningOut:
        return cls(
            term_de=warning.term_de,
            term_fr=warning.term_fr,
            missing_in=warning.missing_in.value if warning.missing_in else None,
            false_friend=warning.false_friend,
            note=warning.note,
        )


class ConfirmedOut(BaseModel):
    status: Literal["in_sync"] = "in_sync"
    de_revision_id: int
    fr_revision_id: int
    warnings: list[WarningOut]


class GlossaryCheckOut(BaseModel):
    warnings: list[WarningOut]


class TermIn(BaseModel):
    term_de: str = Field(max_length=2000)
    term_fr: str = Field(max_length=2000)
    note: str = Field(default="", max_length=20_000)
    false_friend: bool = False


class TermOut(BaseModel):
    id: int
    term_de: str
    term_fr: str
    note: str
    false_friend: bool

    @classmethod
    def of(cls, term: GlossaryTerm) -> TermOut:
        assert term.id is not None
        return cls(
            id=term.id,
            term_de=term.term_de,
            term_fr=term.term_fr,
            note=term.note,
            false_friend=term.false_friend,
        )


class SuggestionOut(BaseModel):
    text: str
    score: float
    paragraph_id: int
    source: str


class MachineTranslationOut(BaseModel):
    revision_id: int
    lang: str
    text: str
    source: str


# --- JSON API: alignment ----------------------------------------------------------------


@api.get("/documents/{document_id}/alignment", tags=["alignment"])
def document_alignment(
    document_id: Id, user: ApiUser, session: SessionDep
) -> list[ParagraphStatusOut]:
    access = access_queries.document_for(session, user, document_id)
    assert access.document.id is not None
    return [
        ParagraphStatusOut(paragraph_id=view.paragraph_id, status=view.status.value)
        for view in alignment_queries.statuses(session, access.document.id)
    ]


@api.get("/paragraphs/{paragraph_id}/alignment", tags=["alignment"])
def paragraph_alignment(paragraph_id: Id, user: ApiUser, session: SessionDep) -> AlignmentOut:
    _, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    view = alignment_queries.for_paragraph(
        session, document_queries.paragraph_view(session, paragraph)
    )
    return AlignmentOut(
        status=view.status.value,
        de_revision_id=view.confirmed.de_revision_id if view.confirmed else None,
        fr_revision_id=view.confirmed.fr_revision_id if view.confirmed else None,
        changes_since=ChangesOut(
            de=list(view.changes.get(Lang.DE, [])), fr=list(view.changes.get(Lang.FR, []))
        ),
        confirmed_by=view.confirmed.confirmed_by if view.confirmed else None,
        unreviewed_machine_translation=sorted(lang.value for lang in view.unreviewed),
    )


@api.post(
    "/paragraphs/{paragraph_id}/alignment",
    tags=["alignment"],
    responses={409: {"description": "conflict: the revisions are no longer the current ones"}},
)
def confirm_alignment(
    paragraph_id: Id, body: ConfirmAlignment, user: ApiUser, session: SessionDep
) -> ConfirmedOut:
    result = alignment.confirm(
        session, user, paragraph_id, body.de_revision_id, body.fr_revision_id
    )
    return ConfirmedOut(
        de_revision_id=result.alignment.de_revision_id,
        fr_revision_id=result.alignment.fr_revision_id,
        warnings=[WarningOut.of(w) for w in result.warnings],
    )


@api.get("/paragraphs/{paragraph_id}/glossary-check", tags=["glossary"])
def glossary_check(paragraph_id: Id, user: ApiUser, session: SessionDep) -> GlossaryCheckOut:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    view = document_queries.paragraph_view(session, paragraph)
    assert access.group.id is not None
    warnings = glossary_queries.check(session, access.group.id, view.de.text, view.fr.text)
    return GlossaryCheckOut(warnings=[WarningOut.of(w) for w in warnings])


@api.get("/paragraphs/{paragraph_id}/suggestions", tags=["alignment"])
def suggestions(
    paragraph_id: Id,
    user: ApiUser,
    session: SessionDep,
    to: Lang,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[SuggestionOut]:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    assert access.group.id is not None
    view = document_queries.paragraph_view(session, paragraph)
    return [
        SuggestionOut(text=s.text, score=s.score, paragraph_id=s.paragraph_id, source=s.source)
        for s in alignment_queries.suggestions(session, access.group.id, view, to, limit=limit)
    ]


def _translator(settings: Settings) -> translation.Translator:
    translator = translation.provider_for(settings)
    if translator is None:
        raise NotFound("Machine translation is not configured on this site.")
    return translator


@api.post("/paragraphs/{paragraph_id}/translate", tags=["alignment"])
def machine_translate(
    paragraph_id: Id, to: Lang, user: ApiUser, session: SessionDep, settings: SettingsDep
) -> MachineTranslationOut:
    """Machine-translate the other language into ``to``: a revision with source ``machine``."""
    translator = _translator(settings)
    revision = alignment.machine_translate(session, user, paragraph_id, to, translator)
    assert revision.id is not None
    return MachineTranslationOut(
        revision_id=revision.id, lang=revision.lang, text=revision.text, source=revision.source
    )


# --- JSON API: glossary -----------------------------------------------------------------


@api.get("/groups/{slug}/glossary", tags=["glossary"])
def list_glossary(slug: str, user: ApiUser, session: SessionDep) -> list[TermOut]:
    access = access_queries.group_for(session, user, slug)
    assert access.group.id is not None
    return [TermOut.of(term) for term in glossary_queries.terms_of(session, access.group.id)]


@api.post("/groups/{slug}/glossary", status_code=201, tags=["glossary"])
def add_glossary_term(slug: str, body: TermIn, user: ApiUser, session: SessionDep) -> TermOut:
    access = access_queries.group_for(session, user, slug)
    term = glossary.add_term(
        session,
        access,
        term_de=body.term_de,
        term_fr=body.term_fr,
        note=body.note,
        false_friend=body.false_friend,
    )
    return TermOut.of(term)


@api.patch("/groups/{slug}/glossary/{term_id}", tags=["glossary"])
def edit_glossary_term(
    slug: str, term_id: Id, body: TermIn, user: ApiUser, session: SessionDep
) -> TermOut:
    access = access_queries.group_for(session, user, slug)
    term = glossary.update_term(
        session,
        access,
        term_id,
        term_de=body.term_de,
        term_fr=body.term_fr,
        note=body.note,
        false_friend=body.false_friend,
    )
    return TermOut.of(term)


@api.delete("/groups/{slug}/glossary/{term_id}", status_code=204, tags=["glossary"])
def delete_glossary_term(slug: str, term_id: Id, user: ApiUser, session: SessionDep) -> Response:
    access = access_queries.group_for(session, user, slug)
    glossary.delete_term(session, access, term_id)
    return Response(status_code=204)


# --- Pages ------------------------------------------------------------------------------


def _paragraph_block(
    request: Request, session: Session, user: User, paragraph_id: int, **extra: Any
) -> Response:
    status = 409 if extra.get("alignment_notice", {}).get("error") else 200
    return paragraph_response(request, session, user, paragraph_id, status_code=status, **extra)


@pages.post("/paragraphs/{paragraph_id}/alignment", name="confirm_alignment_form")
def confirm_alignment_form(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    de_revision_id: FormId,
    fr_revision_id: FormId,
    back: Annotated[Back, Form()] = "document",
    to: Annotated[Lang, Form()] = Lang.FR,
) -> Response:
    try:
        result = alignment.confirm(session, user, paragraph_id, de_revision_id, fr_revision_id)
    except AppError as refusal:
        if refusal.status in (403, 404) or not is_htmx(request):
            raise
        session.rollback()
        message = translate(refusal.template, refusal.params)
        return _paragraph_block(
            request,
            session,
            user,
            paragraph_id,
            alignment_notice={"paragraph_id": paragraph_id, "error": message, "warnings": []},
        )
    if is_htmx(request) and back == "document":
        notice = {"paragraph_id": paragraph_id, "error": None, "warnings": result.warnings}
        return _paragraph_block(request, session, user, paragraph_id, alignment_notice=notice)
    return RedirectResponse(back_to(session, user, paragraph_id, back, to), status_code=303)


@pages.post("/paragraphs/{paragraph_id}/machine-translation", name="machine_translate_form")
def machine_translate_form(
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    to: Annotated[Lang, Form()],
    back: Annotated[Back, Form()] = "document",
) -> Response:
    translator = _translator(settings)
    alignment.machine_translate(session, user, paragraph_id, to, translator)
    return RedirectResponse(back_to(session, user, paragraph_id, back, to), status_code=303)


@pages.get("/documents/{document_id}/translate", name="translate_page")
def translate_page(
    request: Request,
    document_id: Id,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    to: Lang = Lang.FR,
) -> Response:
    access = access_queries.document_for(session, user, document_id)
    assert access.group.id is not None
    items = alignment_queries.translation_queue(session, access, to)
    return render(
        request,
        "translate.html",
        {
            "document": access.document,
            "group": access.group,
            "access": access,
            "Action": Action,
            "to": to,
            "source": to.other,
            "items": items,
            "alignment": {item.paragraph.id: item.view for item in items},
            "terms": glossary_queries.terms_of(session, access.group.id),
            "machine_translation": translation.provider_for(settings) is not None,
        },
    )


def _glossary_page(
    request: Request,
    session: Session,
    access: GroupAccess,
    *,
    error: str | None = None,
    draft: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    assert access.group.id is not None
    return render(
        request,
        "glossary.html",
        {
            "group": access.group,
            "access": access,
            "Action": Action,
            "terms": glossary_queries.terms_of(session, access.group.id),
            "error": error,
            "draft": draft,
        },
        status_code=status,
    )


@pages.get("/groups/{slug}/glossary", name="glossary_page")
def glossary_page(request: Request, slug: str, user: PageUser, session: SessionDep) -> Response:
    return _glossary_page(request, session, access_queries.group_for(session, user, slug))


TermField = Annotated[str, Form(max_length=2000)]
NoteField = Annotated[str, Form(max_length=20_000)]


def _refused(
    request: Request,
    session: Session,
    access: GroupAccess,
    refusal: AppError,
    draft: dict[str, Any],
) -> Response:
    if refusal.status in (403, 404):
        raise refusal
    session.rollback()
    return _glossary_page(
        request,
        session,
        access,
        error=translate(refusal.template, refusal.params),
        draft=draft,
        status=refusal.status,
    )


@pages.post("/groups/{slug}/glossary", name="add_glossary_term_form")
def add_glossary_term_form(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    term_de: TermField,
    term_fr: TermField,
    note: NoteField = "",
    false_friend: Annotated[bool, Form()] = False,
) -> Response:
    access = access_queries.group_for(session, user, slug)
    fields: dict[str, Any] = {
        "term_de": term_de,
        "term_fr": term_fr,
        "note": note,
        "false_friend": false_friend,
    }
    try:
        glossary.add_term(
            session, access, term_de=term_de, term_fr=term_fr, note=note, false_friend=false_friend
        )
    except AppError as refusal:
        return _refused(request, session, access, refusal, fields | {"id": None})
    return RedirectResponse(f"/groups/{slug}/glossary", status_code=303)


@pages.post("/groups/{slug}/glossary/{term_id}", name="edit_glossary_term_form")
def edit_glossary_term_form(
    request: Request,
    slug: str,
    term_id: Id,
    user: PageUser,
    session: SessionDep,
    term_de: TermField,
    term_fr: TermField,
    note: NoteField = "",
    false_friend: Annotated[bool, Form()] = False,
) -> Response:
    access = access_queries.group_for(session, user, slug)
    fields: dict[str, Any] = {
        "term_de": term_de,
        "term_fr": term_fr,
        "note": note,
        "false_friend": false_friend,
    }
    try:
        glossary.update_term(
            session,
            access,
            term_id,
            term_de=term_de,
            term_fr=term_fr,
            note=note,
            false_friend=false_friend,
        )
    except AppError as refusal:
        return _refused(request, session, access, refusal, fields | {"id": term_id})
    return RedirectResponse(f"/groups/{slug}/glossary#term-{term_id}", status_code=303)


@pages.post("/groups/{slug}/glossary/{term_id}/delete", name="delete_glossary_term_form")
def delete_glossary_term_form(
    slug: str, term_id: Id, user: PageUser, session: SessionDep
) -> Response:
    access = access_queries.group_for(session, user, slug)
    glossary.delete_term(session, access, term_id)
    return RedirectResponse(f"/groups/{slug}/glossary", status_code=303)
