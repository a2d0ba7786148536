"""The databases the tests run on: SQLite always, PostgreSQL when a server is configured."""

from __future__ import annotations

import os

from alembic import command

from app.cli import alembic_config

POSTGRES_URL = os.environ.get("TANDEM_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def migrate(url: str) -> None:
    command.upgrade(alembic_config(url), "head")
