"""The servers under measurement, each in its own process so that the load generator does
not share a GIL with it: Tandem itself, and a bare Starlette app as the baseline.

Run as ``python -m tests.bench.servers tandem|baseline --port N ...``; the parent starts and
stops it through :class:`ServerProcess`.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def uvicorn_options() -> dict[str, Any]:
    """The same server settings for Tandem and the baseline: one process, no access log."""
    return {"host": HOST, "log_level": "warning", "access_log": False}


def tandem_app(database_url: str, page_cache_mb: int) -> Any:
    from app.config import Settings
    from app.main import create_app, ready_for_traffic

    return ready_for_traffic(
        create_app(
            Settings(
                database_url=database_url,
                argon2_time_cost=1,
                argon2_memory_kib=1024,
                argon2_parallelism=1,
                sql_echo=False,
                page_cache_mb=page_cache_mb,
            )
        )
    )


def baseline_app(page_file: Path) -> Any:
    """One route serving the very bytes of the Tandem page from memory, one taking a save."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    page = page_file.read_bytes()
    saves = 0

    async def document(_request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8")

    async def save(request: Request) -> Response:
        nonlocal saves
        body = await request.json()
        saves += 1
        return JSONResponse(
            {"revision_id": saves, "text": body["text"], "merged": False, "source": "human"}
        )

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/page", document),
            Route("/save", save, methods=["POST"]),
            Route("/healthz", healthz),
        ]
    )


def _serve(argv: list[str]) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m tests.bench.servers")
    parser.add_argument("kind", choices=["tandem", "baseline"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--page-file", type=Path)
    parser.add_argument("--page-cache-mb", type=int, default=64)
    args = parser.parse_args(argv)
    app = (
        tandem_app(args.database_url, args.page_cache_mb)
        if args.kind == "tandem"
        else baseline_app(args.page_file)
    )
    uvicorn.run(app, port=args.port, **uvicorn_options())


class ServerProcess:
    """``with ServerProcess("tandem", database_url=...) as server: server.port``"""

    def __init__(self, kind: str, **options: str) -> None:
        self.kind = kind
        self.options = options
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServerProcess:
        command = [sys.executable, "-m", "tests.bench.servers", self.kind, "--port", str(self.port)]
        for name, value in self.options.items():
            command += [f"--{name.replace('_', '-')}", value]
        # The child's output goes to our stderr: stdout carries nothing but the JSON result.
        self.process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=sys.stderr, stderr=sys.stderr, env=os.environ.copy()
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self, timeout: float = 60.0) -> None:
        import http.client

        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the {self.kind} server exited with {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
                connection.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the {self.kind} server did not start within {timeout:.0f} s")

    def rss_kib(self) -> int:
        """The server's resident memory, from /proc (Linux)."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()


if __name__ == "__main__":
    _serve(sys.argv[1:])
