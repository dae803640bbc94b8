"""Page metadata for the open web: canonical URL, OpenGraph, Twitter card.

Pure functions over plain values (no Pelican import). URLs are absolute when
the public URL of the archive (``PUBLIC_SITEURL``) is known; without it they
are relative to the page that carries them (and left out where a relative URL
is not allowed, e.g. ``og:url`` and ``<link rel="canonical">``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime

from sitewide.links import absolute

_TAG = re.compile(r"<[^>]+>")


def canonical_url(
    public_siteurl: str, url: str, source_url: str = "", *, to_source: bool = False
) -> str:
    """The canonical URL: the original source when ``to_source`` and known, else this copy."""
    if to_source and source_url.startswith(("http://", "https://")):
        return source_url
    return absolute(public_siteurl, url)


def plain_text(value: str) -> str:
    """Reader summaries are HTML-escaped text (or HTML): make them plain text."""
    return " ".join(html.unescape(_TAG.sub("", value)).split())


def iso_datetime(value: datetime) -> str:
    """ISO 8601 with seconds (and the offset when the value has one)."""
    return value.isoformat(timespec="seconds")


def open_graph(
    *,
    site_name: str,
    title: str,
    description: str = "",
    url: str = "",
    kind: str = "article",
    published: datetime | None = None,
    modified: datetime | None = None,
    authors: Sequence[str] = (),
    section: str = "",
) -> list[tuple[str, str]]:
    """OpenGraph ``(property, content)`` pairs in document order (empty values left out)."""
    pairs = [("og:type", kind), ("og:site_name", site_name), ("og:title", title)]
    if description:
        pairs.append(("og:description", description))
    if url:
        pairs.append(("og:url", url))
    if kind == "article":
        if published is not None:
            pairs.append(("article:published_time", iso_datetime(published)))
        if modified is not None:
            pairs.append(("article:modified_time", iso_datetime(modified)))
        pairs += [("article:author", name) for name in authors]
        if section:
            pairs.append(("article:section", section))
    return pairs


def twitter_card(*, title: str, description: str = "") -> list[tuple[str, str]]:
    """Twitter/X card ``(name, content)`` pairs: a ``summary`` card (the archive has no images)."""
    pairs = [("twitter:card", "summary"), ("twitter:title", title)]
    if description:
        pairs.append(("twitter:description", description))
    return pairs


def listing_title(site_name: str, name: str = "", period: Sequence[object] = ()) -> str:
    """``Name · Site`` for an author or agency page, ``October 2020 · Site`` for a period."""
    label = name or " ".join(str(part) for part in reversed(period))
    return f"{label} \u00b7 {site_name}" if label else site_name


def listing_meta(
    *, site_name: str, subtitle: str, public_siteurl: str, output_file: str, title: str
) -> dict[str, object]:
    """Canonical URL, OpenGraph and Twitter card of a listing page (index, author, month...)."""
    url = absolute(public_siteurl, output_file) if output_file else ""
    return {
        "canonical_url": url,
        "open_graph": open_graph(
            site_name=site_name, title=title, description=subtitle, url=url, kind="website"
        ),
        "twitter_card": twitter_card(title=title),
    }
