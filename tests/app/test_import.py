from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document as new_docx

from app.config import get_settings
from tests.helpers.factories import World, assert_error

IMPORT = "/api/v1/groups/klima/documents/import"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(
    world: World,
    first: bytes,
    second: bytes | None = None,
    who: str = "moderator",
    path: str = IMPORT,
    **fields: str,
) -> Any:
    files: dict[str, Any] = {"file": ("../../etc/passwd", first, "text/plain")}
    if second is not None:
        files["file2"] = ("<script>.md", second, "application/octet-stream")
    return world.api(who).post(path, files=files, data=fields)


def paragraphs_of(world: World, document_id: int) -> list[tuple[str, str, str]]:
    document = world.api("moderator").get(f"/api/v1/documents/{document_id}").json()
    return [
        (p["kind"], p["texts"]["de"]["text"], p["texts"]["fr"]["text"])
        for p in document["paragraphs"]
    ]


def exported(world: World, fmt: str, **params: str) -> bytes:
    answer = world.api("member").get(
        f"/api/v1/documents/{world.document_id}/export.{fmt}", params=params
    )
    assert answer.status_code == 200, answer.text
    return answer.content


def set_text(world: World, paragraph_id: int, lang: str, text: str) -> None:
    base = world.current(paragraph_id, lang)["revision_id"]
    answer = world.api("moderator").patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        json={"text": text, "base_revision_id": base},
    )
    assert answer.status_code == 200, answer.text


AWKWARD = [
    "# Kein Titel, nur eine Raute am Anfang",
    "Zwei Absätze\n\nin einem, mit <b>&amp;</b> und 👩🏽\u200d⚖️ und \u202eRTL\u202c",
    "<!-- kein Kommentar -->",
    "\\ein Backslash",
]


def test_markdown_export_imports_back_as_the_same_paragraphs(world: World) -> None:
    for paragraph_id, text in zip(world.paragraph_ids[1:], AWKWARD[:2], strict=True):
        set_text(world, paragraph_id, "de", text)
    set_text(world, world.paragraph_ids[0], "fr", AWKWARD[2] + "\n" + AWKWARD[3])
    empty = world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/paragraphs",
        json={"kind": "recommendation", "de": AWKWARD[3], "fr": ""},
    )
    assert empty.status_code == 201, empty.text
    before = paragraphs_of(world, world.document_id)
    answer = upload(world, exported(world, "md", lang="de"), exported(world, "md", lang="fr"))
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["title_de"] == "Klimaneutrale Kommunen"
    assert created["title_fr"] == "Collectivités neutres en carbone"
    assert created["phase"] == "drafting"
    assert paragraphs_of(world, created["id"]) == before
    both = upload(world, exported(world, "md"))
    assert both.status_code == 201, both.text
    assert paragraphs_of(world, both.json()["id"]) == before


def test_docx_export_imports_back_as_the_same_paragraphs(world: World) -> None:
    set_text(world, world.paragraph_ids[1], "de", "Zeile eins\nZeile\tzwei **fett** 𝔘")
    before = paragraphs_of(world, world.document_id)
    answer = upload(world, exported(world, "docx"))
    assert answer.status_code == 201, answer.text
    assert answer.json()["title_fr"] == "Collectivités neutres en carbone"
    assert paragraphs_of(world, answer.json()["id"]) == before


def test_markdown_headings_and_recommendations_are_detected(world: World) -> None:
    german = (
        "# Präambel\n\nErster Absatz\nmit zwei Zeilen.\n\n"
        "**Empfehlung 1:** Die Länder sollen handeln.\n\n## Ausblick\n\nEnde.\n"
    ).encode()
    french = (
        "# Préambule\n\nPremier alinéa.\n\n"
        "**Recommandation 1 :** Les régions doivent agir.\n\n## Perspectives\n\nFin.\n"
    ).encode()
    preview = upload(
        world,
        german,
        french,
        path=IMPORT + "/preview",
        title_de="Entwurf",
        title_fr="Projet",
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert [p["kind"] for p in body["paragraphs"]] == [
        "heading",
        "text",
        "recommendation",
        "heading",
        "text",
    ]
    assert body["paragraphs"][1]["de"] == "Erster Absatz\nmit zwei Zeilen."
    assert body["paragraphs"][3]["fr"] == "Perspectives"
    documents = world.api("moderator").get("/api/v1/groups/klima/documents").json()
    assert len(documents) == 1  # a preview creates nothing
    created = upload(world, german, french, title_de="Entwurf", title_fr="Projet")
    assert created.status_code == 201, created.text


def test_one_file_of_one_language_leaves_the_other_empty(world: World) -> None:
    answer = upload(world, b"---\ntitle: Titre\n---\nUn.\n\nDeux.\n", lang="fr", title_de="Titel")
    assert answer.status_code == 201, answer.text
    assert answer.json()["title_fr"] == "Titre"
    assert paragraphs_of(world, answer.json()["id"]) == [("text", "", "Un."), ("text", "", "Deux.")]


def test_a_word_table_with_a_header_and_a_number_column_gives_both_languages(
    world: World,
) -> None:
    document = new_docx()
    table = document.add_table(rows=0, cols=3)
    for number, fr, de in [("", "Français", "Deutsch"), ("1", "Un", "Eins"), ("2", "", "")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = number, fr, de
    cells = table.add_row().cells
    cells[1].paragraphs[0].add_run("Recommandation : agir")
    cells[2].paragraphs[0].add_run("Empfehlung: handeln")
    buffer = io.BytesIO()
    document.save(buffer)
    answer = upload(world, buffer.getvalue(), title_de="T", title_fr="T")
    assert answer.status_code == 201, answer.text
    assert paragraphs_of(world, answer.json()["id"]) == [
        ("text", "Eins", "Un"),
        ("recommendation", "Empfehlung: handeln", "Recommandation : agir"),
    ]


def test_two_word_files_without_tables_pair_block_by_block(world: World) -> None:
    files = []
    for heading, text in [("Einleitung", "Ein Text."), ("Introduction", "Un texte.")]:
        document = new_docx()
        document.add_heading(heading, level=1)
        document.add_paragraph("")
        document.add_paragraph(text)
        buffer = io.BytesIO()
        document.save(buffer)
        files.append(buffer.getvalue())
    answer = upload(world, files[0], files[1], title_de="T", title_fr="T")
    assert answer.status_code == 201, answer.text
    assert paragraphs_of(world, answer.json()["id"]) == [
        ("heading", "Einleitung", "Introduction"),
        ("text", "Ein Text.", "Un texte."),
    ]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BROKEN = {
    "random bytes": bytes(range(256)) * 4,
    "latin-1 text": "Präambel\n\nÉtat".encode("latin-1"),
    "NUL in text": b"# T\n\nText\x00mit NUL\n",
    "empty file": b"",
    "only blank lines": b"\n \n\t\n",
    "truncated zip": b"PK\x03\x04" + b"\x00" * 40,
    "zip without a document": _zip({"hello.txt": b"hi"}),
    "docx with broken xml": _zip(
        {
            "[Content_Types].xml": b"<Types",
            "word/document.xml": b"<w:document><unclosed>",
        }
    ),
    "html comment only": b"<!-- nothing -->\n",
}


@pytest.mark.parametrize("content", BROKEN.values(), ids=BROKEN.keys())
def test_broken_files_are_a_clear_422(world: World, content: bytes) -> None:
    error = assert_error(
        upload(world, content, title_de="T", title_fr="T"), 422, "validation_error"
    )
    assert error["details"]["field"] in ("file", "file2")
    assert len(world.api("moderator").get("/api/v1/groups/klima/documents").json()) == 1


def test_files_of_different_lengths_are_refused(world: World) -> None:
    error = assert_error(
        upload(world, b"Eins\n\nZwei\n", b"Un\n", title_de="T", title_fr="T"),
        422,
        "validation_error",
    )
    assert "2" in error["message"] and "1" in error["message"]


def test_titles_are_needed_and_checked(world: World) -> None:
    assert_error(upload(world, b"Eins\n"), 422, "validation_error")
    error = assert_error(
        upload(world, b"Eins\n", title_de="A\x00", title_fr="B"), 422, "validation_error"
    )
    assert error["details"]["field"] == "title_de"


def test_import_needs_a_moderator(world: World) -> None:
    assert_error(
        upload(world, b"Eins\n", who="member", title_de="T", title_fr="T"), 403, "forbidden"
    )
    assert_error(
        upload(world, b"Eins\n", who="liaison_de", title_de="T", title_fr="T"), 403, "forbidden"
    )
    assert_error(
        upload(world, b"Eins\n", who="outsider", title_de="T", title_fr="T"), 404, "not_found"
    )
    assert_error(
        upload(world, b"", path="/api/v1/groups/nowhere/documents/import"), 404, "not_found"
    )
    assert world.browser("member").get("/groups/klima/import").status_code == 403
    assert world.browser("outsider").get("/groups/klima/import").status_code == 404


def test_uploads_over_the_body_limit_are_413(world: World) -> None:
    too_big = b"Text.\n\n" * (get_settings().max_body_bytes // 7 + 10)
    assert_error(upload(world, too_big, title_de="T", title_fr="T"), 413, "payload_too_large")


def test_browser_import_shows_a_preview_then_creates(world: World) -> None:
    browser = world.browser("moderator")
    page = browser.get("/groups/klima/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    markdown = b"---\ntitle: Titel <script>\n---\n**Empfehlung:** <img src=x onerror=alert(1)>\n"
    preview = browser.post(
        "/groups/klima/import",
        data={"lang": "de", "title_fr": "Titre"},
        files={
            "file": ("x.md", markdown, "text/markdown"),
            "file2": ("", b"", "application/octet-stream"),  # the form's empty second field
        },
    )
    assert preview.status_code == 200, preview.text
    assert "<img src=x" not in preview.text and "&lt;img src=x" in preview.text
    assert 'value="Titel &lt;script&gt;"' in preview.text
    assert len(world.api("moderator").get("/api/v1/groups/klima/documents").json()) == 1
    payload = preview.text.split('name="payload" value="', 1)[1].split('"', 1)[0]
    created = browser.post(
        "/groups/klima/import/create",
        data={"payload": html.unescape(payload), "title_de": "Neu", "title_fr": "Nouveau"},
    )
    assert created.status_code == 303, created.text
    document_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert paragraphs_of(world, document_id) == [
        ("recommendation", "**Empfehlung:** <img src=x onerror=alert(1)>", "")
    ]
    broken = browser.post(
        "/groups/klima/import",
        data={"lang": "de"},
        files={"file": ("x.docx", b"PK\x03\x04broken", DOCX)},
    )
    assert broken.status_code == 422
    assert "damaged" in broken.text
    tampered = browser.post("/groups/klima/import/create", data={"payload": "{not json"})
    assert tampered.status_code == 422
    member = world.browser("member")
    refused = member.post("/groups/klima/import/create", data={"payload": "{}"})
    assert refused.status_code == 403


def test_tandem_import_creates_a_document(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import cli
    from tests.helpers.cli import EngineClosingRunner

    (tmp_path / "de.md").write_text('---\ntitle: "Titel"\n---\n\nEins.\n')
    (tmp_path / "fr.md").write_text("---\ntitle: Titre\n---\n\nUn.\n")
    monkeypatch.setenv("TANDEM_DATABASE_URL", world.app.state.settings.database_url)
    get_settings.cache_clear()
    try:
        runner = EngineClosingRunner()
        result = runner.invoke(
            cli, ["import", "klima", str(tmp_path / "de.md"), str(tmp_path / "fr.md")]
        )
        assert result.exit_code == 0, result.output
        document_id = int(result.output.split()[2])
        assert paragraphs_of(world, document_id) == [("text", "Eins.", "Un.")]
        result = runner.invoke(cli, ["import", "klima", str(tmp_path / "missing.md")])
        assert result.exit_code == 1 and "cannot read" in result.output
        result = runner.invoke(cli, ["import", "nowhere", str(tmp_path / "de.md")])
        assert result.exit_code == 1
    finally:
        get_settings.cache_clear()
