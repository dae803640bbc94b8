"""Build schema.org JSON-LD for articles, and serialise it safely for HTML.

Pure functions over plain values: the Pelican glue extracts the values.
"""

from __future__ import annotations

import json
from typing import Any

_HTML_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def absolute(site_url: str, url: str) -> str:
    """Join a site URL and a site-relative URL (left relative when no SITEURL)."""
    return f"{site_url.rstrip('/')}/{url}" if site_url else url


def news_article(
    *,
    headline: str,
    date_published: str,
    url: str,
    authors: list[str],
    agency: str = "",
    source_url: str = "",
    source_site: str = "",
    description: str = "",
    word_count: int = 0,
    citations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A ``NewsArticle`` object with only the fields we know to be true."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": date_published,
        "url": url,
        "author": [{"@type": "Person", "name": name} for name in authors],
    }
    if agency:
        data["sourceOrganization"] = {"@type": "Organization", "name": agency}
    if source_url:
        data["isBasedOn"] = source_url
    if source_site:
        data["publisher"] = {"@type": "Organization", "name": source_site}
    if description:
        data["description"] = description
    if word_count:
        data["wordCount"] = word_count
    if citations:
        data["citation"] = citations
    return data


def script_json(data: Any) -> str:
    r"""JSON for a ``<script type="application/ld+json">`` block.

    ``<``, ``>`` and ``&`` are escaped as ``\\u003c`` etc., so no string in the
    data (``</script>`` in a title) can end the block or open a comment.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.translate(_HTML_UNSAFE)
