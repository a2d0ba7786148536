"""A developer's `.env` file and `TANDEM_*` variables cannot change what the suite runs with."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.config import Settings, get_settings
from tests.helpers.settings import isolate_from_local_settings, setting_variables, suite_settings

NOWHERE = "postgresql+psycopg://nobody@192.0.2.1:5432/not_the_test_database"


@pytest.fixture
def local_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory whose `.env` points elsewhere and turns the page cache off, and
    `TANDEM_*` variables that do the same in the environment."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / ".env").write_text(
        f"TANDEM_DATABASE_URL={NOWHERE}\nTANDEM_PAGE_CACHE_MB=0\nTANDEM_DEFAULT_LOCALE=fr\n"
    )
    monkeypatch.chdir(folder)
    monkeypatch.setenv("TANDEM_PAGE_CACHE_MB", "0")
    monkeypatch.setenv("tandem_session_days", "1")
    # Without the isolation these are what every setting read here would see.
    assert (Settings().database_url, Settings().page_cache_mb) == (NOWHERE, 0)
    assert Settings().session_days == 1
    return folder


def test_a_local_env_file_and_tandem_variables_do_not_change_the_suites_settings(
    local_settings: Path, database_url: str
) -> None:
    settings = suite_settings(database_url)
    defaults = Settings.model_fields
    assert settings.database_url == database_url
    assert settings.page_cache_mb == defaults["page_cache_mb"].default == 64
    assert settings.default_locale == defaults["default_locale"].default == "en"
    assert settings.session_days == defaults["session_days"].default
    assert settings.argon2_time_cost == 1


def test_processes_the_suite_starts_read_neither_the_env_file_nor_tandem_variables(
    local_settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line and server processes read their settings themselves (get_settings):
    after the isolation they find the defaults, plus what a test sets on purpose."""
    monkeypatch.setenv("TANDEM_TEST_POSTGRES_URL", "kept: the suite's own variable")
    isolate_from_local_settings(monkeypatch, tmp_path / "elsewhere")
    get_settings.cache_clear()
    try:
        seen = get_settings()
    finally:
        get_settings.cache_clear()
    assert seen.database_url == Settings.model_fields["database_url"].default
    assert (seen.page_cache_mb, seen.default_locale, seen.session_days) == (64, "en", 14)
    assert os.environ["TANDEM_TEST_POSTGRES_URL"] == "kept: the suite's own variable"


def test_the_suite_runs_without_a_local_env_file_or_tandem_settings() -> None:
    assert not Path(".env").exists(), f"{Path.cwd()} has a .env file"
    ambient = sorted(name for name in os.environ if name.upper() in setting_variables())
    assert ambient == []
