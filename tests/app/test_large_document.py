"""The 5,000-paragraph document (class 6 of tests/data/hostile-inputs.md) through every
step a working group takes: import, page, save, diff, versions and their comparison, and
every export.

The document comes in through the import (5,000 is also its upper bound,
``app.imports.MAX_PARAGRAPHS``), in one transaction. The test is bounded by count, not
by the clock: it checks that each step completes and answers about all 5,000
paragraphs; the time each step took is printed (``pytest -s``), never asserted.

The PDF of 5,000 paragraphs (229 pages through WeasyPrint) took 280 s on a busy 2-core
machine, so that one step runs only with ``TANDEM_TEST_LARGE_PDF=1``; the PDF of
hostile inputs is tested in test_hostile_exports on every run.
"""

from __future__ import annotations

import io
import json
import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from app.exports.akoma_ntoso import AKN
from tests.helpers.factories import World

COUNT = 5000  # class 6 of the corpus; the import takes up to MAX_PARAGRAPHS at once
IMPORT = "/api/v1/groups/klima/documents/import"
LARGE_PDF = os.environ.get("TANDEM_TEST_LARGE_PDF") == "1"


def text(number: int, lang: str) -> str:
    if lang == "de":
        return f"Absatz {number}: Die Kommunen sollen »Wärmepläne« bis 2030 vorlegen."
    return f"Paragraphe {number}\u202f: les communes présentent «\u202fleurs plans\u202f»."


def markdown(lang: str) -> bytes:
    title = "Fünftausend Absätze" if lang == "de" else "Cinq mille paragraphes"
    blocks = [f'---\ntitle: "{title}"\nlang: {lang}\n---']
    blocks += [text(number, lang) for number in range(1, COUNT + 1)]
    return ("\n\n".join(blocks) + "\n").encode()


class Steps:
    """Times each step; prints them all at the end."""

    def __init__(self) -> None:
        self.durations: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.durations[name] = time.perf_counter() - started

    def report(self, backend: str) -> None:
        lines = [f"  {name}: {seconds:.2f} s" for name, seconds in self.durations.items()]
        print(f"\n{COUNT} paragraphs on {backend}:\n" + "\n".join(lines))


@pytest.fixture
def steps(world: World) -> Iterator[Steps]:
    timed = Steps()
    yield timed
    timed.report(world.app.state.engine.dialect.name)


def ok(answer: Any) -> Any:
    assert answer.status_code in (200, 201), answer.text[:500]
    return answer


def test_five_thousand_paragraphs_import_page_save_diff_compare_and_export(
    world: World, steps: Steps
) -> None:
    moderator = world.api("moderator")
    with steps.step("import (two Markdown files, one transaction)"):
        files = {
            "file": ("de.md", markdown("de"), "text/markdown"),
            "file2": ("fr.md", markdown("fr"), "text/markdown"),
        }
        document_id = ok(moderator.post(IMPORT, files=files)).json()["id"]
    base = f"/api/v1/documents/{document_id}"
    with steps.step("document as JSON"):
        paragraphs = ok(moderator.get(base)).json()["paragraphs"]
    assert len(paragraphs) == COUNT
    middle = paragraphs[COUNT // 2]
    assert middle["texts"]["de"]["text"] == text(COUNT // 2 + 1, "de")

    browser = world.browser("member")
    with steps.step("document page"):
        page = browser.get(f"/documents/{document_id}")
    assert page.status_code == 200
    assert page.text.count('class="paragraph') >= COUNT
    assert f"Absatz {COUNT}:" in page.text

    with steps.step("version 1"):
        ok(moderator.post(f"{base}/versions", json={"label": "Vor der Änderung"}))
    before = middle["texts"]["de"]["revision_id"]
    with steps.step("save one paragraph"):
        saved = ok(
            moderator.patch(
                f"/api/v1/paragraphs/{middle['id']}/texts/de",
                json={"text": "Die Kommunen legen Wärmepläne vor.", "base_revision_id": before},
            )
        ).json()
    with steps.step("diff of the saved paragraph"):
        diff = ok(
            moderator.get(
                f"/api/v1/paragraphs/{middle['id']}/diff",
                params={"from": before, "to": saved["revision_id"]},
            )
        ).json()
    assert {op for op, _words in diff["ops"]} == {-1, 0, 1}
    with steps.step("version 2"):
        ok(moderator.post(f"{base}/versions", json={"label": "Nach der Änderung"}))
    with steps.step("compare version 1 with version 2"):
        entries = ok(moderator.get(f"{base}/compare", params={"from": 1, "to": 2})).json()
    assert len(entries) == COUNT
    assert [entry["change"] for entry in entries].count("changed") == 1
    with steps.step("compare page"):
        compared = browser.get(f"/documents/{document_id}/compare", params={"from": 1, "to": 2})
    assert compared.status_code == 200

    exports: dict[str, Callable[[bytes], int]] = {
        "json": lambda content: len(json.loads(content)["paragraphs"]),
        "md": lambda content: content.decode().count("Paragraphe "),
        "xml": lambda content: len(list(ET.fromstring(content).iter(f"{{{AKN}}}paragraph"))),
        "docx": lambda content: len(open_docx(io.BytesIO(content)).tables[0].rows) - 1,
    }
    for fmt, count in exports.items():
        with steps.step(f"export {fmt}"):
            content = ok(moderator.get(f"{base}/export.{fmt}", params={"version": 2})).content
        assert count(content) == COUNT, fmt
    with steps.step("tracked changes DOCX, version 1 to 2"):
        changes = ok(moderator.get(f"{base}/changes.docx", params={"from": 1, "to": 2}))
    assert len(open_docx(io.BytesIO(changes.content)).tables[0].rows) - 1 == COUNT
    if LARGE_PDF:
        with steps.step("export pdf"):
            pdf = ok(moderator.get(f"{base}/export.pdf", params={"version": 2})).content
        last = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text().replace("\x00", "")
        assert str(COUNT) in last
