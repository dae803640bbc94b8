"""Build schema.org JSON-LD for articles, and serialise it safely for HTML.

Pure functions over plain values: the Pelican glue extracts the values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

_HTML_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    # line and paragraph separators: valid in JSON, line breaks in older JavaScript
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def news_article(
    *,
    headline: str,
    date_published: str,
    url: str,
    authors: Sequence[str | tuple[str, str]],
    date_modified: str = "",
    language: str = "",
    agency: str = "",
    section: str = "",
    dateline: str = "",
    source_url: str = "",
    source_site: str = "",
    description: str = "",
    word_count: int = 0,
    citations: list[dict[str, Any]] | None = None,
    site_name: str = "",
    site_url: str = "",
    breadcrumb: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``NewsArticle`` object with only the fields we know to be true.

    ``authors`` are names, or ``(name, url)`` pairs for a person with a page
    here. ``url`` is this archive's copy; it is also the ``@id`` of the
    ``WebPage`` the article is the main entity of, which carries ``breadcrumb``
    (a ``BreadcrumbList``, see :func:`breadcrumb_list`) and ``isPartOf`` the site.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": date_published,
        "dateModified": date_modified or date_published,
        "url": url,
        "author": [_person(author) for author in authors],
        "isAccessibleForFree": True,
    }
    page: dict[str, Any] = {"@type": "WebPage", "@id": url, "url": url}
    if breadcrumb:
        page["breadcrumb"] = breadcrumb
    if site_name:
        site: dict[str, Any] = {"@type": "WebSite", "name": site_name}
        if site_url:
            site["url"] = site_url
        page["isPartOf"] = site
    data["mainEntityOfPage"] = page
    if language:
        data["inLanguage"] = language
    if agency:
        data["sourceOrganization"] = {"@type": "Organization", "name": agency}
    if section:
        data["articleSection"] = section
    if dateline:
        data["dateline"] = dateline
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


def _person(author: str | tuple[str, str]) -> dict[str, str]:
    if isinstance(author, str):
        return {"@type": "Person", "name": author}
    name, url = author
    person = {"@type": "Person", "name": name}
    if url:
        person["url"] = url
    return person


def breadcrumb_list(crumbs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A ``BreadcrumbList`` from ``(name, url)`` pairs, home first, the page itself last.

    An empty ``url`` (usual for the last crumb, the current page) leaves ``item`` out.
    """
    items = []
    for position, (name, url) in enumerate(crumbs, start=1):
        item: dict[str, Any] = {"@type": "ListItem", "position": position, "name": name}
        if url:
            item["item"] = url
        items.append(item)
    return {"@type": "BreadcrumbList", "itemListElement": items}


def script_json(data: Any) -> str:
    r"""JSON for a ``<script type="application/ld+json">`` block.

    ``<``, ``>`` and ``&`` are escaped as ``\\u003c`` etc., so no string in the
    data (``</script>`` in a title) can end the block or open a comment;
    U+2028 and U+2029 are escaped too.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # str.replace per character, not str.translate: translate walks the text in
    # Python-level steps and cost a second per 10,000 articles.
    for char, escaped in _HTML_UNSAFE.items():
        if char in text:
            text = text.replace(char, escaped)
    return text
