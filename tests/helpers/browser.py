"""Steps the browser tests share: logging in as a demo user, the API beside the browser,
and the folder for screenshots and traces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from playwright.sync_api import Page, expect

from app.demo.seed import DEMO_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


class Api:
    def __init__(self, base_url: str, username: str) -> None:
        self.client = httpx2.Client(base_url=base_url)
        answer = self.client.post(
            "/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 201, answer.text
        self.client.headers["Authorization"] = f"Bearer {answer.json()['token']}"

    def close(self) -> None:
        self.client.close()

    def call(self, method: str, path: str, json: Any = None, status: int = 200) -> Any:
        answer = self.client.request(method, path, json=json)
        assert answer.status_code == status, answer.text
        return answer.json()
