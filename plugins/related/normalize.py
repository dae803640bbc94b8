"""Title normalisation: the same headline, spelled the way different pages spell it.

Scraped pages disagree on typography, not on words: curly or straight quotes, en dash or
hyphen, case, spacing, trailing punctuation, HTML entities. ``normalize_title`` erases
exactly those differences so that the exact-match tier can treat them as equal, and
``title_tokens`` splits the result into the words the fuzzy guard reasons about.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["normalize_title", "title_tokens"]

# Typographic variants mapped to one plain character each.
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quote
        "\u2019": "'",  # right single quote / apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",  # prime
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',  # guillemets
        "\u00bb": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",
        "\u2212": "-",  # minus sign
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "&": " and ",
    }
)

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# A token is a run of letters/digits, or a symbol that changes what a number means.
_TOKEN = re.compile(r"[^\W_]+(?:\x00[^\W_]+)*|[%$\u20ac\u00a3\u20bd#+]")


def _unescape(text: str) -> str:
    """Undo HTML entities, including double escaping (``&amp;amp;``) seen in scrapes."""
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def title_tokens(title: str) -> list[str]:
    """Split a title into normalised word tokens.

    Punctuation and spacing disappear, but what distinguishes stories stays: digits
    (``1.5`` and ``15`` differ, ``1,200`` and ``1200`` do not), currency and percent
    signs. A possessive ``'s`` is dropped (``Putin's`` -> ``putin``) so that it cannot
    hide a name's ending; other apostrophes join their word (``won't`` -> ``wont``).
    """
    text = unicodedata.normalize("NFKC", _unescape(title)).translate(_CHAR_MAP)
    text = text.casefold()
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub("\x00", text)  # protect decimal points from the dot removal
    text = _POSSESSIVE.sub("", text)  # Putin's -> putin: keeps Zakharov(a)'s apart
    text = _APOSTROPHE.sub("", text)
    text = text.replace(".", "")  # U.S. -> us, trailing full stops
    return [token.replace("\x00", ".") for token in _TOKEN.findall(text)]


def normalize_title(title: str) -> str:
    """Return the comparison key of a title: its tokens joined by single spaces."""
    return " ".join(title_tokens(title))
