"""Read the authors and the agency from a seed's byline."""

from __future__ import annotations

import re
from typing import NamedTuple

from .text import plain_text

_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BY_RE = re.compile(r"^\W*by\s+", re.IGNORECASE)
_FOR_RE = re.compile(r"^(?P<names>.*?)\s+for\s+(?P<agency>[^,]+?)\s*$", re.IGNORECASE)
_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
#: Lower-case words a name or an agency may hold ("Agence France-Presse",
#: "Ursula von der Leyen", "for"); any other lower-case word makes a sentence.
_NAME_PARTICLES = frozenset(
    {"and", "for", "of", "the", "de", "del", "della", "der", "des", "di", "du", "da", "dos"}
    | {"la", "le", "van", "von", "zu", "al", "el", "bin", "ibn", "y", "e"}
)
MAX_BYLINE_LENGTH = 300
MAX_PLAIN_BYLINE_WORDS = 12


class Byline(NamedTuple):
    """Authors (people) and agency (organisation) named by a byline."""

    authors: tuple[str, ...]
    agency: str


def is_byline(line: str) -> bool:
    """Whether a line is a byline, not a body sentence that starts with "By".

    Scrapers link bylines (``By [Name for AFP](#)``) or write names alone
    (``By Name for AFP``, ``By AFP``); "By Saturday evening, the fighting had
    spread" is a sentence: it holds lower-case words that no name holds.
    """
    stripped = line.strip()
    if len(stripped) > MAX_BYLINE_LENGTH or not _BY_RE.match(stripped):
        return False
    rest = _BY_RE.sub("", stripped)
    if _LINK_RE.search(rest):
        return True
    words = plain_text(rest).replace(",", " ").replace("&", " ").split()
    if not words or len(words) > MAX_PLAIN_BYLINE_WORDS or rest.rstrip().endswith(("!", "?", ":")):
        return False
    return all(word[0].isupper() or word in _NAME_PARTICLES for word in words)


def parse_byline(line: str) -> Byline:
    """Parse ``By [Name for AFP](#)``, ``By [A](#) and [B](#) for Reuters`` or ``By Reuters``.

    ``… for Agency`` names the agency, linked or not.  A byline naming no
    agency and holding no link names an organisation, not a person:
    scrapers link people's names to their profile pages, never a wire
    agency's (``By The Associated Press``).
    """
    text = _BY_RE.sub("", line.strip())
    has_link = bool(_LINK_RE.search(text))
    text = plain_text(text).strip(" .")
    agency = ""
    match = _FOR_RE.match(text)
    if match:
        text, agency = match.group("names"), match.group("agency").strip(" .")
    elif not has_link:
        return Byline((), text)
    names = tuple(
        dict.fromkeys(name.strip(" .") for name in _SPLIT_RE.split(text) if name.strip(" ."))
    )
    return Byline(names, agency)
