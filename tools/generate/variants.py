"""Ways another page of the same site spells a title it cites."""

from __future__ import annotations

import re
from collections.abc import Callable

from .text import TextGenerator

RELATED_VARIANTS = (
    "exact",
    "quotes",
    "dash",
    "case",
    "spaces",
    "trailing",
    "entity_amp",
    "entity_apos",
    "drop_the",
    "missing",
    "missing_near",
)
VARIANT_WEIGHTS = (30, 9, 8, 8, 7, 7, 5, 6, 5, 9, 6)


def _has_quote(title: str) -> bool:
    return any(ch in title for ch in "'\"\u2018\u2019\u201c\u201d")


_COMPOUND_HYPHEN_RE = re.compile(r"(?<=[a-z])-(?=[A-Z])")


def _has_dash(title: str) -> bool:
    return "\u2013" in title or " - " in title or bool(_COMPOUND_HYPHEN_RE.search(title))


# Variants that only make sense for some titles, and the test for those titles.
VARIANT_FEATURES: dict[str, Callable[[str], bool]] = {
    "quotes": _has_quote,
    "entity_apos": _has_quote,
    "dash": _has_dash,
    "entity_amp": lambda title: "&" in title,
    "drop_the": lambda title: title.startswith("The "),
}


_STRAIGHT_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _swap_quotes(title: str) -> str:
    """Curly quotes become straight ones, or straight ones curly."""
    if any(ch in title for ch in "\u2018\u2019\u201c\u201d"):
        return title.translate(_STRAIGHT_QUOTES)
    out = []
    for i, ch in enumerate(title):
        opening = i == 0 or title[i - 1] == " "
        if ch == "'":
            out.append("\u2018" if opening else "\u2019")
        elif ch == '"':
            out.append("\u201c" if opening else "\u201d")
        else:
            out.append(ch)
    return "".join(out)


def apply_variant(gen: TextGenerator, title: str, variant: str) -> str:
    """Spell a title the way another page of the same site might."""
    if variant == "quotes":
        return _swap_quotes(title)
    if variant == "dash":
        if "\u2013" in title:
            return title.replace("\u2013", "-")
        return _COMPOUND_HYPHEN_RE.sub("\u2013", title.replace(" - ", " \u2013 "))
    if variant == "case":
        return gen.choice((str.lower, str.upper, str.capitalize))(title)
    if variant == "spaces":
        spaces = [i for i, ch in enumerate(title) if ch == " "]
        i = gen.choice(spaces)
        return title[:i] + "  " + title[i + 1 :]
    if variant == "trailing":
        return title + gen.choice((".", ".", ":", ","))
    if variant == "entity_amp":
        return title.replace("&", "&amp;")
    if variant == "entity_apos":
        entity = "&#8217;" if gen.random() < 0.7 else "&#39;"
        return re.sub("['\u2018\u2019]", entity, title)
    if variant == "drop_the":
        return title.removeprefix("The ")
    return title
