"""Commands for evidence: importing local initiatives."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import database
from app.services import initiatives

commands = typer.Typer()


@commands.command("import-initiatives")
def import_initiatives(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would be created or updated")
    ] = False,
) -> None:
    """Import local initiatives from a CSV file: all rows or, if one is wrong, none."""
    with database() as session:
        report = initiatives.import_csv(session, None, file.read_bytes(), dry_run=dry_run)
    for row in report.rows:
        line = f"line {row.row}: {row.action} {row.key}"
        for problem in row.errors:
            line += f"\n    {problem.field}: {problem.message}"
        typer.echo(line, err=bool(row.errors))
    summary = (
        f"{report.count('create')} to create, {report.count('update')} to update, "
        f"{report.count('unchanged')} unchanged, {report.count('error')} with errors"
    )
    if not report.ok:
        typer.echo(f"nothing imported: {summary}", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"dry run, nothing saved: {summary}" if dry_run else f"imported: {summary}")
