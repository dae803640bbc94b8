"""Read the publication date of a seed: from its date line or its source URL."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_TAIL = r"(?:\s*(?:[,|\u2013\u2014-]|at)?\s*\d{1,2}[:.]\d{2}.*)?"
_PATTERNS = [
    re.compile(rf"^{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TAIL}$"),
    re.compile(rf"^{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TAIL}$"),
    re.compile(rf"^(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}}){_TAIL}$"),
]  # fmt: skip
_URL_DATE_RE = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/|$)")


def parse_date_line(line: str) -> dt.date | None:
    """Parse a whole line as a date, else return None.

    Accepts ``October 31, 2020``, ``Oct. 31, 2020``, ``31 October 2020``,
    ``Saturday, Oct 31, 2020`` and ``2020-10-31``, with an optional time after.

    The whole line must be a date so body sentences are never mistaken for one.
    """
    text = line.strip().strip("*_").strip().lower()
    if len(text) > 60:
        return None
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
            if month is None:
                return None
            return _make_date(match.group("year"), month, match.group("day"))
    return None


def date_from_url(url: str) -> dt.date | None:
    """Find ``/YYYY/MM/DD/`` in a source URL, as news sites put it there."""
    match = _URL_DATE_RE.search(url or "")
    if not match:
        return None
    return _make_date(match.group("year"), int(match.group("month")), match.group("day"))


def _make_date(year: str, month: int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None
