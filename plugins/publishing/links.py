"""Make the relative links of an HTML document absolute (pure, no Pelican).

For documents read away from where they were written: feed entries (a feed
reader resolves a relative link against the feed, not the article) and the 404
page (a host serves it at any depth, ``/archive/a/b/missing.html``).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

#: One attribute of a start tag, tokenised as browsers do: a name, then an optional
#: value (quoted, or unquoted up to a space or ``>``).  Atomic, so never backtracks.
_ATTRIBUTE = r"""(?>[^\s/>][^\s/>=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?)"""
#: A start tag: its name, then separators and attributes up to the closing ``>``.
_START_TAG = re.compile(rf"<[a-zA-Z][^\s/>]*(?:[\s/]|{_ATTRIBUTE})*+>")
_URL_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s/>][^\s/>=]*)(?:(?P<eq>\s*=\s*)(?P<value>"[^"]*"|'[^']*'|[^\s>]*))?"""
)
URL_ATTRIBUTES = frozenset({"href", "src", "action"})


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
    """Every relative ``href``/``src``/``action`` in ``markup`` made absolute against ``base_url``.

    Only real attributes of start tags are touched: text, and the value of
    another attribute that merely reads ``src='...'`` (a seed's ``title``),
    are left exactly as they are.
    """

    def fix_attribute(match: re.Match[str]) -> str:
        value = match.group("value")
        if match.group("name").lower() not in URL_ATTRIBUTES or not value:
            return match.group(0)
        quote = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote else value
        return (
            f"{match.group('name')}{match.group('eq')}{quote}{absolute_url(inner, base_url)}{quote}"
        )

    def fix_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        name_end = re.match(r"<[^\s/>]*", tag).end()  # type: ignore[union-attr]
        return tag[:name_end] + _URL_ATTRIBUTE.sub(fix_attribute, tag[name_end:-1]) + ">"

    return _START_TAG.sub(fix_tag, markup)
