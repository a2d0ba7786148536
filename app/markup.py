"""Light Markdown for paragraph texts: ``**strong**``, ``*emphasis*`` and http(s) links.

markdown-it-py with everything else switched off; raw HTML is never passed through and a
link whose target is not http(s) stays plain text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_SCHEMES = ("http://", "https://")


def _link_is_safe(url: str) -> bool:
    return url.strip().lower().startswith(_SAFE_SCHEMES)


_renderer = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False}).enable(
    ["emphasis", "link", "newline", "escape"]
)
_renderer.validateLink = _link_is_safe  # type: ignore[method-assign]


def render_inline(text: str) -> Markup:
    html = _renderer.renderInline(text)
    return Markup(html.replace("<a href=", '<a rel="nofollow noopener" href='))
