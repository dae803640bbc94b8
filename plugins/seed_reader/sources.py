"""Names and slugs derived from an article's source URL."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from .text import slugify

SITE_NAMES = {
    "themoscowtimes.com": "The Moscow Times",
    "reuters.com": "Reuters",
    "apnews.com": "AP News",
    "afp.com": "AFP",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "theguardian.com": "The Guardian",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "meduza.io": "Meduza",
    "rferl.org": "RFE/RL",
    "aljazeera.com": "Al Jazeera",
    "france24.com": "France 24",
    "dw.com": "DW",
    "euronews.com": "Euronews",
    "interfax.com": "Interfax",
    "kyivindependent.com": "The Kyiv Independent",
}
_EXTENSION_RE = re.compile(r"\.(?:s?html?|php|aspx?)$", re.IGNORECASE)


def host_of(url: str) -> str:
    """The URL's host, lower case, without ``www.``."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def site_name(url: str, extra_names: dict[str, str]) -> str:
    """A readable name for the site an article came from, else its host."""
    host = host_of(url)
    if not host:
        return ""
    names = {**SITE_NAMES, **extra_names}
    parts = host.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in names:
            return names[candidate]
    return host


def slug_from_url(url: str) -> str:
    """Slug from the URL's last path segment, stable across rebuilds.

    A segment without letters (``/article/12345``) is kept but says nothing,
    so the caller falls back to the title for those.
    """
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return ""
    segment = posixpath.basename(path.rstrip("/"))
    segment = _EXTENSION_RE.sub("", segment)
    slug = slugify(segment)
    if not re.search(r"[a-z]", slug) or slug in {"index", "default", "article"}:
        return ""
    return slug
