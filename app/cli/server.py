"""Commands that set up and run the site: the schema, the demo and the HTTP server."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from alembic import command

from app.cli.common import alembic_config, database
from app.config import get_settings
from app.demo import seed

commands = typer.Typer()


@commands.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    command.upgrade(alembic_config(get_settings().database_url), "head")
    typer.echo("database is up to date")


@commands.command("seed-demo")
def seed_demo() -> None:
    """Create the demo working group, users and document (idempotent)."""
    with database() as session:
        report = seed.seed_demo(session)
    typer.echo(report)


@commands.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option()] = 1,
) -> None:
    """Serve Tandem over HTTP."""
    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=get_settings().forwarded_allow_ips,
    )
