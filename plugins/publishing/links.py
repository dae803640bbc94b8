"""Make the relative links of an HTML document absolute (pure, no Pelican).

For documents read away from where they were written: feed entries (a feed
reader resolves a relative link against the feed, not the article) and the 404
page (a host serves it at any depth, ``/archive/a/b/missing.html``).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

_URL_ATTRIBUTE = re.compile(
    r"(\s(?:href|src|action)\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL
)


def absolute_url(value: str, base_url: str) -> str:
    """``value`` (an attribute value, HTML-escaped) resolved against ``base_url``, re-escaped.

    Fragments (``#main``), URLs with a scheme (``https:``, ``mailto:``, ``data:``)
    and protocol-relative URLs are returned unchanged.
    """
    raw = html.unescape(value).strip()
    if not raw or raw.startswith(("#", "//")) or urlsplit(raw).scheme:
        return value
    return html.escape(urljoin(base_url, raw), quote=True)


def absolutize_html(markup: str, base_url: str) -> str:
    """Every relative ``href``/``src``/``action`` in ``markup`` made absolute against ``base_url``."""

    def fix(match: re.Match[str]) -> str:
        prefix, quote, value = match.groups()
        return f"{prefix}{quote}{absolute_url(value, base_url)}{quote}"

    return _URL_ATTRIBUTE.sub(fix, markup)
