"""Replace the reader's related-article placeholders with links, in place.

Pure string work (no Pelican import). The seed reader emits, per ``Related article:``
line (see docs/contracts.md)::

    <p class="related-article" data-related-index="0"><span class="related-label">
    Related article:</span> <cite class="related-title">Title</cite></p>

and this module swaps each one for a resolved link (relative to the citing page, with
the target's date) or for the title marked "not in this archive" with an optional
search link. Every piece of text is escaped here; callers pass plain strings.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote_plus

from sitewide.links import relative_href

__all__ = [
    "PLACEHOLDER_RE",
    "RenderedRelated",
    "relative_href",
    "render_related",
    "replace_placeholders",
    "search_href",
]

PLACEHOLDER_RE = re.compile(
    r'<p\b(?=[^>]*\bclass="related-article")'
    r'(?=[^>]*\bdata-related-index="(?P<index>\d+)")[^>]*>.*?</p>',
    re.DOTALL,
)

LABEL = "Related article:"
MISSING_TEXT = "(not in this archive)"
SEARCH_TEXT = "Search the archive for this title"


@dataclass(frozen=True)
class RenderedRelated:
    """What one related line shows; ``href`` None means unresolved."""

    title: str
    href: str | None = None
    date_iso: str = ""
    date_text: str = ""
    method: str = ""
    search_href: str | None = None


def _text(value: str) -> str:
    """Escape plain text for HTML, first undoing entities left over from scraping."""
    return html.escape(html.unescape(value), quote=True)


def search_href(search_page: str, source_url: str, title: str) -> str:
    """Relative link to the archive search for ``title`` (``search.html?q=...``)."""
    query = quote_plus(html.unescape(title))
    return f"{relative_href(search_page, source_url)}?q={query}"


def render_related(index: int, item: RenderedRelated) -> str:
    """HTML for one related line, keeping the placeholder's class and index."""
    label = f'<span class="related-label">{LABEL}</span>'
    if item.href is not None:
        parts = [
            f'<p class="related-article related-resolved" data-related-index="{index}"'
            f' data-related-method="{_text(item.method)}">{label}',
            f' <a class="related-title" href="{html.escape(item.href, quote=True)}">'
            f"{_text(item.title)}</a>",
        ]
        if item.date_iso:
            parts.append(
                f' <time class="related-date" datetime="{_text(item.date_iso)}">'
                f"{_text(item.date_text or item.date_iso)}</time>"
            )
        parts.append("</p>")
        return "".join(parts)
    parts = [
        f'<p class="related-article related-unresolved" data-related-index="{index}">{label}',
        f' <cite class="related-title">{_text(item.title)}</cite>',
        f' <span class="related-missing">{MISSING_TEXT}</span>',
    ]
    if item.search_href:
        parts.append(
            ' <a class="related-search"'
            f' href="{html.escape(item.search_href, quote=True)}"'
            f' rel="search">{SEARCH_TEXT}</a>'
        )
    parts.append("</p>")
    return "".join(parts)


def replace_placeholders(
    content: str, items: Mapping[int, RenderedRelated], *, remember: bool = False
) -> str:
    """Return ``content`` with each placeholder whose index is in ``items`` replaced.

    Placeholders without an item are left alone (they already read as plain text).
    ``remember``: keep the answer for the next build of this process (the dev
    server asks again after every save with mostly the same bodies and links:
    remembered, the answer costs a hash of a string that caches its own hash). A
    one-off build asks once per article: remembering would only hold every
    article's text twice (its original and its answer, 0.5 GB at 100,000).
    """
    replaced = _remembered if remember else _replaced
    return replaced(content, tuple(sorted(items.items())))


def _replaced(content: str, items: tuple[tuple[int, RenderedRelated], ...]) -> str:
    by_index = dict(items)

    def _swap(match: re.Match[str]) -> str:
        index = int(match.group("index"))
        item = by_index.get(index)
        return match.group(0) if item is None else render_related(index, item)

    return PLACEHOLDER_RE.sub(_swap, content)


_remembered = functools.lru_cache(maxsize=32768)(_replaced)
