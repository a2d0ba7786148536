"""Running the `tandem` command in tests."""

from __future__ import annotations

from typing import Any

from click.testing import Result
from sqlalchemy import Connection, Engine, event
from sqlalchemy.pool import QueuePool
from typer.testing import CliRunner


class EngineClosingRunner(CliRunner):
    """Closes the database connections a command left open, and counts them.

    Without this, connections the command did not close are closed by the garbage collector
    at some point during a later test, whose run then fails with psycopg's ResourceWarning.
    """

    def __init__(self) -> None:
        super().__init__()
        self.connections_left_open = 0

    def invoke(self, *args: Any, **kwargs: Any) -> Result:
        engines: dict[int, Engine] = {}

        def remember(connection: Connection) -> None:
            engines[id(connection.engine)] = connection.engine

        event.listen(Engine, "engine_connect", remember)
        try:
            return super().invoke(*args, **kwargs)
        finally:
            event.remove(Engine, "engine_connect", remember)
            for engine in engines.values():
                if isinstance(engine.pool, QueuePool):
                    self.connections_left_open += engine.pool.checkedin()
                engine.dispose()
