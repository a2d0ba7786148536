"""A paragraph: saving texts, history, diffs, restore, order and kind."""

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
    PageParagraph,
    PageUser,
    SessionDep,
    verify_csrf,
)
from app.fields import ParagraphPosition, ParagraphText, PositiveId
from app.pages.document import (
    Back,
    back_to_paragraph,
    document_page,
    paragraph_answer,
    paragraph_block,
)
from app.pages.forms import Refusal, see_other, submit
from app.permissions import Action
from app.queries import conflicts as conflict_queries
from app.queries import documents as document_queries
from app.queries import revisions as revision_queries
from app.queries.access import ParagraphAccess
from app.queries.conflicts import OwnConflict
from app.schemas.documents import ParagraphChange, ParagraphOut
from app.schemas.paragraphs import (
    ConflictDraftOut,
    DiffOut,
    RestoreText,
    RevisionOut,
    SavedText,
    SaveText,
)
from app.services import documents, editing
from app.services.editing import SaveResult
from app.templating import is_htmx, render
from drafting.text import Lang

api = APIRouter(tags=["paragraphs"])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

FormId = Annotated[PositiveId, Form()]


def _page_conflict(conflict_id: Id, user: PageUser, session: SessionDep) -> OwnConflict:
    return conflict_queries.conflict_for(session, user, conflict_id)


PageConflict = Annotated[OwnConflict, Depends(_page_conflict)]

# --- Saving a text ---------------------------------------------------------------------


@pages.post("/paragraphs/{paragraph_id}/texts/{lang}", name="save_text_form")
def save_text_form(
    request: Request,
    paragraph_id: Id,
    para: PageParagraph,
    lang: Lang,
    session: SessionDep,
    base_revision_id: FormId,
    # An emptied textarea arrives as "" and FastAPI takes that for a missing field: without
    # the default, a paragraph could not be emptied through the form (the API allows it).
    text: Annotated[ParagraphText, Form()] = "",
    conflict_id: Annotated[PositiveId | None, Form()] = None,
    back: Annotated[Back, Form()] = "document",
) -> Response:
    return submit(
        request,
        lambda: editing.save_text(
            session,
            para.user,
            paragraph_id,
            lang,
            text,
            base_revision_id,
            resolves_conflict_id=conflict_id,
        ),
        then=lambda result: _saved(request, session, para, paragraph_id, lang, result, back),
        show=lambda refusal: _not_saved(request, session, para, paragraph_id, lang, text, refusal),
    )


def _saved(
    request: Request,
    session: Session,
    para: ParagraphAccess,
    paragraph_id: int,
    lang: Lang,
    result: SaveResult,
    back: Back,
) -> Response:
    notice = None
    if result.merged:
        notice = {"paragraph_id": paragraph_id, "lang": lang.value, "kind": "merged"}
    if is_htmx(request):
        return paragraph_block(request, session, para, paragraph_id, notice=notice)
    if result.merged:
        # To the document, also from the translation page: the document shows the notice.
        merged = {"merged": paragraph_id, "lang": lang.value}
        return back_to_paragraph(request, para, paragraph_id, query=merged)
    # Back to the page the form was on (the translation page confirms the paragraph there).
    return back_to_paragraph(request, para, paragraph_id, back, lang)


def _not_saved(
    request: Request,
    session: Session,
    para: ParagraphAccess,
    paragraph_id: int,
    lang: Lang,
    text: str,
    refusal: Refusal,
) -> Response:
    """The paragraph again: with the resolution view after a conflict (the typed text is
    kept as a conflict draft), else with the typed text and the reason it was refused."""
    if refusal.code == "edit_conflict":
        draft = conflict_queries.own_conflict(session, para.user, refusal.details["conflict_id"])
        view = conflict_queries.resolution_view(session, draft)
        return paragraph_block(request, session, para, paragraph_id, conflict=view)
    failed = {"paragraph_id": paragraph_id, "lang": lang.value, "text": text, "error": refusal}
    return paragraph_block(request, session, para, paragraph_id, failed_edit=failed)


# --- The paragraph in the document -----------------------------------------------------


@pages.get("/paragraphs/{paragraph_id}", name="paragraph_fragment")
def paragraph_fragment(
    request: Request, paragraph_id: Id, para: PageParagraph, session: SessionDep
) -> Response:
    """One paragraph: what live updates fetch; without HTMX, the document at that paragraph."""
    return paragraph_answer(request, session, para, paragraph_id)


@pages.post("/paragraphs/{paragraph_id}/move", name="move_paragraph_form")
def move_paragraph_form(
    request: Request,
    paragraph_id: Id,
    para: PageParagraph,
    session: SessionDep,
    position: Annotated[ParagraphPosition, Form()],
) -> Response:
    return submit(
        request,
        lambda: documents.update_paragraph(session, para, para.paragraph, position=position),
        then=lambda _moved: back_to_paragraph(request, para, paragraph_id),
        show=lambda error: document_page(request, session, para, error=error),
    )


@pages.post("/paragraphs/{paragraph_id}/kind", name="paragraph_kind_form")
def paragraph_kind_form(
    request: Request,
    paragraph_id: Id,
    para: PageParagraph,
    session: SessionDep,
    kind: Annotated[str, Form()],
) -> Response:
    return submit(
        request,
        lambda: documents.update_paragraph(session, para, para.paragraph, kind=kind),
        then=lambda _changed: back_to_paragraph(request, para, paragraph_id),
        show=lambda error: document_page(request, session, para, error=error),
    )


@pages.post("/paragraphs/{paragraph_id}/delete", name="delete_paragraph_form")
def delete_paragraph_form(request: Request, para: PageParagraph, session: SessionDep) -> Response:
    return submit(
        request,
        lambda: documents.delete_paragraph(session, para, para.paragraph),
        then=lambda _deleted: see_other(request, "document_page", document_id=para.document.id),
        show=lambda error: document_page(request, session, para, error=error),
    )


# --- History ---------------------------------------------------------------------------


@pages.get("/paragraphs/{paragraph_id}/history", name="history_page")
def history_page(
    request: Request,
    paragraph_id: Id,
    para: PageParagraph,
    session: SessionDep,
    lang: Lang = Lang.DE,
    from_id: Annotated[PositiveId | None, Query(alias="from")] = None,
    to_id: Annotated[PositiveId | None, Query(alias="to")] = None,
) -> Response:
    return _history(request, session, para, paragraph_id, lang, from_id, to_id)


def _history(
    request: Request,
    session: Session,
    para: ParagraphAccess,
    paragraph_id: int,
    lang: Lang,
    from_id: int | None = None,
    to_id: int | None = None,
    error: Refusal | None = None,
) -> Response:
    compared = revision_queries.comparison(session, paragraph_id, lang.value, from_id, to_id)
    return render(
        request,
        "history.html",
        {
            "document": para.document,
            "group": para.group,
            "access": para,
            "paragraph": document_queries.paragraph_view(session, para.paragraph),
            "lang": lang.value,
            "revisions": compared.revisions,
            "older": compared.older,
            "newer": compared.newer,
            "ops": compared.ops,
            "can_restore": para.can_in_phase(Action.EDIT_TEXT),
            "error": error,
        },
        block="diff",
    )


@pages.post("/paragraphs/{paragraph_id}/texts/{lang}/restore", name="restore_form")
def restore_form(
    request: Request,
    paragraph_id: Id,
    para: PageParagraph,
    lang: Lang,
    session: SessionDep,
    revision_id: FormId,
) -> Response:
    return submit(
        request,
        lambda: editing.restore(session, para.user, paragraph_id, lang, revision_id),
        then=lambda _restored: see_other(
            request, "history_page", paragraph_id=paragraph_id, query={"lang": lang.value}
        ),
        show=lambda error: _history(request, session, para, paragraph_id, lang, error=error),
    )


# --- Conflict drafts -------------------------------------------------------------------


@pages.get("/conflicts/{conflict_id}", name="conflict_page")
def conflict_page(request: Request, own: PageConflict, session: SessionDep) -> Response:
    """The resolution view of one of my conflict drafts, in the document page."""
    if own.draft.state != "open":
        return back_to_paragraph(request, own.access, own.draft.paragraph_id)
    view = conflict_queries.resolution_view(session, own.draft)
    return paragraph_block(request, session, own.access, own.draft.paragraph_id, conflict=view)


@pages.post("/conflicts/{conflict_id}/discard", name="discard_conflict_form")
def discard_conflict_form(
    request: Request, conflict_id: Id, own: PageConflict, session: SessionDep
) -> Response:
    return submit(
        request,
        lambda: editing.discard_conflict(session, own.access.user, conflict_id),
        then=lambda draft: back_to_paragraph(request, own.access, draft.paragraph_id),
        show=lambda error: document_page(request, session, own.access, error=error),
    )


# --- JSON API --------------------------------------------------------------------------


@api.patch("/paragraphs/{paragraph_id}")
def change_paragraph(
    body: ParagraphChange, para: ApiParagraph, session: SessionDep
) -> ParagraphOut:
    documents.update_paragraph(
        session, para, para.paragraph, kind=body.kind, position=body.position
    )
    return ParagraphOut.model_validate(document_queries.paragraph_view(session, para.paragraph))


@api.delete("/paragraphs/{paragraph_id}", status_code=204)
def delete_paragraph(para: ApiParagraph, session: SessionDep) -> Response:
    documents.delete_paragraph(session, para, para.paragraph)
    return Response(status_code=204)


@api.patch(
    "/paragraphs/{paragraph_id}/texts/{lang}",
    responses={409: {"description": "edit_conflict: details has conflict_id, base, theirs, yours"}},
)
def save_text(
    paragraph_id: Id, lang: Lang, body: SaveText, para: ApiParagraph, session: SessionDep
) -> SavedText:
    result = editing.save_text(
        session,
        para.user,
        paragraph_id,
        lang,
        body.text,
        body.base_revision_id,
        resolves_conflict_id=body.conflict_id,
    )
    return SavedText.of(result.revision, merged=result.merged)


@api.post("/paragraphs/{paragraph_id}/texts/{lang}/restore")
def restore(
    paragraph_id: Id, lang: Lang, body: RestoreText, para: ApiParagraph, session: SessionDep
) -> SavedText:
    result = editing.restore(session, para.user, paragraph_id, lang, body.revision_id)
    return SavedText.of(result.revision, merged=False)


@api.get("/documents/{document_id}/conflicts")
def my_conflicts(doc: ApiDocument, session: SessionDep) -> list[ConflictDraftOut]:
    """The caller's unresolved conflict drafts in this document."""
    assert doc.document.id is not None
    drafts = conflict_queries.open_conflicts_of(session, doc.user, doc.document.id)
    return [ConflictDraftOut.model_validate(draft) for draft in drafts]


@api.post("/conflicts/{conflict_id}/discard")
def discard_conflict(conflict_id: Id, user: ApiUser, session: SessionDep) -> ConflictDraftOut:
    return ConflictDraftOut.model_validate(editing.discard_conflict(session, user, conflict_id))


# A parameter named ``_access`` is there for its check alone: 404 unless the caller is a
# member of the paragraph's group.


@api.get("/paragraphs/{paragraph_id}/revisions")
def revisions(
    paragraph_id: Id, _access: ApiParagraph, session: SessionDep, lang: Lang | None = None
) -> list[RevisionOut]:
    history = revision_queries.history(session, paragraph_id, lang.value if lang else None)
    return [RevisionOut.model_validate(revision) for revision in history]


@api.get("/paragraphs/{paragraph_id}/diff")
def diff(
    paragraph_id: Id,
    _access: ApiParagraph,
    session: SessionDep,
    from_id: Annotated[PositiveId, Query(alias="from")],
    to_id: Annotated[PositiveId, Query(alias="to")],
) -> DiffOut:
    return DiffOut(ops=revision_queries.diff(session, paragraph_id, from_id, to_id))
