"""Commands for users, working groups and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from app.cli.common import database, fail, system_admin
from app.queries.access import group_for
from app.queries.groups import user_by_name
from app.services import auth, groups, users

commands = typer.Typer()


@commands.command("create-user")
def create_user(
    username: str,
    display_name: Annotated[
        str | None, typer.Option(help="Shown name; defaults to USERNAME")
    ] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make a site administrator")] = False,
    locale: Annotated[str, typer.Option(help="Interface language: de, fr or en")] = "en",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create a user (asks for the password unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with database() as session:
        user = users.create_user(
            session,
            system_admin(session) if not admin else None,
            username=username,
            display_name=display_name or username,
            password=password,
            locale=locale,
            is_admin=admin,
        )
    typer.echo(f"created user {user.username}")


@commands.command("create-group")
def create_group(
    slug: str,
    name_de: Annotated[str, typer.Option("--name-de")],
    name_fr: Annotated[str, typer.Option("--name-fr")],
) -> None:
    """Create a working group."""
    with database() as session:
        group = groups.create_group(
            session, system_admin(session), slug=slug, name_de=name_de, name_fr=name_fr
        )
    typer.echo(f"created group {group.slug}")


@commands.command("add-member")
def add_member(
    slug: str,
    username: str,
    role: Annotated[str, typer.Option(help="member, moderator or liaison")] = "member",
    government: Annotated[str | None, typer.Option(help="DE or FR, for liaisons")] = None,
) -> None:
    """Add a user to a working group, or change their role."""
    with database() as session:
        access = group_for(session, system_admin(session), slug, admin_ok=True)
        groups.set_member(session, access, username, role, government)
    typer.echo(f"{username} is {role} of {slug}")


@commands.command()
def token(username: str) -> None:
    """Print a new API token for USERNAME."""
    with database() as session:
        user = user_by_name(session, username)
        if user is None:
            fail(f"there is no user {username}")
        typer.echo(auth.issue_api_token(session, user))
