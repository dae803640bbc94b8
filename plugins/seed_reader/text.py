"""Small text helpers shared by the seed parser: plain text, slugs, cutting."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

# ``[^\[\]]`` (not ``[^\]]``): a run of ``[`` without ``]`` is scanned once, not once per ``[``.
_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\([^()]{0,2048}\)")
# A span opens only at the start of a run of its delimiter, its inside never holds
# that delimiter, and a tag never holds ``<``: each scan stops at the next
# delimiter, so a line full of them costs linear, not quadratic, time.
_EMPHASIS_RE = re.compile(
    r"(?<!\*)(\*{1,3})(?=\S)([^*]+?)(?<=\S)\1"
    r"|(?<!_)(_{1,3})(?=\S)([^_]+?)(?<=\S)\3"
    r"|(?<!`)(`+)(?=\S)([^`]+?)(?<=\S)\5"
)
_TAG_RE = re.compile(r"<[^<>]*>")
_SPACE_RE = re.compile(r"\s+")
_SLUG_DROP_RE = re.compile(r"[^a-z0-9]+")
# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Unicode's non-characters in the BMP (those of the other planes: _astral_noncharacter).
_NONCHARACTER_RE = re.compile(r"[\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL_RE = re.compile(r"[\U00010000-\U0010ffff]")
# Anything clean_text may change: most text holds none of it and is returned at once.
_SUSPECT_RE = re.compile(
    r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]"
)
_PAGINATED_RE = re.compile(r"-\d+$")

MAX_SLUG_LENGTH = 80
#: Names no file may have on some file system (Windows devices, with any extension).
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)


def clean_text(text: str) -> str:
    """Drop control characters and non-characters, replace lone surrogates: no page can carry them.

    None is text a reader could see; each breaks XML feeds (U+FFFE, U+FFFF and
    most controls are not XML characters) or UTF-8 output.
    """
    if not _SUSPECT_RE.search(text):
        return text
    text = _SURROGATE_RE.sub("\ufffd", text)
    text = _CONTROL_RE.sub("", text)
    text = _NONCHARACTER_RE.sub("", text)
    return _ASTRAL_RE.sub(_astral_noncharacter, text)


def _astral_noncharacter(match: re.Match[str]) -> str:
    """U+1FFFE, U+1FFFF ... U+10FFFF (the last two of each plane) go; other characters stay."""
    return "" if ord(match.group()) & 0xFFFE == 0xFFFE else match.group()


def plain_text(markdown: str) -> str:
    """Strip inline Markdown (links, emphasis, code) and tags; unescape entities."""
    text = _LINK_RE.sub(r"\1", markdown)
    for _ in range(3):
        text, count = _EMPHASIS_RE.subn(_emphasis_inner, text)
        if not count:
            break
    text = _TAG_RE.sub("", text)
    text = text.replace("\\", "") if "\\" in text else text
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


_WRAPPING_EMPHASIS_RE = re.compile(r"^(\*{1,3}|_{1,3})(?P<inner>\S(?:.*\S)?)\1$")
_WHOLE_LINK_RE = re.compile(r"^\[(?P<inner>[^\[\]]+)\]\([^()]*\)$")
_BACKSLASH_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def literal_text(markdown: str) -> str:
    r"""A title as the scraper wrote it: no Markdown read inside it.

    Headlines hold ``*``, ``_`` and brackets as text ("rose 2*3 times",
    "file_name_x"), so only what wraps the whole of it goes: a closing ``#``
    run, one emphasis or one link around everything.  Markdown's backslash
    escapes (``\_``) and HTML entities are undone, since a scraper writes
    them for characters that were in the text.
    """
    text = markdown.strip()
    if text.endswith("#"):
        stripped = text.rstrip("#")
        if not stripped or stripped[-1].isspace():
            text = stripped.strip()
    for _ in range(2):
        match = _WRAPPING_EMPHASIS_RE.match(text) or _WHOLE_LINK_RE.match(text)
        if not match or (text[0] in "*_" and text[0] in match.group("inner")):
            break  # "**a** and **b**" is not one emphasis around everything
        text = match.group("inner").strip()
    text = _BACKSLASH_ESCAPE_RE.sub(r"\1", text) if "\\" in text else text
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


def _emphasis_inner(match: re.Match[str]) -> str:
    return match.group(2) or match.group(4) or match.group(6) or ""


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
    slug = slug.strip("-")
    return f"{slug}-{short_hash(slug)}" if slug in RESERVED_NAMES else slug


def short_hash(text: str) -> str:
    """Eight hex digits naming ``text`` (stable across runs and machines)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def safe_name_slug(name: str, slug: str, reserved: frozenset[str] = frozenset()) -> str:
    """Make a slug computed elsewhere (Pelican's, for authors and agencies) safe as a file name.

    Empty, over-long, reserved (``index`` beside an ``index.html`` list page,
    device names) or pagination-like (``anna-2``, which page 2 of ``anna``
    would also write) slugs get a short hash of ``name``, so two names never
    write the same file and the result is the same on every build.
    """
    slug = slug.strip("-")
    if not slug:
        return f"unnamed-{short_hash(name)}"
    if len(slug) > MAX_SLUG_LENGTH:
        return f"{slugify(slug, MAX_SLUG_LENGTH - 9) or slug[: MAX_SLUG_LENGTH - 9]}-{short_hash(name)}"
    if slug in RESERVED_NAMES or slug in reserved or _PAGINATED_RE.search(slug):
        return f"{slug}-{short_hash(name)}"
    return slug


def truncate_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else cut[:limit]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"
