"""Read the publication date of a seed: from its date line or its source URL."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

#: Years a news archive can hold.  A date line outside them is a scrape or
#: typing error (year 1 would be filed under ``1/01/``), reported, never used.
MIN_YEAR = 1800
MAX_YEARS_AHEAD = 1

#: ``Updated: October 31, 2020`` and the like: the date after the label is the date.
_LABEL = r"(?:(?:last\s+)?updated|published|posted|first\s+published)(?:\s+on)?\s*:?\s*"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_TAIL = r"(?:\s*(?:[,|\u2013\u2014-]|at)?\s*\d{1,2}[:.]\d{2}.*)?"
_PATTERNS = [
    re.compile(rf"^(?:{_LABEL})?{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{1,4}}){_TAIL}$"),
    re.compile(rf"^(?:{_LABEL})?{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{1,4}}){_TAIL}$"),
    re.compile(rf"^(?:{_LABEL})?(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}}){_TAIL}$"),
]  # fmt: skip
_URL_DATE_RE = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/|$)")


class DateLine(NamedTuple):
    """A line shaped like a date: the date it names, or why it names none."""

    date: dt.date | None
    problem: str


def read_date_line(line: str, *, today: dt.date | None = None) -> DateLine | None:
    """Read a whole line as a date; None when the line is not shaped like one.

    Accepts ``October 31, 2020``, ``Oct. 31, 2020``, ``Sept. 3, 2020``,
    ``31 October 2020``, ``Saturday, Oct 31, 2020``, ``2020-10-31`` and any of
    them after ``Updated:``/``Published:``, with an optional time after.  The
    whole line must be a date so body sentences are never mistaken for one.
    A line shaped like a date that names no real day (``February 30, 2020``)
    or an implausible year (``January 1, 1``) comes back with ``date`` None
    and the ``problem``, so the caller can say so instead of guessing.
    """
    text = line.strip().strip("*_").strip().lower()
    if len(text) > 80:
        return None
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
            if month is None:
                return None
            return _checked_date(
                int(match.group("year")), month, int(match.group("day")), today or dt.date.today()
            )
    return None


def parse_date_line(line: str) -> dt.date | None:
    """The date a whole line names, else None (see :func:`read_date_line`)."""
    read = read_date_line(line)
    return read.date if read else None


def date_from_url(url: str) -> dt.date | None:
    """Find ``/YYYY/MM/DD/`` in a source URL, as news sites put it there."""
    match = _URL_DATE_RE.search(url or "")
    if not match:
        return None
    try:
        return dt.date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    except ValueError:
        return None


def _checked_date(year: int, month: int, day: int, today: dt.date) -> DateLine:
    if not MIN_YEAR <= year <= today.year + MAX_YEARS_AHEAD:
        return DateLine(None, f"implausible year {year}")
    try:
        return DateLine(dt.date(year, month, day), "")
    except ValueError:
        return DateLine(None, "no such day")
