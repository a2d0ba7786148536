"""Event propagation: from a save to its Server-Sent Event at 1, 50, 200 and 500
subscribers, and the server's memory per open stream.

Everything speaks raw HTTP/1.1 over asyncio TCP connections (one per stream, one for the
saves), so that a few hundred streams stay light on the client. Each save's latency to a
subscriber is measured from just before the PATCH is sent to the moment that subscriber
has read the event carrying the save's revision. Lost events are counted, not hidden.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from tests.bench import world
from tests.bench.servers import HOST

SUBSCRIBERS = (1, 50, 200, 500)
SAVES = 20
WARMUP = 3
CONNECT_TIMEOUT = 30.0  # opening all the streams of one round and reading ": connected"
EVENT_TIMEOUT = 5.0  # waiting for one save's event to reach every subscriber
REQUEST_TIMEOUT = 20.0
ROUND_TIMEOUT = 90.0


class HttpConnection:
    """One keep-alive HTTP/1.1 connection: plain requests with Content-Length bodies."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> HttpConnection:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(HOST, port), REQUEST_TIMEOUT
        )
        return cls(reader, writer)

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> None:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method in ("POST", "PATCH", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    async def read_head(self) -> tuple[int, dict[str, str]]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        return int(status_line.split()[1]), headers

    async def request(
        self, method: str, path: str, headers: dict[str, str], payload: Any = None
    ) -> tuple[int, Any]:
        body = b"" if payload is None else json.dumps(payload).encode()
        if payload is not None:
            headers = headers | {"Content-Type": "application/json"}
        self.send(method, path, headers, body)
        await self.writer.drain()

        async def read() -> tuple[int, Any]:
            status, reply_headers = await self.read_head()
            content = await self.reader.readexactly(int(reply_headers.get("content-length", 0)))
            return status, json.loads(content) if content else None

        return await asyncio.wait_for(read(), REQUEST_TIMEOUT)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.writer.wait_closed(), 2.0)


class Subscriber:
    """One open event stream, recording when each revision's event was read."""

    def __init__(self, event_name: str) -> None:
        self.event_name = event_name
        self.connected = asyncio.Event()
        self.received: dict[int, float] = {}
        self.error: str | None = None
        self.connection: HttpConnection | None = None

    async def run(self, port: int, path: str, token: str) -> None:
        try:
            self.connection = connection = await HttpConnection.open(port)
            connection.send(
                "GET", path, {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
            )
            await connection.writer.drain()
            status, headers = await connection.read_head()
            if status != 200:
                raise RuntimeError(f"GET events: status {status}")
            chunked = headers.get("transfer-encoding", "").lower() == "chunked"
            buffer = ""
            while True:
                if chunked:
                    size = int((await connection.reader.readline()).strip() or b"0", 16)
                    if size == 0:
                        return
                    data = await connection.reader.readexactly(size + 2)
                    data = data[:-2]
                else:
                    data = await connection.reader.read(65536)
                    if not data:
                        return
                buffer += data.decode()
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    self.on_block(block)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - reported in the result
            self.error = f"{type(error).__name__}: {error}"[:200]

    def on_block(self, block: str) -> None:
        name, data = None, None
        for line in block.split("\n"):
            if line.startswith(": connected"):
                self.connected.set()
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
        if name == self.event_name and data:
            revision = json.loads(data).get("data", {}).get("revision_id")
            if isinstance(revision, int) and revision not in self.received:
                self.received[revision] = time.perf_counter()


def milliseconds(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "max_ms": None}
    p95 = (
        statistics.quantiles(values, n=100, method="inclusive")[94]
        if len(values) >= 2
        else values[0]
    )
    return {
        "p50_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(max(values) * 1000, 2),
    }


class Saver:
    """Sequential saves of one paragraph, alternating two texts, each on the previous one."""

    def __init__(
        self, connection: HttpConnection, port: int, token: str, paragraph_id: int
    ) -> None:
        self.connection = connection
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}"}
        self.path = f"/api/v1/paragraphs/{paragraph_id}/texts/de"
        self.texts: tuple[str, str] = ("", "")
        self.base = 0
        self.turn = 0

    async def prepare(self, document_id: int, paragraph_id: int) -> None:
        status, document = await self.connection.request(
            "GET", f"/api/v1/documents/{document_id}", self.headers
        )
        if status != 200:
            raise RuntimeError(f"GET document: status {status}")
        paragraph = next(p for p in document["paragraphs"] if p["id"] == paragraph_id)
        current = paragraph["texts"]["de"]
        self.texts = (world.variant(current["text"], 2), current["text"])
        self.base = current["revision_id"]

    async def reconnect(self) -> None:
        await self.connection.close()
        self.connection = await HttpConnection.open(self.port)

    async def save(self) -> tuple[int, float]:
        """The new revision, and the time the PATCH was sent (perf_counter)."""
        text = self.texts[self.turn % 2]
        self.turn += 1
        sent = time.perf_counter()
        status, answer = await self.connection.request(
            "PATCH", self.path, self.headers, {"text": text, "base_revision_id": self.base}
        )
        if status != 200 or answer.get("merged"):
            raise RuntimeError(f"PATCH: status {status}, merged {answer and answer.get('merged')}")
        self.base = answer["revision_id"]
        return self.base, sent


async def round_trips(saver: Saver) -> list[float]:
    for _ in range(WARMUP):
        await saver.save()
    latencies = []
    for _ in range(SAVES):
        _revision, sent = await saver.save()
        latencies.append(time.perf_counter() - sent)
    return latencies


def memory_report(before_kib: int, after_kib: int, streams: int) -> dict[str, Any]:
    per_stream = (after_kib - before_kib) / streams if streams else None
    return {
        "server_rss_before_kib": before_kib,
        "server_rss_with_streams_kib": after_kib,
        "kib_per_stream": round(per_stream, 1) if per_stream is not None else None,
        # Against the whole idle server: how many streams cost as much as the process.
        "ratio_per_stream_to_idle_server": round(per_stream / before_kib, 5)
        if per_stream is not None and before_kib
        else None,
    }


async def propagation_round(
    port: int,
    document_id: int,
    paragraph_id: int,
    token: str,
    saver: Saver,
    count: int,
    server_rss_kib: Callable[[], int],
) -> dict[str, Any]:
    path = f"/api/v1/documents/{document_id}/events"
    subscribers = [Subscriber(f"p{paragraph_id}") for _ in range(count)]
    rss_before = server_rss_kib()
    tasks = [asyncio.create_task(s.run(port, path, token)) for s in subscribers]
    report: dict[str, Any] = {"subscribers": count}
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(s.connected.wait() for s in subscribers)), CONNECT_TIMEOUT
            )
        live = [s for s in subscribers if s.connected.is_set()]
        report["connected"] = len(live)
        report["memory"] = memory_report(rss_before, server_rss_kib(), len(live))
        latencies: list[float] = []
        save_latencies: list[float] = []
        saved = 0
        for turn in range(WARMUP + SAVES):
            try:
                revision, sent = await saver.save()
            except Exception as error:  # noqa: BLE001 - reported, the round goes on without it
                report["save_failures"] = report.get("save_failures", 0) + 1
                report.setdefault("first_save_failure", f"{type(error).__name__}: {error}"[:300])
                await saver.reconnect()
                saved += turn >= WARMUP  # an expected save whose events all count as lost
                continue
            round_trip = time.perf_counter() - sent
            deadline = time.perf_counter() + EVENT_TIMEOUT
            while time.perf_counter() < deadline and any(revision not in s.received for s in live):
                await asyncio.sleep(0.002)
            if turn < WARMUP:
                continue
            saved += 1
            save_latencies.append(round_trip)
            latencies += [s.received[revision] - sent for s in live if revision in s.received]
        expected = saved * count
        report |= {
            "saves": saved,
            "events_expected": expected,
            "events_received": len(latencies),
            "events_lost": expected - len(latencies),
            "propagation": milliseconds(latencies),
            "save_round_trip_with_subscribers": milliseconds(save_latencies),
        }
        errors = [s.error for s in subscribers if s.error]
        if errors:
            report |= {"stream_errors": len(errors), "first_stream_error": errors[0]}
        return report
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(
            *(s.connection.close() for s in subscribers if s.connection), return_exceptions=True
        )
        await asyncio.sleep(0.5)  # let the server drop the closed streams before the next round


async def measure_async(
    port: int, document_id: int, paragraph_id: int, server_rss_kib: Callable[[], int]
) -> dict[str, Any]:
    connection = await HttpConnection.open(port)
    saver: Saver | None = None
    try:
        credentials = {"username": world.MODERATOR, "password": world.PASSWORD}
        status, answer = await connection.request("POST", "/api/v1/tokens", {}, credentials)
        if status != 201:
            raise RuntimeError(f"POST /api/v1/tokens: status {status}")
        token = answer["token"]
        saver = Saver(connection, port, token, paragraph_id)
        await saver.prepare(document_id, paragraph_id)
        baseline = milliseconds(await asyncio.wait_for(round_trips(saver), ROUND_TIMEOUT))
        rounds = {}
        for count in SUBSCRIBERS:
            try:
                rounds[str(count)] = await asyncio.wait_for(
                    propagation_round(
                        port, document_id, paragraph_id, token, saver, count, server_rss_kib
                    ),
                    ROUND_TIMEOUT,
                )
            except Exception as error:  # noqa: BLE001 - reported in the result
                rounds[str(count)] = {
                    "subscribers": count,
                    "error": f"{type(error).__name__}: {error}"[:300],
                }
            p50 = rounds[str(count)].get("propagation", {}).get("p50_ms")
            rounds[str(count)]["ratio_p50"] = (
                round(p50 / baseline["p50_ms"], 3) if p50 and baseline["p50_ms"] else None
            )
    finally:
        await (saver.connection if saver else connection).close()
    return {
        "measures": "time from sending PATCH /api/v1/paragraphs/{pid}/texts/de to each "
        "subscriber reading that save's event on GET /api/v1/documents/{id}/events "
        f"(SSE, Bearer); {SAVES} sequential saves per round after {WARMUP} warm-up saves",
        "baseline_is": "the PATCH round trip alone, no stream open, same server and client",
        "client": "raw HTTP/1.1 over asyncio TCP, one connection per stream, one process",
        "saves_per_round": SAVES,
        "save_round_trip_without_subscribers": baseline,
        "subscribers": rounds,
        "ratio_is": "p50 propagation / p50 save round trip without subscribers",
        "memory_is": "the server process's resident memory (VmRSS) before the round's streams "
        "opened and once they were all connected, divided by the connected streams",
    }


def measure(
    port: int, document_id: int, paragraph_id: int, server_rss_kib: Callable[[], int]
) -> dict[str, Any]:
    try:
        return asyncio.run(
            asyncio.wait_for(
                measure_async(port, document_id, paragraph_id, server_rss_kib),
                ROUND_TIMEOUT * (len(SUBSCRIBERS) + 1),
            )
        )
    except Exception as error:  # noqa: BLE001 - reported in the result, never hides the rest
        return {"error": f"{type(error).__name__}: {error}"[:300]}
