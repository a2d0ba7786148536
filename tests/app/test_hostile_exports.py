"""Every class of hostile input (tests/data/hostile-inputs.md, 1-7) stored in the fields
an export prints (paragraph texts of every kind, both titles, an initiative's names, an
evidence note, a version label), then exported by the real routes.

Akoma Ntoso XML must parse and carry each text exactly (escaped by the serializer), DOCX
must open with python-docx with each text exact, the PDF must be readable by pypdf, and
the Markdown must import back unchanged and, rendered by a renderer that passes raw HTML
and every link target through (as many do), must not contain a tag or a ``javascript:``
link that came from the text. A field that refuses an input (a title with a line break,
an empty name) keeps a plain value; what it refuses is tested in test_hostile_inputs.
NUL cannot be stored anywhere (refused alike on both databases), so it never reaches an
export.
"""

from __future__ import annotations

import io
import json
import os
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pytest
from docx import Document as new_docx
from docx import Document as open_docx
from markdown_it import MarkdownIt
from pypdf import PdfReader

from app.exports.akoma_ntoso import AKN
from tests.app.test_hostile_inputs import INPUTS, Hostile, InjectedMarkup, parsed
from tests.helpers.factories import World, assert_error
from tests.helpers.initiatives import new_initiative

NS = {"akn": AKN}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
IMPORT = "/api/v1/groups/klima/documents/import"

# NUL is refused by every field; the rest must reach the exports.
LARGE_PDF = os.environ.get("TANDEM_TEST_LARGE_PDF") == "1"
EXPORTABLE = [hostile for hostile in INPUTS if "\x00" not in hostile.value]


def stored_form(value: str) -> str:
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass
class Exported:
    """A document holding one hostile input wherever the field takes it."""

    world: World
    document_id: int
    text: str  # the stored form, in every paragraph text
    title_de: str
    title_fr: str
    initiative_name: str
    note: str
    label: str
    large: bool

    def get(self, path: str, **params: Any) -> Any:
        answer = self.world.api("member").get(
            f"/api/v1/documents/{self.document_id}/{path}", params=params
        )
        assert answer.status_code == 200, answer.text[:500]
        return answer


def accepted(answer: Any) -> bool:
    """True when the write was stored; a refusal must be a clear 4xx (never a 500)."""
    if answer.status_code in (200, 201):
        return True
    assert answer.status_code == 422, answer.text[:500]
    return False


def build(world: World, hostile: Hostile) -> Exported:
    moderator, member = world.api("moderator"), world.api("member")
    value = hostile.value
    created = moderator.post(
        "/api/v1/groups/klima/documents", json={"title_de": value, "title_fr": value}
    )
    if not accepted(created):
        created = moderator.post(
            "/api/v1/groups/klima/documents", json={"title_de": "Titel", "title_fr": "Titre"}
        )
        assert created.status_code == 201, created.text
    document = created.json()
    for kind in ("heading", "text", "recommendation"):
        added = moderator.post(
            f"/api/v1/documents/{document['id']}/paragraphs",
            json={"kind": kind, "de": value, "fr": value},
        )
        assert added.status_code == 201, added.text[:500]
        paragraph_id = added.json()["id"]
    if not accepted(member.post("/api/v1/initiatives", json=new_initiative(name_de=value))):
        assert member.post("/api/v1/initiatives", json=new_initiative()).status_code == 201
    initiative = member.get("/api/v1/initiatives/kehl-strasbourg-tram").json()
    note = ""
    linked = member.post(
        f"/api/v1/paragraphs/{paragraph_id}/evidence",
        json={"initiative_key": "kehl-strasbourg-tram", "note": value},
    )
    if accepted(linked):
        note = linked.json()["note"]
    else:
        linked = member.post(
            f"/api/v1/paragraphs/{paragraph_id}/evidence",
            json={"initiative_key": "kehl-strasbourg-tram", "note": ""},
        )
        assert linked.status_code == 201, linked.text
    versions = f"/api/v1/documents/{document['id']}/versions"
    if not accepted(moderator.post(versions, json={"label": value})):
        assert moderator.post(versions, json={"label": "Fassung"}).status_code == 201
    label = member.get(versions).json()[-1]["label"]
    return Exported(
        world=world,
        document_id=document["id"],
        text=stored_form(value),
        title_de=document["title_de"],
        title_fr=document["title_fr"],
        initiative_name=initiative["name_de"],
        note=note,
        label=label,
        large=hostile.large,
    )


@pytest.fixture(params=EXPORTABLE, ids=[hostile.name for hostile in EXPORTABLE])
def exported(world: World, request: pytest.FixtureRequest) -> Exported:
    return build(world, request.param)


def test_the_stored_texts_are_the_inputs_nfc_and_lf(exported: Exported) -> None:
    data = exported.get("export.json").json()
    assert data["title_de"] == exported.title_de and data["title_fr"] == exported.title_fr
    for paragraph in data["paragraphs"]:
        assert paragraph["texts"] == {"de": exported.text, "fr": exported.text}


def test_akoma_ntoso_parses_and_carries_every_text_exactly(exported: Exported) -> None:
    for version in (None, 1):
        params = {} if version is None else {"version": version}
        root = ET.fromstring(exported.get("export.xml", **params).content)
        paragraphs = root.findall("akn:doc/akn:mainBody/akn:paragraph", NS)
        assert [p.get("class") for p in paragraphs] == ["heading", "text", "recommendation"]
        for paragraph in paragraphs:
            texts = {
                p.get(XML_LANG): p.text or ""
                for p in paragraph.findall("akn:content/akn:p", NS)
                if p.get(XML_LANG)
            }
            assert texts == {"de": exported.text, "fr": exported.text}
        titles = {
            title.get(XML_LANG): title.findtext("akn:p/akn:docTitle", "", NS)
            for title in root.iter(f"{{{AKN}}}longTitle")
        }
        assert titles == {"de": exported.title_de, "fr": exported.title_fr}
        [note] = root.iter(f"{{{AKN}}}authorialNote")
        line = "".join(note.itertext()).strip()
        assert exported.initiative_name in line and line.endswith(exported.note)
    versioned = ET.fromstring(exported.get("export.xml", version=1).content)
    number = versioned.findtext("akn:doc/akn:preface/akn:p/akn:docNumber", "", NS)
    assert number == f"Version 1 — {exported.label}"


def test_docx_opens_and_carries_every_text_exactly(exported: Exported) -> None:
    document = open_docx(io.BytesIO(exported.get("export.docx", version=1).content))
    titles = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Title"
    ]
    assert titles == [exported.title_de, exported.title_fr]
    assert f"Version 1 — {exported.label}" in [p.text for p in document.paragraphs]
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    for number, row in enumerate(rows[1:], start=1):
        note = "[1]" if number == 3 else ""
        assert row == [f"{number}\u2002{exported.text}{note}"] * 2
    endnote = document.paragraphs[-1].text
    assert exported.initiative_name in endnote and endnote.endswith(exported.note)


def test_tracked_changes_docx_opens_with_the_inserted_text(exported: Exported) -> None:
    saved = exported.world.api("moderator").post(
        f"/api/v1/documents/{exported.document_id}/paragraphs",
        json={"kind": "text", "de": exported.text + " neu", "fr": ""},
    )
    assert saved.status_code == 201, saved.text[:500]
    content = exported.get("changes.docx", **{"from": 1}).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        body = ET.fromstring(archive.read("word/document.xml"))
    inserted = "".join(t.text or "" for ins in body.iter(f"{W}ins") for t in ins.iter(f"{W}t"))
    assert "neu" in inserted
    assert open_docx(io.BytesIO(content)).tables


def test_pdf_is_readable(exported: Exported) -> None:
    if exported.large and not LARGE_PDF:
        pytest.skip(
            "six texts of 200,000 characters take WeasyPrint minutes: TANDEM_TEST_LARGE_PDF=1"
        )
    content = exported.get("export.pdf").content
    pages = PdfReader(io.BytesIO(content)).pages
    text = "\n".join(page.extract_text() for page in pages).replace("\x00", "")
    assert "Deutsch" in text and "Français" in text


def any_link(url: str) -> bool:
    return bool(url) or True


def naive_html(markdown: str) -> str:
    """What a renderer makes of the file when it passes raw HTML and any link through."""
    renderer = MarkdownIt("commonmark", {"html": True})
    renderer.validateLink = any_link  # type: ignore[method-assign]
    html: str = renderer.render(markdown)
    return html


# Security issue 16 (known, not fixed here): the Markdown export writes each text as
# stored, so ``<script>``, ``<img onerror>`` and ``[x](javascript:...)`` reach any
# renderer of the file unescaped. The fix escapes ``<``, ``&`` and unsafe ``[`` in
# app/exports/markdown.py and undoes it in app/imports.py (the file must still import
# back unchanged); when it lands, these cases pass and strict xfail says so.
MARKDOWN_PASSES_RAW_HTML = pytest.mark.xfail(
    strict=True, reason="security issue 16: the Markdown export passes raw HTML through"
)


def test_markdown_lets_no_tag_or_javascript_link_of_a_text_through(
    exported: Exported, request: pytest.FixtureRequest
) -> None:
    if "<" in exported.text or "javascript:" in exported.text:
        request.node.add_marker(MARKDOWN_PASSES_RAW_HTML)
    for lang in ("de", "fr", "both"):
        markdown = exported.get("export.md", lang=lang).content.decode()
        assert parsed(InjectedMarkup(), naive_html(markdown)) == []


def test_markdown_imports_back_to_the_same_texts(exported: Exported) -> None:
    files = {
        "file": ("de.md", exported.get("export.md", lang="de").content, "text/markdown"),
        "file2": ("fr.md", exported.get("export.md", lang="fr").content, "text/markdown"),
    }
    answer = exported.world.api("moderator").post(IMPORT, files=files)
    assert answer.status_code == 201, answer.text[:500]
    document = exported.world.api("moderator").get(f"/api/v1/documents/{answer.json()['id']}")
    paragraphs = document.json()["paragraphs"]
    texts = [(p["texts"]["de"]["text"], p["texts"]["fr"]["text"]) for p in paragraphs]
    if not exported.text.strip():
        # A Markdown block cannot be blank: a blank text is written as ``<!-- empty -->``,
        # which comes back as an empty text paragraph (its kind is not kept).
        assert texts == [("", "")] * 3
        return
    assert texts == [(exported.text, exported.text)] * 3
    assert [p["kind"] for p in paragraphs] == ["heading", "text", "recommendation"]


# --- imports whose contents are the hostile inputs ---------------------------------------

PLACEHOLDER = "TANDEMPLATZHALTER"


def markdown_file(body: str, title: str = "Importiert") -> bytes:
    return f"---\ntitle: {json.dumps(title)}\n---\n\n{body}\n".encode()


def docx_file(cell: str) -> bytes:
    """A Word file with a table Deutsch | Français whose German cell holds ``cell`` as
    written in the XML (escaped, but otherwise byte for byte, NUL included)."""
    document = new_docx()
    document.add_paragraph("Importiert", style="Title")
    document.add_paragraph("Importé", style="Title")
    table = document.add_table(rows=2, cols=2)
    for column, value in enumerate(("Deutsch", "Français")):
        table.rows[0].cells[column].text = value
    table.rows[1].cells[0].text = PLACEHOLDER
    table.rows[1].cells[1].text = "Texte."
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                content = content.replace(PLACEHOLDER.encode(), xml_escape(cell).encode())
            target.writestr(item, content)
    return patched.getvalue()


def uploaded(world: World, content: bytes) -> Any:
    files = {"file": ("hostile", content, "application/octet-stream")}
    answer = world.api("moderator").post(
        IMPORT, files=files, data={"lang": "de", "title_fr": "Importé"}
    )
    return answer


def imported_texts(world: World, answer: Any) -> list[str]:
    document = world.api("moderator").get(f"/api/v1/documents/{answer.json()['id']}").json()
    return [p["texts"]["de"]["text"] for p in document["paragraphs"]]


def assert_import_refused(answer: Any, *about: str) -> None:
    message = assert_error(answer, 422, "validation_error")["message"]
    assert any(word in message for word in about), message


ALL = [pytest.param(hostile, id=hostile.name) for hostile in INPUTS]


@pytest.mark.parametrize("hostile", ALL)
def test_a_markdown_import_of_a_hostile_text_stores_it_exactly_or_refuses_it_clearly(
    world: World, hostile: Hostile
) -> None:
    answer = uploaded(world, markdown_file(hostile.value))
    text = stored_form(hostile.value)
    if "\x00" in hostile.value:
        assert_import_refused(answer, "NUL")
    elif not text.strip():
        assert_import_refused(answer, "no paragraphs")
    else:
        assert answer.status_code == 201, answer.text[:500]
        assert imported_texts(world, answer) == [text]


@pytest.mark.parametrize("hostile", ALL)
def test_a_hostile_markdown_title_is_stored_as_a_name_or_refused_clearly(
    world: World, hostile: Hostile
) -> None:
    answer = uploaded(world, markdown_file("Text.", title=hostile.value))
    title = stored_form(hostile.value).strip()
    if "\x00" in hostile.value:
        assert_import_refused(answer, "NUL")
    elif not title or "\n" in title or len(title) > 500:
        assert answer.status_code == 422, answer.text[:500]
    else:
        assert answer.status_code == 201, answer.text[:500]
        assert answer.json()["title_de"] == title


@pytest.mark.parametrize("hostile", ALL)
def test_a_docx_import_of_a_hostile_text_stores_it_exactly_or_refuses_it_clearly(
    world: World, hostile: Hostile
) -> None:
    answer = uploaded(world, docx_file(hostile.value))
    text = stored_form(hostile.value)
    if "\x00" in hostile.value:  # XML cannot hold it: the file is not well-formed
        assert_import_refused(answer, "damaged")
        return
    assert answer.status_code == 201, answer.text[:500]
    # a cell's surrounding blanks are layout: a blank German cell is an empty text
    assert imported_texts(world, answer) == [text.strip() and text]
