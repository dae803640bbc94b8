"""Page metadata for the open web: canonical URL, OpenGraph, Twitter card.

Pure functions over plain values (no Pelican import). URLs are absolute when
the public URL of the archive (``PUBLIC_SITEURL``) is known; without it they
are relative to the page that carries them (and left out where a relative URL
is not allowed, e.g. ``og:url`` and ``<link rel="canonical">``).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence
from datetime import datetime

_TAG = re.compile(r"<[^>]+>")


def link(public_siteurl: str, target: str, from_page: str) -> str:
    """URL of the site-relative file ``target`` as seen from the page ``from_page``."""
    target = target.lstrip("/")
    if public_siteurl:
        return f"{public_siteurl.rstrip('/')}/{target}"
    return relative_path(target, posixpath.dirname(from_page.lstrip("/")))


def relative_path(target: str, from_folder: str) -> str:
    """``posixpath.relpath`` for clean site-relative paths, without its file-system calls.

    Called for every link of every page: ``relpath`` normalises both sides with
    ``abspath`` (a ``getcwd`` each time), which dominated this plugin's time.
    """
    if ".." in target.split("/") or ".." in from_folder.split("/"):
        return posixpath.relpath(target, from_folder or ".")
    to_parts = [part for part in target.split("/") if part and part != "."]
    from_parts = [part for part in from_folder.split("/") if part and part != "."]
    common = 0
    while common < min(len(to_parts), len(from_parts)) and to_parts[common] == from_parts[common]:
        common += 1
    parts = [".."] * (len(from_parts) - common) + to_parts[common:]
    return "/".join(parts) or "."


def absolute(public_siteurl: str, target: str) -> str:
    """Absolute URL of ``target`` or ``""`` when the public URL is unknown."""
    return f"{public_siteurl.rstrip('/')}/{target.lstrip('/')}" if public_siteurl else ""


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
