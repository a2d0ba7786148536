"""Machine translation behind one small interface: DeepL- or LibreTranslate-compatible APIs.

Only the standard library speaks HTTP here, so the feature needs no extra package. The
provider is chosen in the settings (``TANDEM_MACHINE_TRANSLATION_PROVIDER``, ``_URL``,
``_KEY``); without one, :func:`provider_for` returns None and the feature is hidden.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from app.config import Settings
from app.errors import AppError
from drafting.text import Lang


class TranslationFailed(AppError):
    status = 502
    code = "translation_failed"
    default_message = "The machine translation service did not answer; try again later."


class Translator(Protocol):
    @property
    def name(self) -> str: ...

    def translate(self, text: str, source: Lang, target: Lang) -> str: ...


@dataclass(frozen=True)
class _HttpTranslator:
    url: str
    key: str
    timeout: float
    path: ClassVar[str] = "/translate"

    def _endpoint(self) -> str:
        url = self.url.rstrip("/")
        return url if url.endswith("/translate") else url + self.path

    def _post(self, payload: dict[str, Any], headers: dict[str, str]) -> Any:
        request = urllib.request.Request(
            self._endpoint(),
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"} | headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as failure:
            raise TranslationFailed(
                "The machine translation service refused the request (HTTP {status}).",
                status=failure.code,
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError):
            raise TranslationFailed() from None


@dataclass(frozen=True)
class DeepL(_HttpTranslator):
    """POST {url}/v2/translate with ``{"text": [...], "source_lang", "target_lang"}``."""

    name: str = "deepl"
    path: ClassVar[str] = "/v2/translate"

    def translate(self, text: str, source: Lang, target: Lang) -> str:
        headers = {"Authorization": f"DeepL-Auth-Key {self.key}"} if self.key else {}
        answer = self._post(
            {
                "text": [text],
                "source_lang": source.value.upper(),
                "target_lang": target.value.upper(),
            },
            headers,
        )
        try:
            translated = answer["translations"][0]["text"]
        except (KeyError, IndexError, TypeError):
            raise TranslationFailed("The machine translation service answered nonsense.") from None
        return _text(translated)


@dataclass(frozen=True)
class LibreTranslate(_HttpTranslator):
    """POST {url}/translate with ``{"q", "source", "target", "format", "api_key"}``."""

    name: str = "libretranslate"

    def translate(self, text: str, source: Lang, target: Lang) -> str:
        payload = {"q": text, "source": source.value, "target": target.value, "format": "text"}
        if self.key:
            payload["api_key"] = self.key
        answer = self._post(payload, {})
        try:
            translated = answer["translatedText"]
        except (KeyError, TypeError):
            raise TranslationFailed("The machine translation service answered nonsense.") from None
        return _text(translated)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TranslationFailed("The machine translation service answered nonsense.")
    return value


def provider_for(settings: Settings) -> Translator | None:
    """The configured translator, or None when machine translation is not set up."""
    name = settings.machine_translation_provider.strip().lower()
    url = settings.machine_translation_url.strip()
    if not name or not url:
        return None
    timeout = settings.machine_translation_timeout_seconds
    key = settings.machine_translation_key
    if name == "deepl":
        return DeepL(url=url, key=key, timeout=timeout)
    if name == "libretranslate":
        return LibreTranslate(url=url, key=key, timeout=timeout)
    return None
