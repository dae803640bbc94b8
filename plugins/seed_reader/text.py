"""Small text helpers shared by the seed parser: plain text, slugs, cutting."""

from __future__ import annotations

import html
import re
import unicodedata

_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"(\*{1,3}|_{1,3}|`+)(?=\S)(.+?)(?<=\S)\1")
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
_SLUG_DROP_RE = re.compile(r"[^a-z0-9]+")

MAX_SLUG_LENGTH = 80


def plain_text(markdown: str) -> str:
    """Strip inline Markdown (links, emphasis, code) and tags; unescape entities."""
    text = _LINK_RE.sub(r"\1", markdown)
    for _ in range(3):
        text, count = _EMPHASIS_RE.subn(r"\2", text)
        if not count:
            break
    text = _TAG_RE.sub("", text)
    text = text.replace("\\", "") if "\\" in text else text
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Make a lowercase ASCII slug safe for any file system and URL.

    Only ``a-z``, ``0-9`` and single hyphens survive, so no slug can contain a
    path separator, ``..``, NUL or a reserved character; length is capped at a
    hyphen so names stay short on every file system.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP_RE.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_length // 2 :] else cut
    return slug.strip("-")


def truncate_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else cut[:limit]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"
