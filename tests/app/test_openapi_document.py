"""The published OpenAPI document: one name per shape, and the API under /api/v1 only."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def openapi(client: TestClient) -> dict[str, Any]:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def test_no_schema_name_is_made_unique_by_its_module_path(client: TestClient) -> None:
    # FastAPI names a component "app__routes__x__Name" when two models share a name.
    names = openapi(client)["components"]["schemas"]
    leaked = sorted(name for name in names if "__" in name)
    assert not leaked, f"schema names that collide with another: {leaked}"


def test_every_api_operation_is_under_api_v1_and_tagged(client: TestClient) -> None:
    for path, operations in openapi(client)["paths"].items():
        assert path.startswith("/api/v1/"), path
        for method, operation in operations.items():
            assert operation.get("tags"), f"{method.upper()} {path} has no tag"
