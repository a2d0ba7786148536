"""Knowing when a page's live event stream is open, instead of guessing with a pause.

htmx's SSE extension fires ``htmx:sseOpen`` when the document page's EventSource opens.
:func:`watch_event_stream` records it in the page before any of the page's scripts run;
:func:`wait_until_event_stream_open` waits for that record, bounded in time.
"""

from __future__ import annotations

from playwright.sync_api import Page

_RECORD_OPEN = (
    "document.addEventListener('htmx:sseOpen',"
    " () => { window.tandemEventStreamOpen = true; }, true);"
)


def watch_event_stream(page: Page) -> None:
    """Record the opening of the event stream on every document this page loads."""
    page.add_init_script(_RECORD_OPEN)


def wait_until_event_stream_open(page: Page, timeout_ms: float = 15_000) -> None:
    page.wait_for_function("() => window.tandemEventStreamOpen === true", timeout=timeout_ms)
