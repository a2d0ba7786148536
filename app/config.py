"""Settings, read from the environment with the prefix ``TANDEM_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TANDEM_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'tandem.db'}"
    # Cookies are marked Secure when the site is served over HTTPS (production).
    secure_cookies: bool = False
    # Addresses of reverse proxies whose X-Forwarded-For/-Proto headers are trusted, so that
    # login rate limits count real clients and not the proxy ("*" trusts every peer).
    forwarded_allow_ips: str = "127.0.0.1"
    session_days: int = 14
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile). Raising
    # them later is safe: hashes are upgraded on the next successful login.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    login_max_failures: int = 5
    login_window_seconds: int = 900
    max_body_bytes: int = 4 * 1024 * 1024
    default_locale: str = "en"
    sql_echo: bool = False
    # Rendered document pages kept per process while nothing they show changes; 0: off.
    page_cache_mb: int = 64
    # Optional machine translation: "deepl" or "libretranslate" (a DeepL- or
    # LibreTranslate-compatible HTTP API at the URL, with the key if it needs one). Empty:
    # the feature is hidden.
    machine_translation_provider: str = ""
    machine_translation_url: str = ""
    machine_translation_key: str = ""
    machine_translation_timeout_seconds: float = 20.0


@lru_cache
def get_settings() -> Settings:
    return Settings()
