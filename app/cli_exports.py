"""Command-line commands for exports (registered on app.cli.cli when imported)."""

from __future__ import annotations
