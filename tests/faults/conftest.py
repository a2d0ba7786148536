from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from app.config import Settings
from app.events import hub_for
from app.main import create_app
from tests.helpers.factories import World, build_world


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    """The usual world, built in this process; the tests serve it from other processes."""
    app: FastAPI = create_app(settings)
    yield build_world(app)
    hub_for(app.state.engine).stop()
    app.state.engine.dispose()
