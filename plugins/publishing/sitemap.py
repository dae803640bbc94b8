"""sitemap.xml (sitemaps.org 0.9) and robots.txt text, from plain values (no Pelican).

A sitemap holds at most 50,000 URLs; beyond that the URLs are split into
``sitemap-1.xml``, ``sitemap-2.xml`` ... and ``sitemap.xml`` becomes their index.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000


@dataclass(frozen=True, order=True)
class SitemapEntry:
    """One ``<url>`` (or, in an index, one ``<sitemap>``)."""

    loc: str
    lastmod: str = ""


def w3c_date(value: datetime | date | None) -> str:
    """A W3C datetime for ``<lastmod>`` (``""`` for none)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") if value.tzinfo else value.date().isoformat()
    return value.isoformat()


def page_loc(public_siteurl: str, relative_path: str) -> str:
    """The absolute, percent-encoded URL of a file of the site."""
    return f"{public_siteurl.rstrip('/')}/{quote(relative_path.lstrip('/'), safe='/')}"


def _document(root: str, child: str, entries: Iterable[SitemapEntry]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{NAMESPACE}">']
    for entry in entries:
        lastmod = f"<lastmod>{escape(entry.lastmod)}</lastmod>" if entry.lastmod else ""
        lines.append(f"<{child}><loc>{escape(entry.loc)}</loc>{lastmod}</{child}>")
    lines.append(f"</{root}>")
    return "\n".join(lines) + "\n"


def urlset_xml(entries: Iterable[SitemapEntry]) -> str:
    """A ``<urlset>`` document, entries sorted by URL (deterministic output)."""
    return _document("urlset", "url", sorted(entries))


def sitemap_files(
    entries: Sequence[SitemapEntry],
    public_siteurl: str,
    name: str = "sitemap.xml",
    max_urls: int = MAX_URLS,
) -> dict[str, str]:
    """File name -> text: one sitemap, or an index over numbered parts when too many URLs."""
    ordered = sorted(entries)
    if len(ordered) <= max_urls:
        return {name: urlset_xml(ordered)}
    stem, ext = posixpath.splitext(name)
    files: dict[str, str] = {}
    parts = []
    for number, start in enumerate(range(0, len(ordered), max_urls), start=1):
        chunk = ordered[start : start + max_urls]
        part = f"{stem}-{number}{ext}"
        files[part] = urlset_xml(chunk)
        newest = max((entry.lastmod for entry in chunk), default="")
        parts.append(SitemapEntry(page_loc(public_siteurl, part), newest))
    files[name] = _document("sitemapindex", "sitemap", parts)
    return files


def robots_txt(sitemap_url: str) -> str:
    """robots.txt that lets every crawler in and names the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
