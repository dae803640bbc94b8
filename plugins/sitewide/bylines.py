"""How an article is signed, composed once for pages and feeds."""

from __future__ import annotations

from collections.abc import Sequence

#: One piece of a byline: its text, the page it links to ("" for none) and the link's ``rel``.
Segment = tuple[str, str, str]


def byline_segments(
    authors: Sequence[tuple[str, str]], agency: tuple[str, str] | None
) -> list[Segment]:
    """``By A, B and C for Agency`` as segments; ``authors`` and ``agency`` are (name, url).

    The theme shows the segments, linked on article pages and as text on
    cards; an article signed by nobody has no byline.
    """
    segments: list[Segment] = []
    if not authors and not agency:
        return segments
    segments.append(("By ", "", ""))
    for number, (name, url) in enumerate(authors):
        if number:
            segments.append((" and " if number == len(authors) - 1 else ", ", "", ""))
        segments.append((name, url, "author"))
    if agency:
        if authors:
            segments.append((" for ", "", ""))
        segments.append((agency[0], agency[1], ""))
    return segments


def signature(authors: Sequence[str], agency: str, source_site: str, site_name: str) -> str:
    """The one name a feed entry is signed with: the people, else the agency, else the source."""
    return ", ".join(authors) or agency or source_site or site_name
