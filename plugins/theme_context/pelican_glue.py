"""Thin glue: hand the theme the site-wide values it shows, so templates compute nothing.

Sets, in the template context (see docs/contracts.md):

- ``SEARCH_PAGE``: the search page's path, ``""`` when the site has none
  (``sitewide.settings.search_page``: ``SEARCH_SAVE_AS`` is the one source);
- ``NAV_LINKS``: the main menu, ``MENU_LINKS`` with Search in its place;
- ``months_by_year``: ``period_archives["month"]`` grouped by year, for the
  archive pages' month lists;
- ``article.byline``: the byline as ``(text, url, rel)`` segments
  (``sitewide.bylines``), linked on article pages, text on cards.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from sitewide.bylines import byline_segments
from sitewide.settings import plugin_enabled, search_page

from .navigation import months_by_year, nav_links


def add_site_values(generator: Any) -> None:
    """``generator_init`` receiver: the context is shared, so the first generator sets it."""
    settings = generator.settings
    if not plugin_enabled(settings, __package__) or "NAV_LINKS" in generator.context:
        return
    page = search_page(settings)
    generator.context["SEARCH_PAGE"] = page
    generator.context["NAV_LINKS"] = nav_links(settings.get("MENU_LINKS") or (), page)


def add_archive_values(generator: Any) -> None:
    """``article_generator_finalized`` receiver: month lists, and every article's byline."""
    if not plugin_enabled(generator.settings, __package__):
        return
    archives = getattr(generator, "period_archives", None) or {}
    generator.context["months_by_year"] = months_by_year(archives.get("month", ()))
    settings = generator.settings
    _bylines.start((settings.get("AUTHOR_URL"), settings.get("CATEGORY_URL")))
    for article in (
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
        *generator.drafts,
        *generator.drafts_translations,
    ):
        article.byline = _bylines.of(article)


class _Bylines:
    """Bylines made, by who signs, for one pair of author and agency page URL patterns.

    An archive has far fewer signatures than articles, and a URL formats from
    settings on every access (a twentieth of a second per 10,000 articles, on
    every dev server save).
    """

    #: Signatures kept at most (a process building archive after archive).
    LIMIT = 100_000

    def __init__(self) -> None:
        self.urls: tuple[Any, ...] | None = None
        self.made: dict[tuple[Any, ...], list[tuple[str, str, str]]] = {}

    def start(self, urls: tuple[Any, ...]) -> None:
        """Forget what was made for other URL patterns."""
        if urls != self.urls or len(self.made) > self.LIMIT:
            self.urls, self.made = urls, {}

    def of(self, article: Any) -> list[tuple[str, str, str]]:
        """The article's byline segments (one shared list per signature: templates only read it)."""
        authors = getattr(article, "authors", None) or ()
        agency = getattr(article, "agency", "") or ""
        category = getattr(article, "category", None) if agency else None
        key = (
            tuple((author.name, author.slug) for author in authors),
            agency,
            category.slug if category else None,
        )
        segments = self.made.get(key)
        if segments is None:
            segments = self.made[key] = byline_segments(
                [(author.name, author.url) for author in authors],
                (agency, category.url if category else "") if agency else None,
            )
        return segments


_bylines = _Bylines()


def register() -> None:
    """Connect the receivers (module-level functions: Pelican holds them weakly)."""
    signals.generator_init.connect(add_site_values)
    signals.article_generator_finalized.connect(add_archive_values)
