"""Loading things on behalf of a user: 404 for outsiders, 403 for missing permissions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import Forbidden, NotFound
from app.fields import MAX_ID
from app.models import Document, Membership, Paragraph, Phase, Role, User, WorkingGroup
from app.permissions import Action, allowed
from app.validation import SLUG


@dataclass(frozen=True)
class GroupAccess:
    user: User
    group: WorkingGroup
    membership: Membership | None

    @property
    def role(self) -> Role | None:
        return Role(self.membership.role) if self.membership else None

    def can(self, action: Action, phase: Phase | None = None) -> bool:
        if self.user.is_admin and action is Action.MANAGE_MEMBERS:
            return True
        return allowed(self.role, action, phase)

    def require(self, action: Action, phase: Phase | None = None) -> None:
        if not self.can(action, phase):
            raise Forbidden()


@dataclass(frozen=True)
class DocumentAccess(GroupAccess):
    document: Document

    @property
    def phase(self) -> Phase:
        return Phase(self.document.phase)

    def can_in_phase(self, action: Action) -> bool:
        return self.can(action, self.phase)

    def require_in_phase(self, action: Action) -> None:
        """403 when not allowed; when the role could do it in another phase, say so."""
        if self.can(action, self.phase):
            return
        if self.phase is Phase.ADOPTED and self.role is not None:
            raise Forbidden("The document is adopted: its final text can no longer be changed.")
        if any(self.can(action, phase) for phase in Phase):
            raise Forbidden(
                "This is not possible while the document is in the {phase} phase.",
                phase=self.phase.value,
            )
        raise Forbidden()


@dataclass(frozen=True)
class ParagraphAccess(DocumentAccess):
    paragraph: Paragraph


def _membership(session: Session, user: User, group_id: int) -> Membership | None:
    return session.exec(
        select(Membership).where(Membership.group_id == group_id, Membership.user_id == user.id)
    ).first()


def group_for(session: Session, user: User, slug: str, *, admin_ok: bool = False) -> GroupAccess:
    """The group if ``user`` belongs to it (or is a site admin and ``admin_ok``), else 404."""
    # A slug that cannot exist is not looked up (PostgreSQL refuses NUL in a query).
    if not SLUG.fullmatch(slug):
        raise NotFound()
    group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).first()
    if group is None or group.id is None:
        raise NotFound()
    membership = _membership(session, user, group.id)
    if membership is None and not (admin_ok and user.is_admin):
        raise NotFound()
    return GroupAccess(user=user, group=group, membership=membership)


def document_for(session: Session, user: User, document_id: int) -> DocumentAccess:
    if not 0 < document_id <= MAX_ID:
        raise NotFound()
    # One query for the three rows: every document and paragraph request starts here.
    row = session.exec(
        select(Document, WorkingGroup, Membership)
        .join(WorkingGroup, col(WorkingGroup.id) == col(Document.group_id))
        .join(
            Membership,
            (col(Membership.group_id) == col(Document.group_id))
            & (col(Membership.user_id) == user.id),
        )
        .where(col(Document.id) == document_id)
    ).first()
    if row is None:
        raise NotFound()
    document, group, membership = row
    return DocumentAccess(user=user, group=group, membership=membership, document=document)


def paragraph_for(
    session: Session, user: User, paragraph_id: int, *, for_update: bool = False
) -> tuple[DocumentAccess, Paragraph]:
    if not 0 < paragraph_id <= MAX_ID:
        raise NotFound()
    statement = select(Paragraph).where(Paragraph.id == paragraph_id)
    if for_update:
        # The route's access dependency may have loaded the row already, without the lock:
        # re-read it under the lock, or the service would build on the older copy.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    paragraph = session.exec(statement).first()
    if paragraph is None or paragraph.deleted_at is not None:
        raise NotFound()
    return document_for(session, user, paragraph.document_id), paragraph


def paragraph_access(
    session: Session, user: User, paragraph_id: int, *, for_update: bool = False
) -> ParagraphAccess:
    """The paragraph with its document's access; ``for_update`` locks the paragraph row
    (PostgreSQL) so that concurrent saves of one paragraph take turns."""
    document, paragraph = paragraph_for(session, user, paragraph_id, for_update=for_update)
    return ParagraphAccess(
        user=document.user,
        group=document.group,
        membership=document.membership,
        document=document.document,
        paragraph=paragraph,
    )
