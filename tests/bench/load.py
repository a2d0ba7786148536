"""A small load generator on the standard library: keep-alive HTTP/1.1 connections, one per
client thread, so that the client costs the same for Tandem and for the baseline."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

HOST = "127.0.0.1"


class HttpError(RuntimeError):
    pass


@dataclass(frozen=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for header in self.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


class Client:
    """One keep-alive connection with a cookie jar of its own."""

    def __init__(
        self, port: int, headers: dict[str, str] | None = None, timeout: float = 40.0
    ) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = self.headers | (headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        except BaseException:
            # http.client opens a fresh connection on the next request.
            self.connection.close()
            raise
        self.cookies |= reply.cookies()
        return reply

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, form: dict[str, str]) -> Reply:
        body = urlencode(form).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def send_json(self, method: str, path: str, payload: Any) -> Reply:
        body = json.dumps(payload).encode()
        return self.request(method, path, body, {"Content-Type": "application/json"})

    def close(self) -> None:
        self.connection.close()


def expect(reply: Reply, status: int, what: str) -> Reply:
    if reply.status != status:
        raise HttpError(f"{what}: expected {status}, got {reply.status}: {reply.body[:300]!r}")
    return reply


@dataclass
class Run:
    """Latencies (seconds) of the requests that succeeded, and what went wrong with others.

    A run stops early when it exceeds its time budget, so that a server that stalls cannot
    make the benchmark hang; ``stopped_early`` says so.
    """

    latencies: list[float]
    elapsed: float
    threads: int
    failures: int = 0
    first_failure: str | None = None
    stopped_early: bool = False

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def failed(self, error: BaseException) -> None:
        self.failures += 1
        if self.first_failure is None:
            self.first_failure = f"{type(error).__name__}: {error}"[:300]


def sequential(call: Callable[[], None], requests: int, warmup: int, max_seconds: float) -> Run:
    for _ in range(warmup):
        call()
    run = Run([], 0.0, threads=1)
    started = time.perf_counter()
    for _ in range(requests):
        if time.perf_counter() - started > max_seconds:
            run.stopped_early = True
            break
        before = time.perf_counter()
        try:
            call()
        except (OSError, HttpError, http.client.HTTPException) as error:
            run.failed(error)
            continue
        run.latencies.append(time.perf_counter() - before)
    run.elapsed = time.perf_counter() - started
    return run


def concurrent(
    make_call: Callable[[], tuple[Callable[[], None], Callable[[], None]]],
    threads: int,
    requests_per_thread: int,
    max_seconds: float,
) -> Run:
    """``make_call()`` gives each thread its (call, close) pair, i.e. its own connection."""
    calls = [make_call() for _ in range(threads)]
    barrier = threading.Barrier(threads + 1)
    run = Run([], 0.0, threads=threads)
    lock = threading.Lock()
    started = 0.0

    def worker(index: int) -> None:
        call = calls[index][0]
        barrier.wait()
        for _ in range(requests_per_thread):
            if time.perf_counter() - started > max_seconds:
                run.stopped_early = True
                return
            before = time.perf_counter()
            try:
                call()
            except (OSError, HttpError, http.client.HTTPException) as error:
                with lock:
                    run.failed(error)
                continue
            latency = time.perf_counter() - before
            with lock:
                run.latencies.append(latency)

    workers = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in workers:
        thread.start()
    started = time.perf_counter()
    barrier.wait()
    for thread in workers:
        thread.join()
    run.elapsed = time.perf_counter() - started
    for _call, close in calls:
        close()
    return run
