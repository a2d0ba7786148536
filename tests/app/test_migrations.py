"""The Alembic migrations and the SQLModel models describe the same schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from app.cli import alembic_config
from app.config import Settings
from app.queries.search import is_modelled
from tests.helpers.databases import BACKENDS, POSTGRES_URL


def differences(url: str) -> list[Any]:
    engine = create_engine(url)
    try:
        # Alembic reflects SQLite's DEFAULT '' as "('')" and reports it as changed although
        # the DDL is identical, so server defaults are compared on PostgreSQL only.
        compare_server_default = engine.dialect.name != "sqlite"
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": compare_server_default,
                    # The full-text search index is created by its migration, not a model.
                    "include_name": is_modelled,
                },
            )
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def tables_of(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database that no migration has touched yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    assert POSTGRES_URL is not None
    name = f"tandem_migrations_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


def test_models_and_migrations_agree(settings: Settings) -> None:
    assert differences(settings.database_url) == []


def test_migrated_database_is_at_the_single_head(settings: Settings) -> None:
    script = ScriptDirectory.from_config(alembic_config(settings.database_url))
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations have several heads: {heads}"
    assert current_revision(settings.database_url) == heads[0]


def test_every_model_table_is_created_by_the_migrations(settings: Settings) -> None:
    expected = set(SQLModel.metadata.tables)
    assert expected <= tables_of(settings.database_url)


def test_downgrade_to_base_and_upgrade_again_on_a_fresh_database(fresh_database_url: str) -> None:
    config = alembic_config(fresh_database_url)
    model_tables = set(SQLModel.metadata.tables)
    command.upgrade(config, "head")
    assert model_tables <= tables_of(fresh_database_url)
    assert differences(fresh_database_url) == []

    command.downgrade(config, "base")
    assert tables_of(fresh_database_url) & model_tables == set()
    assert current_revision(fresh_database_url) is None

    command.upgrade(config, "head")
    assert model_tables <= tables_of(fresh_database_url)
    assert differences(fresh_database_url) == []
    heads = ScriptDirectory.from_config(config).get_heads()
    assert current_revision(fresh_database_url) == heads[0]


def test_each_revision_upgrades_and_downgrades_one_step(fresh_database_url: str) -> None:
    config = alembic_config(fresh_database_url)
    script = ScriptDirectory.from_config(config)
    revisions = list(reversed(list(script.walk_revisions())))
    assert revisions, "there are no migrations"
    for revision in revisions:
        command.upgrade(config, revision.revision)
        assert current_revision(fresh_database_url) == revision.revision
    for revision in reversed(revisions):
        assert current_revision(fresh_database_url) == revision.revision
        command.downgrade(config, "-1")
    assert current_revision(fresh_database_url) is None
