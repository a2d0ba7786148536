"""A real server on loopback and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.demo.seed import seed_demo
from app.main import create_app
from tests.helpers.browser import ARTIFACTS
from tests.helpers.databases import migrate
from tests.helpers.live import serving
from tests.helpers.settings import suite_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo, served by uvicorn from a fresh SQLite database."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'tandem.db'}"
    migrate(url)
    app = create_app(suite_settings(url))
    with app.state.sessions() as session:
        seed_demo(session)
    with serving(app) as base_url:
        yield base_url
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("TANDEM_REQUIRE_BROWSER"):
            pytest.fail("/usr/bin/chromium is missing (apt-get install -y chromium)")
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: object, request: pytest.FixtureRequest) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(chromium, Browser)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    browser_page = context.new_page()
    yield browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    browser_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
