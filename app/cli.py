"""The ``tandem`` command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config
from sqlmodel import Session, col, select

from app.config import PROJECT_ROOT, get_settings
from app.db import make_engine, session_factory
from app.errors import AppError
from app.models import User
from app.queries.access import group_for
from app.queries.groups import user_by_name
from app.security import configure_hashing
from app.services import auth, groups, users

cli = typer.Typer(
    help="Tandem: co-drafting bilingual policy recommendations.", no_args_is_help=True
)


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@contextmanager
def _session() -> Iterator[Session]:
    """A session on its own engine, disposed when the command ends (no leaked connections)."""
    settings = get_settings()
    configure_hashing(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _fail(error: AppError) -> None:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(code=1)


def _system_admin(session: Session) -> User:
    """Command-line actions are done as a site administrator: the first one found."""
    admin = session.exec(select(User).where(col(User.is_admin)).order_by(col(User.id))).first()
    return admin or User(username="system", display_name="system", password_hash="", is_admin=True)


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    command.upgrade(alembic_config(get_settings().database_url), "head")
    typer.echo("database is up to date")


@cli.command("create-user")
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
    with _session() as session:
        try:
            user = users.create_user(
                session,
                _system_admin(session) if not admin else None,
                username=username,
                display_name=display_name or username,
                password=password,
                locale=locale,
                is_admin=admin,
            )
        except AppError as error:
            _fail(error)
            return
    typer.echo(f"created user {user.username}")


@cli.command("create-group")
def create_group(
    slug: str,
    name_de: Annotated[str, typer.Option("--name-de")],
    name_fr: Annotated[str, typer.Option("--name-fr")],
) -> None:
    """Create a working group."""
    with _session() as session:
        try:
            group = groups.create_group(
                session, _system_admin(session), slug=slug, name_de=name_de, name_fr=name_fr
            )
        except AppError as error:
            _fail(error)
            return
    typer.echo(f"created group {group.slug}")


@cli.command("add-member")
def add_member(
    slug: str,
    username: str,
    role: Annotated[str, typer.Option(help="member, moderator or liaison")] = "member",
    government: Annotated[str | None, typer.Option(help="DE or FR, for liaisons")] = None,
) -> None:
    """Add a user to a working group, or change their role."""
    with _session() as session:
        try:
            access = group_for(session, _system_admin(session), slug, admin_ok=True)
            groups.set_member(session, access, username, role, government)
        except AppError as error:
            _fail(error)
            return
    typer.echo(f"{username} is {role} of {slug}")


@cli.command()
def token(username: str) -> None:
    """Print a new API token for USERNAME."""
    with _session() as session:
        user = user_by_name(session, username)
        if user is None:
            typer.echo(f"error: there is no user {username}", err=True)
            raise typer.Exit(code=1)
        typer.echo(auth.issue_api_token(session, user))


@cli.command("seed-demo")
def seed_demo() -> None:
    """Create the demo working group, users and document (idempotent)."""
    from app.demo import seed

    with _session() as session:
        report = seed.seed_demo(session)
    typer.echo(report)


@cli.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option()] = 1,
) -> None:
    """Serve Tandem over HTTP."""
    import uvicorn

    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=get_settings().forwarded_allow_ips,
    )


def main() -> None:
    cli()


# Commands of other areas register themselves on ``cli`` when imported.
from app import cli_evidence, cli_exports  # noqa: E402, F401

if __name__ == "__main__":
    main()
