"""A paragraph: saving texts, history, diffs, restore, order and kind."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import ApiUser, Id, PageUser, SessionDep, verify_csrf
from app.errors import EditConflict, NotFound
from app.errors import ValidationFailed as InvalidInput
from app.fields import MAX_ID
from app.pages.document import Back, back_to, paragraph_response
from app.permissions import Action
from app.queries import access as access_queries
from app.queries import conflicts as conflict_queries
from app.queries import documents as document_queries
from app.queries import revisions as revision_queries
from app.schemas.documents import ParagraphChange, ParagraphOut
from app.schemas.paragraphs import (
    ConflictOut,
    DiffOut,
    RestoreText,
    RevisionOut,
    SavedText,
    SaveText,
)
from app.services import documents, editing
from app.templating import is_htmx, render
from drafting.diffs import word_diff
from drafting.text import Lang

api = APIRouter()
pages = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

FormId = Annotated[int, Form(ge=1, le=MAX_ID)]


@pages.post("/paragraphs/{paragraph_id}/texts/{lang}", name="save_text_form")
def save_text_form(
    request: Request,
    paragraph_id: Id,
    lang: Lang,
    user: PageUser,
    session: SessionDep,
    base_revision_id: FormId,
    # An emptied textarea arrives as "" and FastAPI takes that for a missing field: without
    # the default, a paragraph could not be emptied through the form (the API allows it).
    text: Annotated[str, Form(max_length=400_000)] = "",
    conflict_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    back: Annotated[Back, Form()] = "document",
) -> Response:
    try:
        result = editing.save_text(
            session,
            user,
            paragraph_id,
            lang,
            text,
            base_revision_id,
            resolves_conflict_id=conflict_id,
        )
    except EditConflict as conflict:
        session.rollback()
        draft = conflict_queries.own_conflict(session, user, conflict.details["conflict_id"])
        return paragraph_response(
            request,
            session,
            user,
            paragraph_id,
            status_code=409,
            conflict=conflict_queries.resolution_view(session, draft),
        )
    except InvalidInput as refusal:
        session.rollback()
        failed = {"paragraph_id": paragraph_id, "lang": lang.value, "text": text, "error": refusal}
        return paragraph_response(
            request, session, user, paragraph_id, status_code=422, failed_edit=failed
        )
    if is_htmx(request):
        notice = None
        if result.merged:
            notice = {"paragraph_id": paragraph_id, "lang": lang.value, "kind": "merged"}
        return paragraph_response(request, session, user, paragraph_id, notice=notice)
    if back == "translate" and not result.merged:
        # Back to the translation queue, at this paragraph: its confirmation is there. A
        # merged save goes to the document instead, which shows the merge notice.
        return RedirectResponse(back_to(session, user, paragraph_id, back, lang), 303)
    access, _ = access_queries.paragraph_for(session, user, paragraph_id)
    query = f"?merged={paragraph_id}&lang={lang.value}" if result.merged else ""
    return RedirectResponse(
        f"/documents/{access.document.id}{query}#p-{paragraph_id}", status_code=303
    )


@pages.get("/paragraphs/{paragraph_id}", name="paragraph_fragment")
def paragraph_fragment(
    request: Request, paragraph_id: Id, user: PageUser, session: SessionDep
) -> Response:
    """One paragraph: what live updates fetch; without HTMX, the document at that paragraph."""
    if not is_htmx(request):
        access, _ = access_queries.paragraph_for(session, user, paragraph_id)
        return RedirectResponse(f"/documents/{access.document.id}#p-{paragraph_id}", 303)
    return paragraph_response(request, session, user, paragraph_id)


@pages.post("/paragraphs/{paragraph_id}/move", name="move_paragraph_form")
def move_paragraph_form(
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    position: Annotated[int, Form(ge=1, le=2**31)],
) -> Response:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    documents.update_paragraph(session, access, paragraph, position=position)
    return RedirectResponse(f"/documents/{access.document.id}#p-{paragraph_id}", 303)


@pages.post("/paragraphs/{paragraph_id}/kind", name="paragraph_kind_form")
def paragraph_kind_form(
    paragraph_id: Id, user: PageUser, session: SessionDep, kind: Annotated[str, Form()]
) -> Response:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    documents.update_paragraph(session, access, paragraph, kind=kind)
    return RedirectResponse(f"/documents/{access.document.id}#p-{paragraph_id}", 303)


@pages.post("/paragraphs/{paragraph_id}/delete", name="delete_paragraph_form")
def delete_paragraph_form(paragraph_id: Id, user: PageUser, session: SessionDep) -> Response:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    documents.delete_paragraph(session, access, paragraph)
    return RedirectResponse(f"/documents/{access.document.id}", 303)


@pages.get("/paragraphs/{paragraph_id}/history", name="history_page")
def history_page(
    request: Request,
    paragraph_id: Id,
    user: PageUser,
    session: SessionDep,
    lang: Lang = Lang.DE,
    from_id: Annotated[int | None, Query(alias="from", ge=1, le=MAX_ID)] = None,
    to_id: Annotated[int | None, Query(alias="to", ge=1, le=MAX_ID)] = None,
) -> Response:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    revisions = revision_queries.history(session, paragraph_id, lang.value)
    by_id = {revision.id: revision for revision in revisions}
    newer = by_id.get(to_id) if to_id else (revisions[0] if revisions else None)
    older = by_id.get(from_id) if from_id else None
    if older is None and newer is not None:
        older = by_id.get(newer.parent_id) if newer.parent_id else None
    if (from_id and from_id not in by_id) or (to_id and to_id not in by_id):
        raise NotFound("This revision is not part of this paragraph's history.")
    ops = word_diff(older.text if older else "", newer.text if newer else "")
    return render(
        request,
        "history.html",
        {
            "document": access.document,
            "group": access.group,
            "access": access,
            "paragraph": document_queries.paragraph_view(session, paragraph),
            "lang": lang.value,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "ops": ops,
            "can_restore": access.can_in_phase(Action.EDIT_TEXT),
        },
        block="diff",
    )


@pages.post("/paragraphs/{paragraph_id}/texts/{lang}/restore", name="restore_form")
def restore_form(
    paragraph_id: Id,
    lang: Lang,
    user: PageUser,
    session: SessionDep,
    revision_id: FormId,
) -> Response:
    editing.restore(session, user, paragraph_id, lang, revision_id)
    return RedirectResponse(f"/paragraphs/{paragraph_id}/history?lang={lang.value}", 303)


@pages.get("/conflicts/{conflict_id}", name="conflict_page")
def conflict_page(
    request: Request, conflict_id: Id, user: PageUser, session: SessionDep
) -> Response:
    """The resolution view of one of my conflict drafts, in the document page."""
    draft = conflict_queries.own_conflict(session, user, conflict_id)
    if draft.state != "open":
        access, _ = access_queries.paragraph_for(session, user, draft.paragraph_id)
        return RedirectResponse(f"/documents/{access.document.id}#p-{draft.paragraph_id}", 303)
    return paragraph_response(
        request,
        session,
        user,
        draft.paragraph_id,
        conflict=conflict_queries.resolution_view(session, draft),
    )


@pages.post("/conflicts/{conflict_id}/discard", name="discard_conflict_form")
def discard_conflict_form(conflict_id: Id, user: PageUser, session: SessionDep) -> Response:
    draft = editing.discard_conflict(session, user, conflict_id)
    access, _ = access_queries.paragraph_for(session, user, draft.paragraph_id)
    return RedirectResponse(f"/documents/{access.document.id}#p-{draft.paragraph_id}", 303)


# --- JSON API --------------------------------------------------------------------------


@api.patch("/paragraphs/{paragraph_id}", tags=["paragraphs"])
def change_paragraph(
    paragraph_id: Id, body: ParagraphChange, user: ApiUser, session: SessionDep
) -> ParagraphOut:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    documents.update_paragraph(session, access, paragraph, kind=body.kind, position=body.position)
    return ParagraphOut.of(document_queries.paragraph_view(session, paragraph))


@api.delete("/paragraphs/{paragraph_id}", status_code=204, tags=["paragraphs"])
def delete_paragraph(paragraph_id: Id, user: ApiUser, session: SessionDep) -> Response:
    access, paragraph = access_queries.paragraph_for(session, user, paragraph_id)
    documents.delete_paragraph(session, access, paragraph)
    return Response(status_code=204)


@api.patch(
    "/paragraphs/{paragraph_id}/texts/{lang}",
    tags=["paragraphs"],
    responses={409: {"description": "edit_conflict: details has conflict_id, base, theirs, yours"}},
)
def save_text(
    paragraph_id: Id, lang: Lang, body: SaveText, user: ApiUser, session: SessionDep
) -> SavedText:
    result = editing.save_text(
        session,
        user,
        paragraph_id,
        lang,
        body.text,
        body.base_revision_id,
        resolves_conflict_id=body.conflict_id,
    )
    assert result.revision.id is not None
    return SavedText(
        revision_id=result.revision.id,
        text=result.revision.text,
        merged=result.merged,
        source=result.revision.source,
    )


@api.post("/paragraphs/{paragraph_id}/texts/{lang}/restore", tags=["paragraphs"])
def restore(
    paragraph_id: Id, lang: Lang, body: RestoreText, user: ApiUser, session: SessionDep
) -> SavedText:
    result = editing.restore(session, user, paragraph_id, lang, body.revision_id)
    assert result.revision.id is not None
    return SavedText(
        revision_id=result.revision.id,
        text=result.revision.text,
        merged=False,
        source=result.revision.source,
    )


@api.get("/documents/{document_id}/conflicts", tags=["paragraphs"])
def my_conflicts(document_id: Id, user: ApiUser, session: SessionDep) -> list[ConflictOut]:
    """The caller's unresolved conflict drafts in this document."""
    access_queries.document_for(session, user, document_id)
    return [
        ConflictOut(id=c.id, paragraph_id=c.paragraph_id, lang=c.lang, text=c.text)
        for c in conflict_queries.open_conflicts_of(session, user, document_id)
    ]


@api.post("/conflicts/{conflict_id}/discard", tags=["paragraphs"])
def discard_conflict(conflict_id: Id, user: ApiUser, session: SessionDep) -> ConflictOut:
    draft = editing.discard_conflict(session, user, conflict_id)
    assert draft.id is not None
    return ConflictOut(
        id=draft.id,
        paragraph_id=draft.paragraph_id,
        lang=draft.lang,
        text=draft.text,
        state=draft.state,
    )


@api.get("/paragraphs/{paragraph_id}/revisions", tags=["paragraphs"])
def revisions(
    paragraph_id: Id, user: ApiUser, session: SessionDep, lang: Lang | None = None
) -> list[RevisionOut]:
    access_queries.paragraph_for(session, user, paragraph_id)
    history = revision_queries.history(session, paragraph_id, lang.value if lang else None)
    return [RevisionOut.of(revision) for revision in history]


@api.get("/paragraphs/{paragraph_id}/diff", tags=["paragraphs"])
def diff(
    paragraph_id: Id,
    user: ApiUser,
    session: SessionDep,
    from_id: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
    to_id: Annotated[int, Query(alias="to", ge=1, le=MAX_ID)],
) -> DiffOut:
    access_queries.paragraph_for(session, user, paragraph_id)
    older = revision_queries.revision_of(session, paragraph_id, from_id)
    newer = revision_queries.revision_of(session, paragraph_id, to_id)
    return DiffOut(ops=word_diff(older.text, newer.text))
