"""The suite's settings: its own values, never a developer's `.env` or `TANDEM_*` variables.

Two layers keep a local setting from changing what the suite proves:

- :func:`suite_settings` builds the settings the tests give the app from explicit values
  and the defaults only (no environment, no `.env`);
- :func:`isolate_from_local_settings` (autouse for the whole session, in tests/conftest.py)
  removes every `TANDEM_*` variable that names a setting and moves into a folder without a
  `.env`, so that what reads the settings by itself — the command line, a server process —
  sees the defaults plus what a test sets on purpose.

The suite's own variables (``TANDEM_TEST_POSTGRES_URL``, ``TANDEM_REQUIRE_BROWSER``,
``TANDEM_LOAD_SECONDS``, ``TANDEM_FUZZ_EXAMPLES``) name no setting and stay.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from app.config import Settings

# Cheap argon2 costs keep the suite fast; production uses the defaults.
CHEAP_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


class _ExplicitSettings(Settings):
    """Settings from the values given and the defaults, whatever the environment holds."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        *_other_sources: PydanticBaseSettingsSource,  # environment, .env, secrets: none
        **_: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        del settings_cls
        return (init_settings,)


def suite_settings(database_url: str, **values: Any) -> Settings:
    """What the tests run the app with: the database, cheap hashing and ``values``."""
    return _ExplicitSettings(database_url=database_url, **(CHEAP_HASHING | values))


def setting_variables() -> set[str]:
    """The environment variables the app reads, in upper case (pydantic-settings ignores
    the case of names)."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    return {f"{prefix}{name}".upper() for name in Settings.model_fields}


def isolate_from_local_settings(monkeypatch: pytest.MonkeyPatch, clean_folder: Path) -> None:
    """Forget the `TANDEM_*` settings of this environment and leave any `.env` behind."""
    names = setting_variables()
    for variable in list(os.environ):
        if variable.upper() in names:
            monkeypatch.delenv(variable)
    clean_folder.mkdir(parents=True, exist_ok=True)
    assert not (clean_folder / ".env").exists()
    monkeypatch.chdir(clean_folder)
