"""Commands for exports and imports of documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app import exports, imports
from app.cli.common import database, fail, system_admin
from app.exports import model
from app.exports.pdf import PdfUnavailable
from app.models import Membership, Role
from app.queries.access import GroupAccess, group_for

commands = typer.Typer()


def _as_moderator(access: GroupAccess) -> GroupAccess:
    """The command line acts as a site administrator, with a moderator's rights in the group
    (as if the administrator had made themself moderator for this one action)."""
    if access.user.id is None:
        fail("there is no site administrator yet (tandem create-user NAME --admin)")
    assert access.group.id is not None and access.user.id is not None
    membership = access.membership or Membership(
        group_id=access.group.id, user_id=access.user.id, role=Role.MODERATOR
    )
    if membership.role != Role.MODERATOR.value:
        membership = Membership(
            group_id=access.group.id, user_id=access.user.id, role=Role.MODERATOR
        )
    return GroupAccess(user=access.user, group=access.group, membership=membership)


@commands.command("export")
def export_command(
    document_id: Annotated[int, typer.Argument(metavar="DOC", help="The document id")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write")],
    format: Annotated[str, typer.Option("--format", help="pdf, docx, md, xml or json")] = "pdf",
    version: Annotated[
        int | None, typer.Option("--version", help="A version number; default: current text")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="de, fr or both (Markdown)")] = "both",
) -> None:
    """Export a document (or one of its versions) to a file."""
    with database() as session:
        export_format = exports.parse_format(format)
        lang = exports.parse_lang(lang)
        document = model.load(session, document_id, version)
        try:
            file = exports.export(document, export_format, lang)
        except PdfUnavailable as missing:
            fail(f"PDF export needs WeasyPrint and its system libraries ({missing})")
    output.write_bytes(file.content)
    typer.echo(f"wrote {output} ({len(file.content)} bytes)")


@commands.command("import")
def import_command(
    slug: Annotated[str, typer.Argument(help="The working group")],
    file: Annotated[Path, typer.Argument(help="A .md or .docx file")],
    file2: Annotated[
        Path | None, typer.Argument(help="Optional: the other language, block by block")
    ] = None,
    title_de: Annotated[str, typer.Option("--title-de")] = "",
    title_fr: Annotated[str, typer.Option("--title-fr")] = "",
    lang: Annotated[str, typer.Option("--lang", help="Language of FILE: de or fr")] = "de",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be created, create nothing")
    ] = False,
) -> None:
    """Import a draft from Markdown or DOCX as a new document of the group SLUG."""
    try:
        first = file.read_bytes()
        second = file2.read_bytes() if file2 is not None else None
    except OSError as error:
        fail(f"cannot read {error.filename}: {error.strerror}")
    with database() as session:
        preview = imports.build_preview(
            first, second, first_lang=lang, title_de=title_de, title_fr=title_fr
        )
        if dry_run:
            for number, paragraph in enumerate(preview.paragraphs, start=1):
                typer.echo(
                    f"{number}\t{paragraph.kind}\t{paragraph.de[:40]!r}\t{paragraph.fr[:40]!r}"
                )
            return
        access = _as_moderator(group_for(session, system_admin(session), slug, admin_ok=True))
        document = imports.create_document(session, access, preview)
    typer.echo(f"created document {document.id} with {len(preview.paragraphs)} paragraphs")
