"""What the theme's navigation shows, worked out once (pure, no Pelican)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: The search page sits just before this menu entry (or last, when there is none).
SEARCH_BEFORE = "about.html"


def nav_links(
    menu_links: Iterable[Sequence[str]], search_page: str, *, title: str = "Search"
) -> list[tuple[str, str]]:
    """``MENU_LINKS`` with the search page added before About, unless already listed."""
    links = [(str(name), str(target)) for name, target in menu_links]
    if not search_page or search_page in {target for _, target in links}:
        return links
    targets = [target for _, target in links]
    at = targets.index(SEARCH_BEFORE) if SEARCH_BEFORE in targets else len(links)
    return [*links[:at], (title, search_page), *links[at:]]


def months_by_year(month_archives: Iterable[Mapping[str, Any]]) -> dict[Any, list[Any]]:
    """Pelican's month archives grouped under their year, in their order."""
    grouped: dict[Any, list[Any]] = {}
    for month in month_archives:
        grouped.setdefault(month["period"][0], []).append(month)
    return grouped
