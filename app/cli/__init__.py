"""The ``tandem`` command: one module per area registers its commands here."""

from __future__ import annotations

import typer

from app.cli import accounts, evidence, exports, server
from app.cli.common import alembic_config

__all__ = ["alembic_config", "cli", "main"]

cli = typer.Typer(
    help="Tandem: co-drafting bilingual policy recommendations.", no_args_is_help=True
)
for area in (server, accounts, evidence, exports):
    cli.add_typer(area.commands)


def main() -> None:
    cli()
