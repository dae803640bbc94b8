"""How a seed file is laid out: the real seed's layout, and the variants scrapes produce.

The real seed (``seeds/000_de2c79a0c33f0dde.txt``) starts with two blank lines, then
``# Title``, a blank line, ``By [Name for Agency](#)``, a blank line, ``October 31, 2020``,
three blank lines, the photo caption, a blank line and the body; it ends with
``Original url:``, a blank line and ``<https://...>`` alone on the last line, with no
newline after it. Most generated files are laid out exactly so; a fixed share
(:data:`VARIED_SHARE`) varies one or more of the :class:`Layout` fields, and the ground
truth records each file's layout, so the expected parse of every file is known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from . import vocabulary as vocab
from .text import TextGenerator

VARIED_SHARE = 0.3
#: Chance that a varied file varies each field (at least one field always varies).
FIELD_SHARE = 0.3

#: Where the source URL stands: ``own_line`` is the real seed's (label, blank, ``<url>``).
URL_STYLES = (
    "own_line",
    "next_line_bare",
    "no_blank",
    "two_blanks",
    "same_line_angle",
    "same_line_bare",
)
URL_LABELS = ("Original url:", "Original URL:", "ORIGINAL URL:")
#: ``link_agency`` is the real seed's ``By [Name for Agency](#)``.
BYLINE_KINDS = (
    "link_agency",
    "plain_agency",
    "link",
    "two",
    "three",
    "two_agency",
    "agency",
    "none",
    "none_by_sentence",
)
DATE_FORMATS = ("long", "abbrev", "day_first", "updated", "none")
RELATED_STYLES = ("bold", "plain", "bold_capital", "read_more")
RELATED_LABELS = {
    "bold": "**Related article:**",
    "plain": "Related article:",
    "bold_capital": "**Related Article:**",
    "read_more": "**Read more:**",
}
#: Blank lines between the header lines: the real seed's, 2-3 each, or none.
SPACINGS = ("real", "extra", "tight")
_REAL_GAPS = {"title": 1, "byline": 1, "date": 3, "caption": 1}
_SENTENCE_OPENINGS = ("By {weekday} evening, the", "By the end of {month}, the", "By midday, the")


@dataclass(frozen=True, slots=True)
class Layout:
    """One file's layout; the defaults are the real seed's."""

    url_style: str = "own_line"
    url_label: str = "Original url:"
    byline: str = "link_agency"
    date_format: str = "long"
    related_style: str = "bold"
    spacing: str = "real"
    crlf: bool = False
    trailing_spaces: bool = False
    final_newline: bool = False

    def variants(self) -> tuple[str, ...]:
        """``field=value`` for every field that differs from the real seed's layout."""
        real = Layout()
        return tuple(
            f"{f.name}={getattr(self, f.name)}"
            for f in fields(self)
            if getattr(self, f.name) != getattr(real, f.name)
        )


_CHOICES: dict[str, tuple[object, ...]] = {
    "url_style": URL_STYLES,
    "url_label": URL_LABELS,
    "byline": BYLINE_KINDS,
    "date_format": DATE_FORMATS,
    "related_style": RELATED_STYLES,
    "spacing": SPACINGS,
    "crlf": (False, True),
    "trailing_spaces": (False, True),
    "final_newline": (False, True),
}


def draw_layout(gen: TextGenerator, varied: bool) -> Layout:
    """The real layout, or (``varied``) one with at least one field changed."""
    if not varied:
        return Layout()
    names = list(_CHOICES)
    changed = {name for name in names if gen.random() < FIELD_SHARE}
    if not changed:
        changed = {gen.choice(names)}
    values = {name: gen.choice(_CHOICES[name][1:]) for name in names if name in changed}
    if values.get("byline") == "none_by_sentence" and gen.random() < 0.5:
        values["date_format"] = "none"  # the sentence right under the title: the hard case
    return Layout(**values)  # type: ignore[arg-type]


def format_date(day: dt.date, style: str) -> str:
    """The date line in one of the styles seeds use (``style`` other than ``none``)."""
    if style == "long":
        return f"{vocab.MONTHS[day.month - 1]} {day.day}, {day.year}"
    if style == "abbrev":  # AP style: "Oct. 31, 2020", "Sept. 3, 2020", "March 5, 2020"
        return f"{vocab.AP_MONTHS[day.month - 1]} {day.day}, {day.year}"
    if style == "updated":
        return f"Updated: {vocab.MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {vocab.MONTHS[day.month - 1]} {day.year}"


def draw_byline(gen: TextGenerator, kind: str) -> tuple[str, tuple[str, ...], str]:
    """Return (line or "", authors, agency) for a byline of ``kind``."""
    if kind.startswith("none"):
        return "", (), ""
    agency = gen.choice(vocab.AGENCIES)
    if kind == "agency":
        return f"By {agency}", (), agency
    size = {"two": 2, "two_agency": 2, "three": 3}.get(kind, 1)
    authors: list[str] = []
    while len(authors) < size:
        name = f"{gen.choice(vocab.FIRST_NAMES)} {gen.choice(vocab.LAST_NAMES)}"
        if name not in authors:
            authors.append(name)
    if kind == "link_agency":
        return f"By [{authors[0]} for {agency}](#)", tuple(authors), agency
    if kind == "plain_agency":
        return f"By {authors[0]} for {agency}", tuple(authors), agency
    links = [f"[{name}](#)" for name in authors]
    names = links[0] if size == 1 else ", ".join(links[:-1]) + f" and {links[-1]}"
    if kind == "two_agency":
        return f"By {names} for {agency}", tuple(authors), agency
    return f"By {names}", tuple(authors), ""


def by_sentence(gen: TextGenerator) -> str:
    """A first paragraph that starts with "By " but is a sentence, not a byline."""
    opening = gen.choice(_SENTENCE_OPENINGS).format(
        weekday=gen.choice(vocab.WEEKDAYS), month=gen.choice(vocab.MONTHS)
    )
    return f"{opening} {gen.pick(gen.nouns)} had {gen.pick(gen.verbs)} {gen.noun_phrase()}."


def related_line(text: str, style: str) -> str:
    """A citation of another article by its title, as a line of its own."""
    return f"{RELATED_LABELS[style]} [{text}](#)"


def header_lines(layout: Layout, header: list[tuple[str, str]], gen: TextGenerator) -> list[str]:
    """Lay out (kind, line) pairs (title, byline, date, caption) with their blank lines.

    The lines end with the blank line(s) before the body.
    """
    lines = [""] * {"real": 2, "extra": 3, "tight": 0}[layout.spacing]
    for number, (kind, line) in enumerate(header):
        lines.append(line)
        last = number == len(header) - 1
        if layout.spacing == "real":
            gap = _REAL_GAPS[kind]
        elif layout.spacing == "extra":
            gap = 2 + int(gen.random() * 2)
        else:
            gap = 1 if last else 0
        lines += [""] * gap
    return lines


def source_lines(layout: Layout, url: str) -> list[str]:
    """The closing lines that name the source URL."""
    label = layout.url_label
    return {
        "own_line": [label, "", f"<{url}>"],
        "next_line_bare": [label, "", url],
        "no_blank": [label, f"<{url}>"],
        "two_blanks": [label, "", "", f"<{url}>"],
        "same_line_angle": [f"{label} <{url}>"],
        "same_line_bare": [f"{label} {url}"],
    }[layout.url_style]


def finish(lines: list[str], layout: Layout, gen: TextGenerator) -> str:
    """Join the lines as the layout says: trailing spaces, final newline, line endings."""
    if layout.trailing_spaces:
        lines = [
            line + gen.choice((" ", "  ", "\t ")) if line and gen.random() < 0.5 else line
            for line in lines
        ]
        lines[-1] += " "  # the URL line always, the case a parser is most likely to miss
    text = "\n".join(lines) + ("\n" if layout.final_newline else "")
    return text.replace("\n", "\r\n") if layout.crlf else text
