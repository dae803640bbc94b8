"""Read the authors and the agency from a seed's byline."""

from __future__ import annotations

import re
from typing import NamedTuple

from .text import plain_text

_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_FOR_RE = re.compile(r"^(?P<names>.*?)\s+for\s+(?P<agency>[^,]+?)\s*$", re.IGNORECASE)
_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)


class Byline(NamedTuple):
    """Authors (people) and agency (organisation) named by a byline."""

    authors: tuple[str, ...]
    agency: str


def parse_byline(line: str) -> Byline:
    """Parse ``By [Name for AFP](#)``, ``By [A](#) and [B](#)`` or ``By Reuters``.

    A byline without any link names an organisation, not a person: scrapers
    link people's names to their profile pages, never a wire agency's.
    """
    text = re.sub(r"^\W*by\s+", "", line.strip(), flags=re.IGNORECASE)
    has_link = bool(_LINK_RE.search(text))
    text = plain_text(text).strip(" .")
    if not has_link:
        return Byline((), text)
    agency = ""
    match = _FOR_RE.match(text)
    if match:
        text, agency = match.group("names"), match.group("agency").strip(" .")
    names = tuple(
        dict.fromkeys(name.strip(" .") for name in _SPLIT_RE.split(text) if name.strip(" ."))
    )
    return Byline(names, agency)
