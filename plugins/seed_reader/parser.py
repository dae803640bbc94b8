"""Turn the text of one scraped seed file into a plain :class:`Seed` record.

This module knows nothing about Pelican, so it can be unit-tested and run in
worker processes.  Seeds are messy: the parser is tolerant about layout and
strict about what it promises (a title, a date, a body), raising
:class:`SeedError` with a reader-facing reason when a file is not an article.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field, replace

from .body import is_safe_link, related_line_title, render_body
from .bylines import Byline, is_byline, parse_byline
from .dates import date_from_url, read_date_line
from .sources import site_name, slug_from_url
from .text import clean_text, literal_text, plain_text, slugify, truncate_words

__all__ = ["Seed", "SeedError", "decode_seed", "parse_seed", "parse_seed_bytes"]

WORDS_PER_MINUTE = 230
SUMMARY_LENGTH = 300

_TITLE_RE = re.compile(r"^#\s+(?P<title>.+)$")
#: ``Original url:`` with the URL after it on the same line, or alone on a later line.
_SOURCE_RE = re.compile(
    r"^\W{0,3}original\s+url\s*:?\W{0,3}\s*<?(?P<url>[^<>\s]*)>?\s*$", re.IGNORECASE
)
#: The URL on a line of its own after ``Original url:`` (``<https://…>`` or bare).
_URL_LINE_RE = re.compile(r"^<?(?P<url>[a-z][a-z0-9+.\-]*:[^<>\s]*)>?$", re.IGNORECASE)
#: A header line the parser does not know is one only if a date line follows it this soon.
HEADER_LOOKAHEAD = 2
MAX_HEADER_LINE = 200
# Searched, not matched from the start: a leading ``.*?\s*`` is quadratic on long lines.
_CREDIT_RE = re.compile(r"\*\*(?P<credit>[^*]{1,120})\*\*\s*\.?$")
_HEADING_RE = re.compile(r"^#{1,6}\s")
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z\u00C0-\u00DE .'\-]{1,40}(?:,\s+[A-Z][\w .'\-]{1,40})?)"
    r"(?:\s*\([^)]{1,20}\))?\s*[\u2014\u2013-]{1,2}\s+\S"
)


class SeedError(ValueError):
    """A seed file that cannot become an article (a data problem, not a bug)."""


@dataclass(frozen=True)
class Seed:
    """Everything the archive knows about one article, as plain data."""

    title: str
    date: dt.date
    date_source: str
    authors: tuple[str, ...]
    agency: str
    dateline: str
    caption: str
    credit: str
    source_url: str
    source_site: str
    slug: str
    summary: str
    lead: str
    body_text: str
    body_html: str
    related_titles: tuple[str, ...]
    word_count: int
    reading_time: int
    fingerprint: str = ""
    warnings: tuple[str, ...] = field(default=())


#: Byte order marks of encodings whose ASCII text contains NUL bytes.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def fingerprint(source_url: str, body_text: str) -> str:
    """What makes two seeds the same article: source URL and body text (SHA-256).

    Empty when there is no body text, so bodiless seeds are never taken for
    duplicates of one another.
    """
    if not body_text.strip():
        return ""
    return hashlib.sha256(f"{source_url}\n{body_text}".encode("utf-8", "replace")).hexdigest()


def decode_seed(data: bytes) -> tuple[str, list[str]]:
    """Decode seed bytes: UTF-8 (BOM stripped), else a fallback with a warning.

    UTF-16 and UTF-32 with a byte order mark are read as such.  Text that is
    not valid UTF-8 is read as UTF-8 with U+FFFD for the broken bytes when the
    rest is clearly UTF-8 (it has valid multi-byte characters), else as
    Windows-1252 (Latin-1 for the five bytes Windows-1252 leaves undefined).
    Binary files (NUL bytes, mostly control characters) and files with nothing
    but white space are rejected, since no article can come out of them.
    """
    if not data.strip():
        raise SeedError("empty file" if not data else "blank file (only white space)")
    warnings: list[str] = []
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            name = encoding.upper()
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise SeedError(
                    f"starts with a {name} byte order mark but is not {name} ({exc.reason})"
                ) from None
            if not text.strip():
                raise SeedError(f"blank file (only white space, in {name})")
            warnings.append(f"encoded as {name}, not UTF-8; read as {name}")
            break
    else:
        if b"\x00" in data:
            raise SeedError("binary file (contains NUL bytes), not a text seed")
        text = _decode_8bit(data, warnings)
    if _looks_binary(text):
        raise SeedError("binary file (mostly control characters), not a text seed")
    return text, warnings


def _decode_8bit(data: bytes, warnings: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = exc.start
    lenient = data.decode("utf-8-sig", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in lenient):
        broken = lenient.count("\ufffd") - data.decode("utf-8-sig", "ignore").count("\ufffd")
        warnings.append(
            f"not valid UTF-8 ({broken} broken sequence(s), first at byte {first});"
            " read as UTF-8 with U+FFFD in their place"
        )
        return lenient
    warnings.append(f"not valid UTF-8 (byte {first}); decoded as Windows-1252/Latin-1")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


#: Control characters text files do not hold (all of C0 but tab, LF, FF and CR).
_BINARY_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = len(_BINARY_CONTROL_RE.findall(sample))
    return controls > max(8, len(sample) // 20)


def parse_seed_bytes(data: bytes, *, site_names: dict[str, str] | None = None) -> Seed:
    """Parse raw seed bytes; see :func:`parse_seed`."""
    text, warnings = decode_seed(data)
    seed = parse_seed(text, site_names=site_names)
    if warnings:
        seed = _with_warnings(seed, warnings)
    return seed


def _with_warnings(seed: Seed, warnings: list[str]) -> Seed:
    return replace(seed, warnings=(*warnings, *seed.warnings))


def parse_seed(text: str, *, site_names: dict[str, str] | None = None) -> Seed:
    """Parse seed text into a :class:`Seed`, or raise :class:`SeedError`."""
    text = clean_text(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    warnings: list[str] = []

    source_url, lines = _take_source_url(lines, warnings)
    ignored_url = False
    if source_url and (not is_safe_link(source_url) or source_url.startswith("mailto:")):
        shown = source_url if len(source_url) <= 80 else source_url[:77] + "..."
        warnings.append(f"source URL {shown!r} ignored: not an http(s) URL")
        source_url, ignored_url = "", True

    title, rest = _take_title(lines)
    header = _take_header(rest, warnings)

    date, date_source = header.date, "line"
    if date is None:
        date = date_from_url(source_url)
        date_source = "url"
        if date is not None and header.bad_date:
            warnings.append(f"date taken from the source URL instead: {date.isoformat()}")
    if date is None:
        raise SeedError(
            "no date: no date line and no /YYYY/MM/DD/ in the source URL"
            + (
                f" (date line {header.bad_date!r} not used: {header.date_problem})"
                if header.bad_date
                else ""
            )
            + (
                "; " + "; ".join(w for w in warnings if w.startswith("source URL"))
                if ignored_url
                else ""
            )
        )

    body = render_body("\n".join(text for _, text in header.body))
    warnings.extend(body.warnings)
    if not body.text.strip() and not body.related_titles:
        warnings.append("article has no body text")

    lead = body.paragraphs[0] if body.paragraphs else ""
    words = len(body.text.split())
    slug = slug_from_url(source_url) or slugify(title) or "article"

    return Seed(
        title=title,
        date=date,
        date_source=date_source,
        authors=header.byline.authors,
        agency=header.byline.agency,
        dateline=_dateline(lead),
        caption=header.caption,
        credit=header.credit,
        source_url=source_url,
        source_site=site_name(source_url, site_names or {}),
        slug=slug,
        summary=truncate_words(lead, SUMMARY_LENGTH),
        lead=lead,
        body_text=body.text,
        body_html=body.html,
        related_titles=body.related_titles,
        word_count=words,
        reading_time=max(1, round(words / WORDS_PER_MINUTE)),
        fingerprint=fingerprint(source_url, body.text),
        warnings=tuple(warnings),
    )


#: A line of the seed with its number (1-based), so warnings can point at it.
Line = tuple[int, str]


def _take_source_url(lines: list[str], warnings: list[str]) -> tuple[str, list[Line]]:
    """Find the source URL and return the other lines, numbered.

    Scrapers write ``Original url: <https://…>`` on one line, or
    ``Original url:`` and the URL alone on a later line (after blank lines,
    as in the real seed); either way neither line is body text.
    """
    source_url = ""
    kept: list[Line] = []
    waiting_since = 0  # line number of an ``Original url:`` still waiting for its URL
    without_url = 0  # line number of an ``Original url:`` that no URL followed
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip()
        stripped = line.strip()
        if waiting_since:
            if not stripped:
                kept.append((number, line))
                continue
            url_line = _URL_LINE_RE.match(stripped)
            if url_line:
                source_url, waiting_since = source_url or url_line.group("url"), 0
                continue
            without_url, waiting_since = waiting_since, 0
        match = _SOURCE_RE.match(stripped) if "url" in stripped[:24].lower() else None
        if match:
            if match.group("url"):
                source_url = source_url or match.group("url")
            else:
                waiting_since = number
            continue
        kept.append((number, line))
    without_url = without_url or waiting_since
    if without_url and not source_url:
        warnings.append(f"line {without_url}: 'Original url:' with no URL after it")
    return source_url, kept


def _take_title(lines: list[Line]) -> tuple[str, list[Line]]:
    """Find the first ``# `` heading; what precedes it is scrape noise."""
    for index, (_, line) in enumerate(lines):
        match = _TITLE_RE.match(line.strip())
        if match:
            title = literal_text(match.group("title"))
            if title:
                return title, lines[index + 1 :]
    raise SeedError("no title: no '# Title' line")


@dataclass(frozen=True)
class _Header:
    byline: Byline
    date: dt.date | None
    bad_date: str  # a date line that named no usable date
    date_problem: str  # why it named none
    caption: str
    credit: str
    body: list[Line]


def _take_header(lines: list[Line], warnings: list[str]) -> _Header:
    """Read byline, date line and photo caption from the lines after the title.

    They come in that order when present, each optional, with any number of
    blank lines between.  The first line that is none of them starts the
    body, except a short line followed closely by the date line: that is a
    header line the parser does not know, reported and left out of the body.
    """
    byline = Byline((), "")
    date: dt.date | None = None
    bad_date = date_problem = caption = credit = ""
    index = 0
    stage = 0  # 0: byline possible, 1: date possible, 2: caption possible, 3: body
    while index < len(lines) and stage < 3:
        number, line = lines[index][0], lines[index][1].strip()
        if not line:
            index += 1
            continue
        if stage == 0 and is_byline(line):
            byline = parse_byline(line)
            stage, index = 1, index + 1
            continue
        if stage <= 1:
            read = read_date_line(line)
            if read is not None:
                if read.date is None:
                    warnings.append(f"line {number}: date line {line!r} not used: {read.problem}")
                    bad_date, date_problem = line, read.problem
                date = read.date
                stage, index = 2, index + 1
                continue
            if _date_line_follows(lines, index + 1) and len(line) <= MAX_HEADER_LINE:
                warnings.append(f"line {number}: header line {line!r} not understood; left out")
                index += 1
                continue
        match = _CREDIT_RE.search(line)
        if match and not _HEADING_RE.match(line) and related_line_title(line) is None:
            caption = plain_text(line[: match.start()]).strip()
            credit = plain_text(match.group("credit")).strip()
            index += 1
        stage = 3
    return _Header(byline, date, bad_date, date_problem, caption, credit, lines[index:])


def _date_line_follows(lines: list[Line], start: int) -> bool:
    """Whether a date line comes within the next few non-blank lines."""
    seen = 0
    for _, line in lines[start:]:
        if not line.strip():
            continue
        if read_date_line(line) is not None:
            return True
        seen += 1
        if seen >= HEADER_LOOKAHEAD:
            return False
    return False


def _dateline(lead: str) -> str:
    """Return the place a wire story was filed from (``MOSCOW —``), if any."""
    match = _DATELINE_RE.match(lead)
    if not match:
        return ""
    place = match.group("place").strip(" ,")
    letters = [ch for ch in place.split(",")[0] if ch.isalpha()]
    if len(letters) < 3 or not all(ch.isupper() for ch in letters):
        return ""
    return html.unescape(place)
