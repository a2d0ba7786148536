"""Working groups and their members."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import validation
from app.db import unit_of_work
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.models import Government, Membership, Role, User, WorkingGroup
from app.permissions import Action
from app.queries.access import GroupAccess
from app.queries.groups import user_by_name
from app.services import audit, glossary
from app.services.choices import parse_choice


def create_group(
    session: Session, actor: User, *, slug: str, name_de: str, name_fr: str
) -> WorkingGroup:
    if not actor.is_admin:
        raise Forbidden()
    group = WorkingGroup(
        slug=validation.slug(slug),
        name_de=validation.name_field("name_de", name_de),
        name_fr=validation.name_field("name_fr", name_fr),
    )
    if session.exec(select(WorkingGroup).where(WorkingGroup.slug == group.slug)).first():
        raise Conflict("A working group with the slug {slug} exists already.", slug=group.slug)
    try:
        with unit_of_work(session):
            session.add(group)
            # Flushed here for the group's id, and so that a slug taken meanwhile is refused.
            session.flush()
            glossary.seed_group(session, group)
            audit.record(session, actor, "group.create", f"group:{group.slug}", group_id=group.id)
    except IntegrityError:
        raise Conflict(
            "A working group with the slug {slug} exists already.", slug=group.slug
        ) from None
    return group


def _role_and_government(role: str, government: str | None) -> tuple[Role, Government | None]:
    parsed_role = parse_choice(
        Role, "role", role, "Unknown role {role}; choose member, moderator or liaison."
    )
    if parsed_role is Role.LIAISON:
        try:
            return parsed_role, Government((government or "").upper())
        except ValueError:
            raise ValidationFailed(
                "A liaison represents a government: DE or FR.", details={"field": "government"}
            ) from None
    if government:
        raise ValidationFailed(
            "Only liaisons represent a government.", details={"field": "government"}
        )
    return parsed_role, None


def _keep_a_moderator(session: Session, membership: Membership) -> None:
    """Refuse to demote or remove a group's last moderator: nobody could steer its phases,
    decide amendments or manage its members any more (site admins only add members)."""
    if membership.role != Role.MODERATOR.value:
        return
    # Locked, so that two moderators demoting each other at once cannot both succeed.
    moderators = session.exec(
        select(Membership.id)
        .where(
            Membership.group_id == membership.group_id,
            Membership.role == Role.MODERATOR.value,
        )
        .with_for_update()
    ).all()
    if len(moderators) <= 1:
        raise Conflict("The group needs at least one moderator: make someone else moderator first.")


def set_member(
    session: Session, access: GroupAccess, username: str, role: str, government: str | None
) -> Membership:
    """Add ``username`` to the group or change their role."""
    access.require(Action.MANAGE_MEMBERS)
    parsed_role, parsed_government = _role_and_government(role, government)
    user = user_by_name(session, username)
    if user is None or user.id is None:
        raise NotFound("There is no user {username}.", username=username)
    group_id = access.group.id
    assert group_id is not None
    with unit_of_work(session):
        membership = session.exec(
            select(Membership).where(Membership.group_id == group_id, Membership.user_id == user.id)
        ).first()
        if membership is None:
            membership = Membership(group_id=group_id, user_id=user.id, role=parsed_role)
        elif parsed_role is not Role.MODERATOR:
            _keep_a_moderator(session, membership)
        membership.role = parsed_role
        membership.government = parsed_government
        session.add(membership)
        audit.record_in_group(
            session,
            access,
            "member.set",
            f"user:{user.username}",
            role=membership.role,
            government=membership.government,
        )
    return membership


def remove_member(session: Session, access: GroupAccess, username: str) -> None:
    access.require(Action.MANAGE_MEMBERS)
    user = user_by_name(session, username)
    group_id = access.group.id
    with unit_of_work(session):
        membership = (
            session.exec(
                select(Membership).where(
                    Membership.group_id == group_id, Membership.user_id == user.id
                )
            ).first()
            if user is not None
            else None
        )
        if membership is None or user is None:
            raise NotFound("{username} is not a member of this group.", username=username)
        _keep_a_moderator(session, membership)
        session.delete(membership)
        audit.record_in_group(session, access, "member.remove", f"user:{user.username}")
