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
    urls = (settings.get("AUTHOR_URL"), settings.get("CATEGORY_URL"))
    if _bylines.get("urls") != urls:
        _bylines.clear()
        _bylines["urls"] = urls
    for article in (
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
        *generator.drafts,
        *generator.drafts_translations,
    ):
        article.byline = _byline(article)


#: Bylines made, by who signs and the page URL patterns (cleared when those change): an
#: archive has far fewer signatures than articles, and a URL formats from settings on
#: every access (a twentieth of a second per 10,000 articles, on every dev server save).
_bylines: dict[Any, Any] = {}


def _byline(article: Any) -> list[tuple[str, str, str]]:
    """The article's byline segments (one shared list per signature: templates only read it)."""
    authors = getattr(article, "authors", None) or ()
    agency = getattr(article, "agency", "") or ""
    category = getattr(article, "category", None) if agency else None
    key = (
        tuple((author.name, author.slug) for author in authors),
        agency,
        category.slug if category else None,
    )
    segments = _bylines.get(key)
    if segments is None:
        if len(_bylines) > 100_000:
            urls = _bylines.get("urls")
            _bylines.clear()
            _bylines["urls"] = urls
        segments = _bylines[key] = byline_segments(
            [(author.name, author.url) for author in authors],
            (agency, category.url if category else "") if agency else None,
        )
    return segments


def register() -> None:
    """Connect the receivers (module-level functions: Pelican holds them weakly)."""
    signals.generator_init.connect(add_site_values)
    signals.article_generator_finalized.connect(add_archive_values)
