"""The real texts the tests run on, kept in tests/data."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data"
RECOMMENDATION = CORPUS / "recommendation-climate-neutral-municipalities.json"
INITIATIVES_CSV = CORPUS / "local-initiatives.csv"
