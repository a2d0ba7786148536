"""What the server does once before taking traffic."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from app.main import ready_for_traffic
from app.templating import environment


def test_the_server_compiles_every_template_and_freezes_the_long_lived_heap(
    app: FastAPI,
) -> None:
    try:
        assert ready_for_traffic(app) is app
        assert gc.get_freeze_count() > 0
        cache = environment.cache
        assert cache is not None
        compiled = {key[1] for key in cache}
        assert set(environment.list_templates(extensions=["html"])) <= compiled
    finally:
        gc.unfreeze()
