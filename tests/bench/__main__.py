"""``python -m tests.bench``: measure Tandem against baselines measured in the same run.

Prints one JSON object on stdout (progress goes to stderr) and writes it to
``var/bench/latest.json``. Each figure comes with its baseline and the ratio between the
two; goals are reported as booleans, never asserted, because wall-clock numbers depend on
the machine.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench import diffs, events, world
from tests.bench.load import Client, Run, concurrent, expect, sequential
from tests.bench.servers import PROJECT_ROOT, ServerProcess

PARAGRAPHS = 200
# Fixed request counts, sized so that the whole run stays well under three minutes on two
# cores while the document page takes a few hundred milliseconds to render.
PAGE_REQUESTS = 60
CONCURRENT_THREADS = 8
CONCURRENT_REQUESTS_PER_THREAD = 8
HISTORY_FEW = 10
HISTORY_MANY = 10_000
SAVES = 200
WARMUP = 3
# No run may take longer than this, whatever the server does (it is then marked stopped_early).
RUN_BUDGET_SECONDS = 30.0

PAGE_GOAL = 0.40
HISTORY_GOAL = 1.2

STARTED = time.perf_counter()


def progress(message: str) -> None:
    print(f"[bench {time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def summary(run: Run) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "requests": len(run.latencies),
        "threads": run.threads,
        "seconds": round(run.elapsed, 2),
        "requests_per_second": round(run.requests_per_second, 2),
    }
    if len(run.latencies) >= 2:
        figures |= {
            "mean_ms": round(statistics.fmean(run.latencies) * 1000, 2),
            "p50_ms": round(statistics.median(run.latencies) * 1000, 2),
            "p95_ms": round(percentile(run.latencies, 95) * 1000, 2),
        }
    if run.failures or run.stopped_early:
        figures |= {
            "failures": run.failures,
            "first_failure": run.first_failure,
            "stopped_early": run.stopped_early,
        }
    return figures


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 3 if numerator / denominator >= 0.1 else 5)


def latency_ratios(tandem: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float | None]:
    return {
        key: ratio(tandem.get(key), baseline.get(key)) for key in ("mean_ms", "p50_ms", "p95_ms")
    }


# --- the document page ---------------------------------------------------------------------


class PageGetter:
    """GET one page again and again over its own keep-alive connection."""

    def __init__(self, port: int, path: str, cookies: dict[str, str]) -> None:
        self.path = path
        self.client = Client(port)
        self.client.cookies = dict(cookies)

    def __call__(self) -> None:
        self.fetch()

    def fetch(self) -> bytes:
        return expect(self.client.get(self.path), 200, f"GET {self.path}").body

    def close(self) -> None:
        self.client.close()


def fetch_once(port: int, path: str, cookies: dict[str, str]) -> bytes:
    getter = PageGetter(port, path, cookies)
    try:
        return getter.fetch()
    finally:
        getter.close()


def sequential_pages(port: int, path: str, cookies: dict[str, str]) -> tuple[Run, int]:
    """The sequential run, and the size of the page it fetched."""
    getter = PageGetter(port, path, cookies)
    try:
        return sequential(getter, PAGE_REQUESTS, WARMUP, RUN_BUDGET_SECONDS), len(getter.fetch())
    finally:
        getter.close()


def page_runs(port: int, path: str, cookies: dict[str, str]) -> dict[str, Run]:
    alone, _size = sequential_pages(port, path, cookies)

    def make_call() -> tuple[Callable[[], None], Callable[[], None]]:
        getter = PageGetter(port, path, cookies)
        return getter, getter.close

    together = concurrent(
        make_call, CONCURRENT_THREADS, CONCURRENT_REQUESTS_PER_THREAD, RUN_BUDGET_SECONDS
    )
    return {"sequential": alone, "concurrent": together}


def log_in(port: int) -> dict[str, str]:
    """Through the login form, like a browser: the CSRF field and cookie, then the session."""
    browser = Client(port)
    try:
        form = expect(browser.get("/login"), 200, "GET /login").body.decode()
        marker = 'name="csrf_token" value="'
        start = form.index(marker) + len(marker)
        csrf_token = form[start : form.index('"', start)]
        expect(
            browser.post_form(
                "/login",
                {
                    "username": world.MODERATOR,
                    "password": world.PASSWORD,
                    "csrf_token": csrf_token,
                    "next": "/",
                },
            ),
            303,
            "POST /login",
        )
        return {"tandem_session": browser.cookies["tandem_session"]}
    finally:
        browser.close()


# --- saving a text ---------------------------------------------------------------------------


def save_run(client: Client, method: str, path: str, texts: tuple[str, str], base: int) -> Run:
    state = {"base": base, "turn": 0}

    def call() -> None:
        text = texts[state["turn"] % 2]
        state["turn"] += 1
        reply = expect(
            client.send_json(method, path, {"text": text, "base_revision_id": state["base"]}),
            200,
            f"{method} {path}",
        )
        answer = json.loads(reply.body)
        if answer["merged"]:
            raise RuntimeError("a sequential save was merged: the base revision is wrong")
        state["base"] = answer["revision_id"]

    return sequential(call, SAVES, WARMUP, RUN_BUDGET_SECONDS)


def tandem_saves(port: int, document_id: int, paragraph_id: int) -> tuple[Run, tuple[str, str]]:
    """The save run, and the two texts it alternated (the baseline gets the same bodies)."""
    client = Client(port)
    try:
        credentials = {"username": world.MODERATOR, "password": world.PASSWORD}
        reply = expect(
            client.send_json("POST", "/api/v1/tokens", credentials), 201, "POST /api/v1/tokens"
        )
        client.headers["Authorization"] = f"Bearer {json.loads(reply.body)['token']}"
        reply = expect(client.get(f"/api/v1/documents/{document_id}"), 200, "GET document")
        paragraph = next(p for p in json.loads(reply.body)["paragraphs"] if p["id"] == paragraph_id)
        current = paragraph["texts"]["de"]
        texts = (world.variant(current["text"], 1), current["text"])
        path = f"/api/v1/paragraphs/{paragraph_id}/texts/de"
        return save_run(client, "PATCH", path, texts, current["revision_id"]), texts
    finally:
        client.close()


# --- the run -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import uvicorn

    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "uvicorn": uvicorn.__version__,
        "server": "uvicorn, 1 process, h11, access log off, separate process from the client",
        "client": "http.client keep-alive, one connection per thread",
        "database": "SQLite (WAL) in a temporary directory",
    }


def run() -> dict[str, Any]:
    result: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as directory:
        tmp = Path(directory)
        progress(f"building a document of {PARAGRAPHS} bilingual paragraphs")
        bench = world.build(tmp, PARAGRAPHS)
        try:
            page_path = f"/documents/{bench.document_id}"
            # A text paragraph (not a heading), for realistic save bodies.
            save_paragraph = bench.paragraph_ids[1]
            # Rendering itself, every time: the page cache is off in this process.
            with ServerProcess(
                "tandem", database_url=bench.database_url, page_cache_mb="0"
            ) as server:
                cookies = log_in(server.port)
                html = fetch_once(server.port, page_path, cookies)
                page_file = tmp / "page.html"
                page_file.write_bytes(html)
                progress(f"Tandem document page, rendered each time ({len(html)} bytes)")
                rendered_page = page_runs(server.port, page_path, cookies)

                progress(f"history: {HISTORY_FEW} saves through the service")
                world.save_round_trips(bench, HISTORY_FEW)
                few_revisions = bench.revision_count()
                few, few_bytes = sequential_pages(server.port, page_path, cookies)
                progress(f"history: {HISTORY_MANY - HISTORY_FEW} more revisions in bulk")
                world.add_history_in_bulk(bench, HISTORY_MANY - HISTORY_FEW)
                many_revisions = bench.revision_count()
                many, many_bytes = sequential_pages(server.port, page_path, cookies)

                progress(f"{SAVES} saves through the API")
                tandem_save, save_texts = tandem_saves(
                    server.port, bench.document_id, save_paragraph
                )
                progress("event propagation to 1, 50, 200 and 500 subscribers")
                event_propagation = events.measure(
                    server.port, bench.document_id, bench.paragraph_ids[2], server.rss_kib
                )
            # The same page again and again while nobody changes the document: the page cache.
            with ServerProcess("tandem", database_url=bench.database_url) as server:
                cookies = log_in(server.port)
                progress("Tandem document page, unchanged between views (page cache on)")
                unchanged_html = fetch_once(server.port, page_path, cookies)
                unchanged_page = page_runs(server.port, page_path, cookies)
            # The same bytes as the cached page's: the version of the document changed since
            # the rendered run, so the baseline serves what the cache served.
            page_file.write_bytes(unchanged_html)
            with ServerProcess("baseline", page_file=str(page_file)) as server:
                progress("baseline: bare Starlette serving the same bytes")
                baseline_page = page_runs(server.port, "/page", {})
                baseline_client = Client(server.port)
                try:
                    baseline_save = save_run(baseline_client, "POST", "/save", save_texts, base=1)
                finally:
                    baseline_client.close()
        finally:
            bench.dispose()

    result["document_page"] = page_report(
        {"rendered": rendered_page, "unchanged": unchanged_page}, baseline_page, len(html)
    )
    result["history_independence"] = history_report(
        (few, few_revisions, few_bytes), (many, many_revisions, many_bytes)
    )
    result["save_latency"] = save_report(tandem_save, baseline_save)
    result["event_propagation"] = event_propagation
    progress("diff of two 200-paragraph versions")
    result["diff_200_paragraphs"] = diffs.measure(PARAGRAPHS)
    result["duration_s"] = round(time.perf_counter() - STARTED, 1)
    return result


# --- the report --------------------------------------------------------------------------


PAGE_CASES = {
    "rendered": "every request renders the page (page cache off): the cost of a page after "
    "any change to the document",
    "unchanged": "the page cache on and nobody changing the document between views "
    "(reloads, back navigation, many readers of a stable text)",
}


def page_report(
    tandem: dict[str, dict[str, Run]], baseline: dict[str, Run], html_bytes: int
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "measures": f"GET /documents/{{id}} of {PARAGRAPHS} bilingual paragraphs, logged in",
        "baseline_is": "bare Starlette route returning the same HTML bytes from memory",
        "paragraphs": PARAGRAPHS,
        "html_bytes": html_bytes,
        "goal": f"tandem requests/s >= {PAGE_GOAL} x baseline requests/s",
    }
    for case, runs in tandem.items():
        section: dict[str, Any] = {"is": PAGE_CASES[case]}
        goal_met = {}
        for mode in ("sequential", "concurrent"):
            tandem_figures, baseline_figures = summary(runs[mode]), summary(baseline[mode])
            rps_ratio = ratio(
                tandem_figures["requests_per_second"], baseline_figures["requests_per_second"]
            )
            section[mode] = {
                "tandem": tandem_figures,
                "baseline": baseline_figures,
                "ratio_rps": rps_ratio,
                "ratio_latency": latency_ratios(tandem_figures, baseline_figures),
            }
            goal_met[mode] = rps_ratio is not None and rps_ratio >= PAGE_GOAL
        section["goal_met"] = goal_met
        report[case] = section
    return report


def history_report(few: tuple[Run, int, int], many: tuple[Run, int, int]) -> dict[str, Any]:
    """``few`` and ``many`` are (run, revisions in the document, page size)."""
    sides = {}
    for name, (run, revisions, html_bytes), history in (
        ("few", few, HISTORY_FEW),
        ("many", many, HISTORY_MANY),
    ):
        sides[name] = {
            "history_revisions": history,
            "revisions_in_document": revisions,
            "html_bytes": html_bytes,
            **summary(run),
        }
    history_ratio = ratio(sides["many"].get("p50_ms"), sides["few"].get("p50_ms"))
    return {
        "measures": f"the document page after {HISTORY_MANY} revisions (saves: the first "
        f"{HISTORY_FEW} through the service, the rest inserted in bulk)",
        "baseline_is": f"the same page after {HISTORY_FEW} revisions",
        "paragraphs": PARAGRAPHS,
        **sides,
        "ratio": history_ratio,
        "ratio_latency": latency_ratios(sides["many"], sides["few"]),
        "goal": f"p50 with {HISTORY_MANY} revisions <= {HISTORY_GOAL} x p50 with {HISTORY_FEW}",
        "goal_met": history_ratio is not None and history_ratio <= HISTORY_GOAL,
    }


def save_report(tandem: Run, baseline: Run) -> dict[str, Any]:
    tandem_figures, baseline_figures = summary(tandem), summary(baseline)
    return {
        "measures": "PATCH /api/v1/paragraphs/{pid}/texts/de with a Bearer token, "
        "alternating two texts, each save a new revision",
        "baseline_is": "bare Starlette route parsing the same JSON body and answering small JSON",
        "saves": SAVES,
        "tandem": tandem_figures,
        "baseline": baseline_figures,
        "ratio_latency": latency_ratios(tandem_figures, baseline_figures),
        "ratio_rps": ratio(
            tandem_figures["requests_per_second"], baseline_figures["requests_per_second"]
        ),
    }


def main() -> None:
    result = run()
    output = PROJECT_ROOT / "var" / "bench" / "latest.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    output.write_text(text + "\n", encoding="utf-8")
    progress(f"done; written to {output.relative_to(PROJECT_ROOT)}")
    print(text)


if __name__ == "__main__":
    main()
