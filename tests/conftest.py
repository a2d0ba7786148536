"""Fixtures shared by all app tests: a real database per run (SQLite, and PostgreSQL when
TANDEM_TEST_POSTGRES_URL is set), emptied before each test, and settings that no local
`.env` file or `TANDEM_*` variable can change."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)
from app.config import Settings, get_settings
from tests.helpers.databases import BACKENDS, POSTGRES_URL, migrate
from tests.helpers.settings import isolate_from_local_settings, suite_settings


@pytest.fixture(scope="session", autouse=True)
def isolated_from_local_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The whole run, and every process it starts, ignores the developer's `.env` and
    `TANDEM_*` settings (see tests/helpers/settings.py)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate_from_local_settings(monkeypatch, tmp_path_factory.mktemp("working-directory"))
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, migrated database for this test run; dropped at the end."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'tandem.db'}"
        migrate(url)
        yield url
        return
    assert POSTGRES_URL is not None
    name = f"tandem_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def empty_database(url: str) -> None:
    engine = create_engine(url)
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for name in tables:
                connection.exec_driver_sql(f'DELETE FROM "{name}"')
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    empty_database(database_url)
    return suite_settings(database_url)
