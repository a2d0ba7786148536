"""Machine translation against a real local HTTP server speaking DeepL's and
LibreTranslate's JSON, started by the test (no mock of our own code)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI

from app.config import Settings
from app.events import hub_for
from app.main import create_app
from app.services.translation import provider_for
from tests.helpers.factories import World, assert_error, build_world

TRANSLATION = "De nombreuses collectivités ont proclamé l'urgence climatique."


@dataclass
class FakeProvider:
    """What the local server received and how it answers."""

    url: str = ""
    status: int = 200
    answer: Any = None
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    state = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            state.requests.append(
                {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
            )
            payload = json.dumps(state.answer).encode("utf-8")
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def configured_world(settings: Settings, provider: str, url: str, key: str = "") -> Iterator[World]:
    app: FastAPI = create_app(
        settings.model_copy(
            update={
                "machine_translation_provider": provider,
                "machine_translation_url": url,
                "machine_translation_key": key,
                "machine_translation_timeout_seconds": 5.0,
            }
        )
    )
    yield build_world(app)
    hub_for(app.state.engine).stop()
    app.state.engine.dispose()


@pytest.fixture
def libre_world(settings: Settings, provider: FakeProvider) -> Iterator[World]:
    provider.answer = {"translatedText": TRANSLATION}
    yield from configured_world(settings, "libretranslate", provider.url, "libre-key")


@pytest.fixture
def deepl_world(settings: Settings, provider: FakeProvider) -> Iterator[World]:
    provider.answer = {"translations": [{"detected_source_language": "DE", "text": TRANSLATION}]}
    yield from configured_world(settings, "deepl", provider.url, "deepl-key:fx")


def translate(world: World, paragraph_id: int, to: str = "fr", who: str = "member") -> Any:
    return world.api(who).post(f"/api/v1/paragraphs/{paragraph_id}/translate?to={to}")


def test_without_a_provider_the_feature_is_404_and_the_button_is_hidden(world: World) -> None:
    assert_error(translate(world, world.paragraph_ids[1]), 404, "not_found")
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "Machine-translate" not in page
    translate_page = world.browser("member").get(f"/documents/{world.document_id}/translate")
    assert "Machine-translate" not in translate_page.text


def test_libretranslate_output_lands_as_an_unreviewed_machine_revision(
    libre_world: World, provider: FakeProvider
) -> None:
    world = libre_world
    paragraph = world.paragraph_ids[1]
    answer = translate(world, paragraph)
    assert answer.status_code == 200, answer.text
    assert answer.json()["source"] == "machine" and answer.json()["text"] == TRANSLATION
    [request] = provider.requests
    assert request["path"] == "/translate"
    assert request["body"] == {
        "q": "Viele Kommunen haben den Klimanotstand ausgerufen.",
        "source": "de",
        "target": "fr",
        "format": "text",
        "api_key": "libre-key",
    }
    history = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/revisions?lang=fr").json()
    assert history[0]["source"] == "machine" and history[0]["author"] == "jonas"
    detail = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/alignment").json()
    assert detail["status"] != "in_sync", "a machine translation is never an alignment"
    assert detail["unreviewed_machine_translation"] == ["fr"]


def test_confirming_a_machine_translation_marks_it_reviewed(libre_world: World) -> None:
    world = libre_world
    paragraph = world.paragraph_ids[1]
    translate(world, paragraph)
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "Machine translation, not reviewed yet" in page
    ids = {
        "de_revision_id": world.current(paragraph, "de")["revision_id"],
        "fr_revision_id": world.current(paragraph, "fr")["revision_id"],
    }
    assert (
        world.api("member").post(f"/api/v1/paragraphs/{paragraph}/alignment", json=ids).status_code
        == 200
    )
    detail = world.api("member").get(f"/api/v1/paragraphs/{paragraph}/alignment").json()
    assert detail["status"] == "in_sync" and detail["unreviewed_machine_translation"] == []


def test_deepl_is_called_with_its_json_shape_and_key(
    deepl_world: World, provider: FakeProvider
) -> None:
    world = deepl_world
    answer = translate(world, world.paragraph_ids[2], to="de")
    assert answer.status_code == 200, answer.text
    [request] = provider.requests
    assert request["path"] == "/v2/translate"
    assert request["auth"] == "DeepL-Auth-Key deepl-key:fx"
    assert request["body"] == {
        "text": ["L'État doit faire de la protection du climat une compétence obligatoire."],
        "source_lang": "FR",
        "target_lang": "DE",
    }
    assert world.current(world.paragraph_ids[2], "de")["text"] == TRANSLATION


def test_a_failing_provider_is_a_clear_error_and_changes_nothing(
    libre_world: World, provider: FakeProvider
) -> None:
    world = libre_world
    paragraph = world.paragraph_ids[1]
    before = world.current(paragraph, "fr")
    provider.status = 500
    provider.answer = {"error": "boom"}
    error = assert_error(translate(world, paragraph), 502, "translation_failed")
    assert "HTTP 500" in error["message"]
    provider.status = 200
    provider.answer = {"unexpected": True}
    assert_error(translate(world, paragraph), 502, "translation_failed")
    assert world.current(paragraph, "fr") == before


def test_a_provider_answer_with_control_characters_is_refused(
    libre_world: World, provider: FakeProvider
) -> None:
    provider.answer = {"translatedText": "bad\x00text"}
    assert_error(translate(libre_world, libre_world.paragraph_ids[1]), 422, "validation_error")


def test_liaison_may_not_machine_translate_and_outsider_gets_404(libre_world: World) -> None:
    paragraph = libre_world.paragraph_ids[1]
    assert_error(translate(libre_world, paragraph, who="liaison_fr"), 403, "forbidden")
    assert_error(translate(libre_world, paragraph, who="outsider"), 404, "not_found")


def test_browser_button_translates_and_returns_to_the_document(libre_world: World) -> None:
    world = libre_world
    paragraph = world.paragraph_ids[1]
    browser = world.browser("member")
    page = browser.get(f"/documents/{world.document_id}").text
    assert "Machine-translate from DE" in page
    answer = browser.post(f"/paragraphs/{paragraph}/machine-translation", data={"to": "fr"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/documents/{world.document_id}#p-{paragraph}"
    assert world.current(paragraph, "fr")["text"] == TRANSLATION


@pytest.mark.parametrize(
    ("provider_name", "url", "expected"),
    [
        ("", "http://127.0.0.1:9", None),
        ("deepl", "", None),
        ("unknown", "http://127.0.0.1:9", None),
        ("DeepL", "http://127.0.0.1:9", "deepl"),
        ("libretranslate", "http://127.0.0.1:9/translate", "libretranslate"),
    ],
)
def test_only_a_complete_known_configuration_enables_machine_translation(
    settings: Settings, provider_name: str, url: str, expected: str | None
) -> None:
    configured = settings.model_copy(
        update={"machine_translation_provider": provider_name, "machine_translation_url": url}
    )
    translator = provider_for(configured)
    assert (translator.name if translator else None) == expected


def test_an_unreachable_provider_is_a_clear_error(settings: Settings) -> None:
    from app.services.translation import TranslationFailed
    from drafting.text import Lang

    unreachable = settings.model_copy(
        update={
            "machine_translation_provider": "libretranslate",
            "machine_translation_url": "http://127.0.0.1:9",
            "machine_translation_timeout_seconds": 2.0,
        }
    )
    translator = provider_for(unreachable)
    assert translator is not None
    with pytest.raises(TranslationFailed):
        translator.translate("Hallo", Lang.DE, Lang.FR)
