"""Two languages as equal originals: alignment, the translation page, translation memory
and machine translation. HTML pages and JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import (
    ApiDocument,
    ApiParagraph,
    ApiUser,
    Id,
    PageDocument,
    PageParagraph,
    SessionDep,
    SettingsDep,
    verify_csrf,
)
from app.errors import NotFound
from app.fields import PositiveId
from app.pages.document import Back, back_to_paragraph, document_frame, paragraph_block
from app.pages.forms import Refusal, submit
from app.queries import alignment as alignment_queries
from app.queries import glossary as glossary_queries
from app.queries.access import DocumentAccess, ParagraphAccess
from app.schemas.alignment import (
    AlignmentConfirmedOut,
    AlignmentOut,
    ConfirmAlignment,
    MachineTranslationOut,
    MemorySuggestionOut,
    ParagraphStatusOut,
)
from app.services import alignment, translation
from app.services.alignment import Confirmation
from app.templating import is_htmx, render
from drafting.text import Lang

api = APIRouter(tags=["alignment"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])


def _machine_translator(settings: SettingsDep) -> translation.Translator:
    translator = translation.provider_for(settings)
    if translator is None:
        raise NotFound("Machine translation is not configured on this site.")
    return translator


# Declared after the caller's access, so that a visitor without a session still gets 401.
MachineTranslator = Annotated[translation.Translator, Depends(_machine_translator)]


# --- JSON API ---------------------------------------------------------------------------


@api.get("/documents/{document_id}/alignment")
def document_alignment(doc: ApiDocument, session: SessionDep) -> list[ParagraphStatusOut]:
    assert doc.document.id is not None
    return [
        ParagraphStatusOut.model_validate(view)
        for view in alignment_queries.statuses(session, doc.document.id)
    ]


@api.get("/paragraphs/{paragraph_id}/alignment")
def paragraph_alignment(para: ApiParagraph, session: SessionDep) -> AlignmentOut:
    return AlignmentOut.of(alignment_queries.for_paragraph(session, para.paragraph))


@api.post(
    "/paragraphs/{paragraph_id}/alignment",
    responses={409: {"description": "conflict: the revisions are no longer the current ones"}},
)
def confirm_alignment(
    paragraph_id: Id, body: ConfirmAlignment, user: ApiUser, session: SessionDep
) -> AlignmentConfirmedOut:
    # The service loads the paragraph itself: it locks the row before comparing revisions.
    result = alignment.confirm(
        session, user, paragraph_id, body.de_revision_id, body.fr_revision_id
    )
    return AlignmentConfirmedOut.of(result.alignment, result.warnings)


@api.get("/paragraphs/{paragraph_id}/suggestions")
def suggestions(
    para: ApiParagraph,
    session: SessionDep,
    to: Lang,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[MemorySuggestionOut]:
    return [
        MemorySuggestionOut.model_validate(suggestion)
        for suggestion in alignment_queries.suggestions(session, para, to, limit=limit)
    ]


@api.post("/paragraphs/{paragraph_id}/translate")
def machine_translate(
    paragraph_id: Id,
    to: Lang,
    user: ApiUser,
    translator: MachineTranslator,
    session: SessionDep,
) -> MachineTranslationOut:
    """Machine-translate the other language into ``to``: a revision with source ``machine``."""
    revision = alignment.machine_translate(session, user, paragraph_id, to, translator)
    return MachineTranslationOut.of(revision)


# --- Pages ------------------------------------------------------------------------------


def _translate_page(
    request: Request,
    session: Session,
    doc: DocumentAccess,
    to: Lang,
    *,
    error: Refusal | None = None,
) -> Response:
    assert doc.group.id is not None
    items = alignment_queries.translation_queue(session, doc, to)
    settings = request.app.state.settings
    return render(
        request,
        "translate.html",
        document_frame(doc)
        | {
            "to": to,
            "source": to.other,
            "items": items,
            "alignment": {item.paragraph.id: item.view for item in items},
            "terms": glossary_queries.terms_of(session, doc.group.id),
            "machine_translation": translation.provider_for(settings) is not None,
            "error": error,
        },
    )


def _paragraph_refused(
    request: Request,
    session: Session,
    para: ParagraphAccess,
    paragraph_id: int,
    error: Refusal,
    back: Back,
    to: Lang,
) -> Response:
    """A refused paragraph form, shown on the page it was sent from."""
    if back == "translate":
        return _translate_page(request, session, para, to, error=error)
    notice = {"paragraph_id": paragraph_id, "error": error, "warnings": []}
    return paragraph_block(request, session, para, paragraph_id, alignment_notice=notice)


@pages.get("/documents/{document_id}/translate", name="translate_page")
def translate_page(
    request: Request, doc: PageDocument, session: SessionDep, to: Lang = Lang.FR
) -> Response:
    return _translate_page(request, session, doc, to)


@pages.post("/paragraphs/{paragraph_id}/alignment", name="confirm_alignment_form")
def confirm_alignment_form(
    request: Request,
    paragraph_id: Id,
    para: PageParagraph,
    session: SessionDep,
    de_revision_id: Annotated[PositiveId, Form()],
    fr_revision_id: Annotated[PositiveId, Form()],
    back: Annotated[Back, Form()] = "document",
    to: Annotated[Lang, Form()] = Lang.FR,
) -> Response:
    def confirmed(result: Confirmation) -> Response:
        if is_htmx(request) and back == "document":
            notice = {"paragraph_id": paragraph_id, "error": None, "warnings": result.warnings}
            return paragraph_block(request, session, para, paragraph_id, alignment_notice=notice)
        return back_to_paragraph(request, para, paragraph_id, back, to)

    return submit(
        request,
        lambda: alignment.confirm(session, para.user, paragraph_id, de_revision_id, fr_revision_id),
        then=confirmed,
        show=lambda error: _paragraph_refused(
            request, session, para, paragraph_id, error, back, to
        ),
    )


@pages.post("/paragraphs/{paragraph_id}/machine-translation", name="machine_translate_form")
def machine_translate_form(
    request: Request,
    paragraph_id: Id,
    para: PageParagraph,
    translator: MachineTranslator,
    session: SessionDep,
    to: Annotated[Lang, Form()],
    back: Annotated[Back, Form()] = "document",
) -> Response:
    return submit(
        request,
        lambda: alignment.machine_translate(session, para.user, paragraph_id, to, translator),
        then=lambda _revision: back_to_paragraph(request, para, paragraph_id, back, to),
        show=lambda error: _paragraph_refused(
            request, session, para, paragraph_id, error, back, to
        ),
    )
