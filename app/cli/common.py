"""What every command shares: its own database session, the acting administrator, and
how a refusal ends a command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from alembic.config import Config
from sqlmodel import Session, col, select

from app.config import PROJECT_ROOT, get_settings
from app.db import make_engine, session_factory
from app.errors import AppError
from app.models import User
from app.security import configure_hashing


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


@contextmanager
def database() -> Iterator[Session]:
    """A session on its own engine, disposed when the command ends (no leaked connections).

    A refusal from a service ends the command with its message and exit status 1.
    """
    settings = get_settings()
    configure_hashing(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            yield session
    except AppError as refusal:
        fail(str(refusal))
    finally:
        engine.dispose()


def system_admin(session: Session) -> User:
    """Command-line actions are done as a site administrator: the first one found."""
    admin = session.exec(select(User).where(col(User.is_admin)).order_by(col(User.id))).first()
    return admin or User(username="system", display_name="system", password_hash="", is_admin=True)
