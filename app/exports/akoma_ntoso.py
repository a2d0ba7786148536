"""Akoma Ntoso 3.0 XML.

One ``<doc name="recommendation">`` holds both languages, because both are originals of
the same text: every paragraph is one ``<paragraph>`` whose ``eId`` is ``para_<paragraph
id>`` (stable across versions, since paragraph ids never change) with its ``<num>`` and a
``<content>`` holding one ``<p xml:lang="de">`` and one ``<p xml:lang="fr">`` (eIds
``para_<id>__p_de`` / ``__p_fr``). The paragraph's kind is its ``class`` (heading, text,
recommendation); evidence links are ``<authorialNote>`` elements in a ``<p
class="evidence">`` after the texts, numbered like the PDF's endnotes. Titles, version and
approvals are in ``<meta>`` and ``<preface>``, with ``xml:lang`` per title.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.exports.model import ExportDocument, xml_safe

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE_CODES = {"de": "deu", "fr": "fra"}


def _tag(name: str) -> str:
    return f"{{{AKN}}}{name}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, /, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(tag), {k: xml_safe(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _identification(meta: ET.Element, document: ExportDocument) -> None:
    date = document.version_created_at
    day = date.date().isoformat() if date else "1970-01-01"
    base = f"/akn/eu/doc/recommendation/tandem-{document.id}"
    version = f"v{document.version_number}" if document.version_number else "current"
    identification = _sub(meta, "identification", source="#tandem")
    work = _sub(identification, "FRBRWork")
    _sub(work, "FRBRthis", value=f"{base}/!main")
    _sub(work, "FRBRuri", value=base)
    _sub(work, "FRBRdate", date=day, name="generation")
    _sub(work, "FRBRauthor", href="#tandem")
    _sub(work, "FRBRcountry", value="eu")
    expression = _sub(identification, "FRBRExpression")
    _sub(expression, "FRBRthis", value=f"{base}/mul@{version}/!main")
    _sub(expression, "FRBRuri", value=f"{base}/mul@{version}")
    _sub(expression, "FRBRdate", date=day, name="version")
    _sub(expression, "FRBRauthor", href="#tandem")
    for code in LANGUAGE_CODES.values():
        _sub(expression, "FRBRlanguage", language=code)
    manifestation = _sub(identification, "FRBRManifestation")
    _sub(manifestation, "FRBRthis", value=f"{base}/mul@{version}/!main.xml")
    _sub(manifestation, "FRBRuri", value=f"{base}/mul@{version}.akn")
    _sub(manifestation, "FRBRdate", date=day, name="generation")
    _sub(manifestation, "FRBRauthor", href="#tandem")


def export_akoma_ntoso(document: ExportDocument) -> bytes:
    ET.register_namespace("", AKN)
    root = ET.Element(_tag("akomaNtoso"))
    doc = _sub(root, "doc", name="recommendation")
    meta = _sub(doc, "meta")
    _identification(meta, document)
    if document.approvals:
        workflow = _sub(meta, "workflow", source="#tandem")
        for approval in document.approvals:
            government = approval.government.lower()
            _sub(
                workflow,
                "step",
                date=approval.at.date().isoformat(),
                by=f"#government-{government}",
                actor=f"#liaison-{government}",
                outcome="#approved",
            )
    references = _sub(meta, "references", source="#tandem")
    _sub(
        references,
        "TLCOrganization",
        eId="tandem",
        href="/ontology/organization/tandem",
        showAs="Tandem",
    )
    for approval in document.approvals:
        government = approval.government.lower()
        _sub(
            references,
            "TLCOrganization",
            eId=f"government-{government}",
            href=f"/ontology/organization/government-{government}",
            showAs=f"Government {approval.government}",
        )
        _sub(
            references,
            "TLCPerson",
            eId=f"liaison-{government}",
            href=f"/ontology/person/tandem/liaison-{government}",
            showAs=approval.name,
        )
    if document.approvals:
        _sub(
            references,
            "TLCConcept",
            eId="approved",
            href="/ontology/concept/approved",
            showAs="approved",
        )
    preface = _sub(doc, "preface")
    for lang in ("de", "fr"):
        title = _sub(preface, "longTitle", eId=f"longTitle_{lang}")
        title.set(XML_LANG, lang)
        title_block = _sub(title, "p")
        _sub(title_block, "docTitle", document.title(lang))
    status = _sub(preface, "p", eId="preface__status")
    _sub(status, "docNumber", document.version_text)
    _sub(status, "docStatus", "adopted" if document.adopted else document.phase)
    body = _sub(doc, "mainBody")
    marker = 0
    for paragraph in document.paragraphs:
        eid = f"para_{paragraph.id}"
        element = _sub(body, "paragraph", eId=eid)
        element.set("class", paragraph.kind)
        _sub(element, "num", str(paragraph.number))
        content = _sub(element, "content")
        for lang in ("de", "fr"):
            text = _sub(content, "p", paragraph.text(lang), eId=f"{eid}__p_{lang}")
            text.set(XML_LANG, lang)
        if paragraph.evidence:
            evidence_block = _sub(content, "p", eId=f"{eid}__evidence")
            evidence_block.set("class", "evidence")
            for index, evidence in enumerate(paragraph.evidence, start=1):
                marker += 1
                note = _sub(
                    evidence_block,
                    "authorialNote",
                    eId=f"{eid}__authorialNote_{index}",
                    marker=str(marker),
                    placement="bottom",
                )
                line = (
                    f"{evidence.initiative_key}: {evidence.name_de} / {evidence.name_fr}"
                    f" ({evidence.country})"
                )
                if evidence.note:
                    line += f" — {evidence.note}"
                _sub(note, "p", line)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml
