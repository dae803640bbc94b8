"""Reading generated seed files back, independently of the generator's own code.

What a file should hold is spelled out here from the ground truth alone (the byline of
each kind, the date line of each format), so a test compares the generator's files
with a second, plain statement of the seed format rather than with itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tools.generate import ArticleTruth

COUNT = 400  # files in the shared generated archive (conftest)
MONTHS = [date(2000, m, 1).strftime("%B") for m in range(1, 13)]
AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June"]
AP_MONTHS += ["July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
LABEL_RE = re.compile(r"^(?P<label>Original url:|Original URL:|ORIGINAL URL:)(?P<rest>.*)$")
RELATED_RE = re.compile(
    r"^(?P<label>\*\*Related article:\*\*|Related article:|\*\*Related Article:\*\*"
    r"|\*\*Read more:\*\*) \[(?P<text>.*)\]\(#\)$"
)
URL_DATE_RE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")


def decode(data: bytes) -> str:
    """Decode the way the seed reader does: UTF-8 (BOM dropped), else Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_lines(path: Path) -> list[str]:
    """The file's lines, without line endings or trailing white space."""
    text = decode(path.read_bytes()).replace("\r\n", "\n")
    return [line.rstrip() for line in text.split("\n")]


def layout_of(article: ArticleTruth) -> dict[str, str]:
    """The article's layout fields that differ from the real seed's."""
    return dict(item.split("=", 1) for item in article.layout)


def expected_byline(article: ArticleTruth) -> str:
    """The byline line of the article's kind, "" for none."""
    names, agency = article.authors, article.agency
    links = [f"[{name}](#)" for name in names]
    return {
        "link_agency": lambda: f"By [{names[0]} for {agency}](#)",
        "plain_agency": lambda: f"By {names[0]} for {agency}",
        "link": lambda: f"By {links[0]}",
        "two": lambda: f"By {links[0]} and {links[1]}",
        "three": lambda: f"By {links[0]}, {links[1]} and {links[2]}",
        "two_agency": lambda: f"By {links[0]} and {links[1]} for {agency}",
        "agency": lambda: f"By {agency}",
        "none": lambda: "",
        "none_by_sentence": lambda: "",
    }[article.byline]()


def expected_date_line(article: ArticleTruth) -> str:
    """The date line in the article's format, "" for none."""
    day = date.fromisoformat(article.date)
    long = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return {
        "long": long,
        "abbrev": f"{AP_MONTHS[day.month - 1]} {day.day}, {day.year}",
        "day_first": f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        "updated": f"Updated: {long}",
        "none": "",
    }[article.date_format]


@dataclass
class SeedFile:
    """A generated file cut into its parts (lines without endings or trailing spaces)."""

    lead: list[str]  # blank lines above the title
    header: list[str]  # title to the last header line, blank lines included
    gap: list[str]  # blank lines between header and body
    body: list[str]  # body lines, blank lines included, up to the source lines
    source: list[str]  # from the "Original url:" line to the end

    @property
    def body_blocks(self) -> list[str]:
        """Non-blank body lines (one per paragraph, subhead or related line)."""
        return [line for line in self.body if line]


def cut(lines: list[str], article: ArticleTruth) -> SeedFile:
    """Cut a building article's lines at its title, header end, body and source lines."""
    header_lines = [f"# {article.title}", expected_byline(article), expected_date_line(article)]
    if article.credit:
        header_lines.append(f"{article.caption} **{article.credit}**")
    wanted = [line for line in header_lines if line]
    title_at = lines.index(wanted[0])
    at = title_at
    for line in wanted[1:]:
        at = lines.index(line, at + 1)
    end = at + 1
    source_at = max(i for i, line in enumerate(lines) if LABEL_RE.match(line))
    body_at = end
    while not lines[body_at]:
        body_at += 1
    return SeedFile(
        lead=lines[:title_at],
        header=lines[title_at:end],
        gap=lines[end:body_at],
        body=lines[body_at:source_at],
        source=lines[source_at:],
    )


def source_url_of(source: list[str]) -> str:
    """The URL the source lines name, in ``<...>`` or bare, on or after the label line."""
    match = LABEL_RE.match(source[0])
    rest = match["rest"].strip() or next(line for line in source[1:] if line)
    return rest.removeprefix("<").removesuffix(">")
