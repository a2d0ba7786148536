"""JSON: the whole document as data."""

from __future__ import annotations

import json
from typing import Any

from app.exports.model import ExportDocument


def as_data(document: ExportDocument) -> dict[str, Any]:
    return {
        "id": document.id,
        "title_de": document.title_de,
        "title_fr": document.title_fr,
        "phase": document.phase,
        "version": None
        if document.version_number is None
        else {
            "number": document.version_number,
            "label": document.version_label,
            "created_at": document.version_created_at.isoformat()
            if document.version_created_at
            else None,
        },
        "adopted": document.adopted,
        "approvals": [
            {"government": a.government, "name": a.name, "at": a.at.isoformat()}
            for a in document.approvals
        ],
        "paragraphs": [
            {
                "id": p.id,
                "number": p.number,
                "kind": p.kind,
                "texts": {"de": p.de, "fr": p.fr},
                "alignment": p.alignment or None,
                "evidence": [
                    {
                        "initiative_key": e.initiative_key,
                        "name_de": e.name_de,
                        "name_fr": e.name_fr,
                        "country": e.country,
                        "note": e.note,
                    }
                    for e in p.evidence
                ],
            }
            for p in document.paragraphs
        ],
    }


def export_json(document: ExportDocument) -> bytes:
    return json.dumps(as_data(document), ensure_ascii=False, indent=2).encode("utf-8")
