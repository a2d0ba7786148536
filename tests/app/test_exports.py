from __future__ import annotations

import io
import json
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from app.exports.akoma_ntoso import AKN
from app.exports.docx import export_docx
from app.exports.model import ExportDocument, ExportEvidence, ExportParagraph
from app.exports.pdf import export_pdf, wrap
from app.models import EvidenceLink, Initiative
from tests.helpers.factories import World, assert_error, session_of

NS = {"akn": AKN}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = unicodedata.normalize(
    "NFC",
    '<script>alert(1)</script> & ]]> "><img src=x onerror=alert(1)> {{ 7*7 }} {% raw %}'
    " 👩🏽\u200d⚖️ 𝔘 \u202eabc\u202c \u200b\u00ad\ufeff ẞ u\u0308 « x\u202f» ’ œ",
)


def export(world: World, fmt: str, who: str = "member", **params: Any) -> Any:
    answer = world.api(who).get(
        f"/api/v1/documents/{world.document_id}/export.{fmt}", params=params
    )
    assert answer.status_code == 200, answer.text
    return answer


def pdf_text(content: bytes) -> str:
    """The PDF's text; pypdf reads some of WeasyPrint's two-byte font codes with a NUL
    between the letters, which says nothing about the PDF (pdftotext reads it cleanly)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\x00", "")


def docx_rows(content: bytes) -> list[list[str]]:
    table = open_docx(io.BytesIO(content)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def akn_paragraphs(content: bytes) -> dict[str, dict[str, str]]:
    root = ET.fromstring(content)
    assert root.tag == f"{{{AKN}}}akomaNtoso"
    [doc] = root.findall("akn:doc", NS)
    assert doc.get("name") == "recommendation"
    found = {}
    for paragraph in doc.findall("akn:mainBody/akn:paragraph", NS):
        texts = {p.get(XML_LANG): p.text or "" for p in paragraph.findall("akn:content/akn:p", NS)}
        found[paragraph.get("eId", "")] = {
            "kind": paragraph.get("class", ""),
            "num": paragraph.findtext("akn:num", "", NS),
            **{lang: texts[lang] for lang in ("de", "fr")},
        }
    return found


def save(world: World, paragraph_id: int, lang: str, text: str) -> None:
    base = world.current(paragraph_id, lang)["revision_id"]
    answer = world.api("moderator").patch(
        f"/api/v1/paragraphs/{paragraph_id}/texts/{lang}",
        json={"text": text, "base_revision_id": base},
    )
    assert answer.status_code == 200, answer.text


def create_version(world: World, label: str = "Erster Entwurf") -> None:
    answer = world.api("moderator").post(
        f"/api/v1/documents/{world.document_id}/versions", json={"label": label}
    )
    assert answer.status_code == 201, answer.text


def test_pdf_export_prints_both_languages_with_a_title_page(world: World) -> None:
    answer = export(world, "pdf")
    assert answer.headers["content-type"] == "application/pdf"
    assert 'filename="tandem-document-' in answer.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(answer.content))
    title_page = reader.pages[0].extract_text().replace("\x00", "")
    assert "Klimaneutrale Kommunen" in title_page
    assert "Collectivités neutres en carbone" in title_page
    assert "Aktueller Text" in title_page and "Nicht genehmigt" in title_page
    text = pdf_text(answer.content)
    for expected in ("Deutsch", "Français", "Präambel", "Préambule", "Klimanotstand", "urgence"):
        assert expected in text


def test_docx_export_is_an_editable_two_column_table(world: World) -> None:
    answer = export(world, "docx")
    document = open_docx(io.BytesIO(answer.content))
    titles = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Title"
    ]
    assert titles == ["Klimaneutrale Kommunen", "Collectivités neutres en carbone"]
    rows = docx_rows(answer.content)
    assert rows[0] == ["Deutsch", "Français"]
    assert len(rows) == 4 and all(len(row) == 2 for row in rows)
    assert rows[1][0].endswith("Präambel") and rows[1][1].endswith("Préambule")
    assert rows[3][0].startswith("3") and "Pflichtaufgabe" in rows[3][0]
    assert "compétence obligatoire" in rows[3][1]


def test_markdown_export_holds_one_language(world: World) -> None:
    german = export(world, "md", lang="de").content.decode()
    french = export(world, "md", lang="fr").content.decode()
    assert german.startswith(
        '---\ntitle: "Klimaneutrale Kommunen"\nlang: de\n---\n\n## Präambel\n\n'
    )
    assert "<!-- recommendation -->\nBund und Länder" in german
    assert "Préambule" not in german and "Präambel" not in french
    assert french.startswith('---\ntitle: "Collectivités neutres en carbone"\nlang: fr\n---')
    both = export(world, "md").content.decode()
    assert "Präambel" in both and "Préambule" in both


def test_akoma_ntoso_export_has_a_stable_eid_per_paragraph_in_both_languages(
    world: World,
) -> None:
    answer = export(world, "xml")
    paragraphs = akn_paragraphs(answer.content)
    assert list(paragraphs) == [f"para_{pid}" for pid in world.paragraph_ids]
    first = paragraphs[f"para_{world.paragraph_ids[0]}"]
    assert first == {"kind": "heading", "num": "1", "de": "Präambel", "fr": "Préambule"}
    assert paragraphs[f"para_{world.paragraph_ids[2]}"]["kind"] == "recommendation"
    root = ET.fromstring(answer.content)
    titles = {
        t.get(XML_LANG): t.findtext("akn:p/akn:docTitle", "", NS)
        for t in root.iter(f"{{{AKN}}}longTitle")
    }
    assert titles == {"de": "Klimaneutrale Kommunen", "fr": "Collectivités neutres en carbone"}
    # The eIds do not depend on the order: moving a paragraph keeps them.
    moved = world.api("moderator").patch(
        f"/api/v1/paragraphs/{world.paragraph_ids[2]}", json={"position": 1}
    )
    assert moved.status_code == 200, moved.text
    again = akn_paragraphs(export(world, "xml").content)
    assert list(again)[0] == f"para_{world.paragraph_ids[2]}"
    assert again[f"para_{world.paragraph_ids[2]}"]["num"] == "1"


def test_json_export_lists_the_paragraphs(world: World) -> None:
    data = export(world, "json").json()
    assert data["version"] is None
    assert [p["id"] for p in data["paragraphs"]] == world.paragraph_ids
    assert data["paragraphs"][0]["texts"] == {"de": "Präambel", "fr": "Préambule"}


def test_a_version_exports_its_frozen_text_and_label(world: World) -> None:
    create_version(world, "Zur Prüfung")
    save(world, world.paragraph_ids[1], "de", "Ein ganz neuer Text.")
    old = pdf_text(export(world, "pdf", version=1).content)
    assert "Zur Prüfung" in old and "Fassung 1" in old
    assert "Klimanotstand" in old and "ganz neuer" not in old
    current = export(world, "md", lang="de").content.decode()
    assert "Ein ganz neuer Text." in current
    frozen_rows = docx_rows(export(world, "docx", version=1).content)
    assert "Klimanotstand" in frozen_rows[2][0]
    assert export(world, "json", version=1).json()["version"]["label"] == "Zur Prüfung"
    frozen = akn_paragraphs(export(world, "xml", version=1).content)
    assert "Klimanotstand" in frozen[f"para_{world.paragraph_ids[1]}"]["de"]


def test_unknown_versions_formats_and_languages_are_refused(world: World) -> None:
    member = world.api("member")
    base = f"/api/v1/documents/{world.document_id}"
    assert_error(member.get(f"{base}/export.pdf?version=4"), 404, "not_found")
    assert_error(member.get(f"{base}/export.pdf?version=0"), 422, "validation_error")
    assert_error(member.get(f"{base}/export.pdf?version=2e70"), 422, "validation_error")
    assert_error(member.get(f"{base}/export.exe"), 422, "validation_error")
    assert_error(member.get(f"{base}/export.md?lang=en"), 422, "validation_error")
    assert_error(member.get("/api/v1/documents/99999999/export.md"), 404, "not_found")
    assert_error(member.get(f"{base}/changes.docx?from=1"), 404, "not_found")
    assert_error(member.get(f"{base}/changes.docx"), 422, "validation_error")


def test_outsiders_get_404_for_every_export_and_liaisons_may_export(world: World) -> None:
    base = f"/api/v1/documents/{world.document_id}"
    outsider = world.api("outsider")
    for fmt in ("pdf", "docx", "md", "xml", "json"):
        assert_error(outsider.get(f"{base}/export.{fmt}"), 404, "not_found")
    create_version(world)
    assert_error(outsider.get(f"{base}/changes.docx?from=1"), 404, "not_found")
    assert export(world, "docx", who="liaison_fr").status_code == 200
    browser = world.browser("outsider")
    assert browser.get(f"/documents/{world.document_id}/export.pdf").status_code == 404


def test_hostile_texts_survive_every_export(world: World) -> None:
    pid = world.paragraph_ids[1]
    create_version(world)
    save(world, pid, "de", HOSTILE)
    save(world, pid, "fr", "# pas un titre\n\n<!-- x --> " + HOSTILE)
    xml = akn_paragraphs(export(world, "xml").content)
    assert xml[f"para_{pid}"]["de"] == HOSTILE
    rows = docx_rows(export(world, "docx").content)
    assert HOSTILE in rows[2][0]
    german = export(world, "md", lang="de").content.decode()
    assert HOSTILE in german
    assert export(world, "json").json()["paragraphs"][1]["texts"]["de"] == HOSTILE
    text = pdf_text(export(world, "pdf").content)
    assert "alert(1)" in text and "7*7" in text
    changes = world.api("member").get(
        f"/api/v1/documents/{world.document_id}/changes.docx", params={"from": 1}
    )
    with zipfile.ZipFile(io.BytesIO(changes.content)) as archive:
        body = ET.fromstring(archive.read("word/document.xml"))
    inserted = "".join(t.text or "" for ins in body.iter(f"{W}ins") for t in ins.iter(f"{W}t"))
    assert "<script>alert(1)</script>" in inserted and "👩🏽\u200d⚖️" in inserted
    # The same text in the title survives too.
    with session_of(world.app) as session:
        from app.models import Document

        document = session.get(Document, world.document_id)
        assert document is not None
        document.title_de = "<b>&amp;</b> 👩🏽\u200d⚖️ \u202e"
        session.add(document)
        session.commit()
    root = ET.fromstring(export(world, "xml").content)
    assert "<b>&amp;</b>" in "".join(root.itertext())
    assert export(world, "pdf").status_code == 200
    assert export(world, "docx").status_code == 200


def test_evidence_links_become_numbered_endnotes(world: World) -> None:
    with session_of(world.app) as session:
        initiative = Initiative(
            key="kehl-solar",
            name_de="Solardächer Kehl",
            name_fr="Toits solaires de Kehl",
            municipality="Kehl",
            country="DE",
        )
        session.add(initiative)
        session.flush()
        assert initiative.id is not None
        session.add(
            EvidenceLink(
                paragraph_id=world.paragraph_ids[2],
                document_id=world.document_id,
                initiative_id=initiative.id,
                note="Zeigt <dass> es geht & wie.",
            )
        )
        session.commit()
    text = pdf_text(export(world, "pdf").content)
    assert "Belege · Sources" in text
    assert "[1]" in text and "Solardächer Kehl" in text and "Zeigt <dass> es geht & wie." in text
    root = ET.fromstring(export(world, "xml").content)
    [note] = root.iter(f"{{{AKN}}}authorialNote")
    assert note.get("eId") == f"para_{world.paragraph_ids[2]}__authorialNote_1"
    assert "kehl-solar" in "".join(note.itertext())
    document = open_docx(io.BytesIO(export(world, "docx").content))
    assert any("Toits solaires de Kehl" in p.text for p in document.paragraphs)
    assert export(world, "json").json()["paragraphs"][2]["evidence"][0]["initiative_key"] == (
        "kehl-solar"
    )


def test_tracked_changes_docx_marks_insertions_and_deletions(world: World) -> None:
    create_version(world)
    save(world, world.paragraph_ids[1], "de", "Viele Städte haben den Klimanotstand ausgerufen.")
    deleted = world.api("moderator").delete(f"/api/v1/paragraphs/{world.paragraph_ids[0]}")
    assert deleted.status_code == 204
    answer = world.api("member").get(
        f"/api/v1/documents/{world.document_id}/changes.docx", params={"from": 1}
    )
    assert answer.status_code == 200, answer.text
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        body = ET.fromstring(archive.read("word/document.xml"))
    inserted = ["".join(t.text or "" for t in ins.iter(f"{W}t")) for ins in body.iter(f"{W}ins")]
    removed = ["".join(t.text or "" for t in d.iter(f"{W}delText")) for d in body.iter(f"{W}del")]
    assert "Städte" in inserted and "Kommunen" in removed
    assert "Präambel" in removed and "Préambule" in removed
    ids = [
        element.get(f"{W}id") for element in body.iter() if element.tag in (f"{W}ins", f"{W}del")
    ]
    assert len(ids) == len(set(ids))
    # python-docx still opens it, and the unchanged words are plain runs.
    rows = docx_rows(answer.content)
    assert "den Klimanotstand ausgerufen." in rows[2][0]


def test_browser_exports_from_the_document_page(world: World) -> None:
    browser = world.browser("member")
    page = browser.get(f"/documents/{world.document_id}")
    assert f"/documents/{world.document_id}/export.pdf" in page.text
    assert f"/documents/{world.document_id}/changes.docx" in page.text
    chosen = browser.get(
        f"/documents/{world.document_id}/export", params={"format": "md", "lang": "fr"}
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == f"/documents/{world.document_id}/export.md?lang=fr"
    download = browser.get(chosen.headers["location"])
    assert download.status_code == 200
    assert 'title: "Collectivités neutres en carbone"' in download.text
    assert browser.get(f"/documents/{world.document_id}/export.pdf").content.startswith(b"%PDF")


def test_exporters_are_pure_functions_of_the_export_document() -> None:
    evidence = ExportEvidence("k", "Name", "Nom", "FR", "")
    document = ExportDocument(
        id=7,
        title_de="T",
        title_fr="T",
        phase="review",
        paragraphs=(
            ExportParagraph(1, 1, "text", "Wort " * 400, "\ufffe\ud800 odd", evidence=(evidence,)),
        ),
        version_number=2,
        version_label="L",
    )
    assert export_pdf(document).startswith(b"%PDF")
    assert (
        open_docx(io.BytesIO(export_docx(document))).tables[0].rows[1].cells[1].text.count("\ufffd")
        == 2
    )
    lines = wrap("Wort " * 400)
    assert len(lines) > 20 and all(len(line) <= 48 for line in lines)


def test_tandem_export_writes_the_file(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import cli
    from app.config import get_settings
    from tests.helpers.cli import EngineClosingRunner

    monkeypatch.setenv("TANDEM_DATABASE_URL", world.app.state.settings.database_url)
    get_settings.cache_clear()
    try:
        runner = EngineClosingRunner()
        target = tmp_path / "out.json"
        result = runner.invoke(
            cli, ["export", str(world.document_id), "--format", "json", "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(target.read_text())["title_de"] == "Klimaneutrale Kommunen"
        result = runner.invoke(
            cli,
            [
                "export",
                str(world.document_id),
                "--format",
                "md",
                "--version",
                "9",
                "-o",
                str(tmp_path / "x.md"),
            ],
        )
        assert result.exit_code == 1
        assert "Version 9 does not exist" in result.output
    finally:
        get_settings.cache_clear()


def test_the_adopted_version_prints_who_approved_it(world: World) -> None:
    def post(who: str, path: str, body: dict[str, Any]) -> None:
        answer = world.api(who).post(f"/api/v1/documents/{world.document_id}/{path}", json=body)
        assert answer.status_code in (200, 201), answer.text

    for target in ("amendments", "consolidation"):
        post("moderator", "phase", {"phase": target})
    post("moderator", "phase", {"phase": "review", "reason": "Übersetzung folgt."})
    post("liaison_de", "reviews", {"version": 1, "decision": "approve", "comment": ""})
    half = pdf_text(export(world, "pdf", version=1).content)
    assert "Genehmigt von: DE" in half and "Approuvé par : DE" in half
    post("liaison_fr", "reviews", {"version": 1, "decision": "approve", "comment": "OK"})
    title_page = pdf_text(export(world, "pdf", version=1).content).split("Deutsch")[0]
    assert "Angenommen · Adopté" in title_page
    assert "Anna" in title_page and "Helene" in title_page
    data = export(world, "json", version=1).json()
    assert data["adopted"] is True
    assert [a["government"] for a in data["approvals"]] == ["DE", "FR"]
    root = ET.fromstring(export(world, "xml", version=1).content)
    assert root.findtext("akn:doc/akn:preface/akn:p/akn:docStatus", "", NS) == "adopted"
    assert len(list(root.iter(f"{{{AKN}}}step"))) == 2
    browser = world.browser("liaison_de")
    changes = browser.get(f"/documents/{world.document_id}/changes.docx?from=1")
    assert changes.status_code == 200
    assert changes.content.startswith(b"PK")
