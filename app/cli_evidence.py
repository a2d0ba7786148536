"""Command-line commands for evidence (registered on app.cli.cli when imported)."""

from __future__ import annotations
