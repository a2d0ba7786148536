"""A real uvicorn server for an app, and a reader of Server-Sent Events."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class ServerSentEvent:
    name: str
    id: str | None
    data: dict[str, Any]


class EventReader:
    """Reads an SSE stream in a thread; ``next()`` waits for the next event."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url
        self.headers = headers
        self.events: queue.Queue[ServerSentEvent] = queue.Queue()
        self.connected = threading.Event()
        self.status: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._client = httpx2.Client()

    def __enter__(self) -> EventReader:
        self._thread.start()
        assert self.connected.wait(15), "the event stream did not open"
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        # Closing the client from here ends the blocking read in the reader thread.
        self._client.close()
        # A read blocked on a quiet stream ends at the server's next keep-alive or shutdown;
        # the thread is a daemon, so the test need not wait for it.
        self._thread.join(timeout=1)

    def _run(self) -> None:
        timeout = httpx2.Timeout(connect=5.0, read=None, write=5.0, pool=5.0)
        self._client = httpx2.Client(timeout=timeout)
        try:
            self._read(self._client)
        except Exception:  # noqa: BLE001 - the stream ends when the test closes it
            pass
        finally:
            self.connected.set()

    def _read(self, client: httpx2.Client) -> None:
        with client.stream("GET", self.url, headers=self.headers) as response:
            self.status = response.status_code
            if response.status_code != 200:
                return
            name, event_id, data = "message", None, ""
            for line in response.iter_lines():
                if self._stop.is_set():
                    return
                if line.startswith(": connected"):
                    self.connected.set()
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("id:"):
                    event_id = line[3:].strip()
                elif line.startswith("data:"):
                    data += line[5:].strip()
                elif line == "" and data:
                    self.events.put(ServerSentEvent(name, event_id, json.loads(data)))
                    name, event_id, data = "message", None, ""

    def next(self, timeout: float = 15.0) -> ServerSentEvent:
        return self.events.get(timeout=timeout)

    def next_named(self, name: str, timeout: float = 15.0) -> ServerSentEvent:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.1, deadline - time.monotonic()))
            if event.name == name:
                return event


class ServerProcess:
    """``tandem serve`` in a process of its own, on a database the test prepared."""

    def __init__(self, database_url: str, port: int | None = None) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        environment = os.environ | {"TANDEM_DATABASE_URL": self.database_url}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Generous: a loaded two-core CI machine has taken 20 s to start one server. A server
        # that fails to start is noticed at once by its exit, not by this deadline.
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx2.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx2.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the server process did not start")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a machine loses its process."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
