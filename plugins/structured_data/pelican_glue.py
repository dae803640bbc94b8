"""Thin glue: hand each article and page its machine-read metadata just before it is written.

Sets, per docs/contracts.md:

- ``article.jsonld``: the ``NewsArticle`` JSON-LD (with its ``WebPage`` and
  ``BreadcrumbList``), ready for a ``<script type="application/ld+json">``
  (while the build's text store is open, a ``StoredText`` that reads as it:
  kept on every article to the end of the build, 3 KB each);
- ``canonical_url`` (``""`` when unknown), ``open_graph`` and ``twitter_card``
  (lists of ``(name, content)`` pairs) and ``robots`` (``""`` or ``"noindex"``)
  on articles and pages, rendered by ``partials/head_meta.html``.

It runs at write time so it sees what every other plugin added (for example
the related plugin's ``citations``).

Settings: ``PUBLIC_SITEURL`` (the archive's public address; ``""`` in the
development build, where absolute URLs are left out) and ``STRUCTURED_DATA``,
merged over :data:`DEFAULTS`.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Mapping
from typing import Any

from jinja2.filters import do_truncate
from pelican import signals

from sitewide import text_store
from sitewide.links import link
from sitewide.settings import SiteSettingsError, public_siteurl

from .jsonld import breadcrumb_list, news_article, script_json
from .meta import (
    canonical_url,
    listing_meta,
    listing_title,
    open_graph,
    plain_text,
    twitter_card,
)

#: Characters of ``<meta name="description">`` (Jinja's ``truncate``: a word boundary, "...").
META_DESCRIPTION_LENGTH = 160
#: Documented defaults; ``STRUCTURED_DATA`` in the settings is merged over them.
DEFAULTS: dict[str, Any] = {
    # True: <link rel="canonical"> and og:url of an article name its original
    # source (when it has one) instead of this archive's copy.
    "CANONICAL_TO_SOURCE": False,
}


class StructuredDataSettingsError(SiteSettingsError):
    """``STRUCTURED_DATA`` is malformed."""


def load_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``STRUCTURED_DATA`` over the defaults and validate; never mutates ``settings``."""
    user = settings.get("STRUCTURED_DATA") or {}
    if not isinstance(user, Mapping):
        raise StructuredDataSettingsError(f"STRUCTURED_DATA: expected a dict, got {user!r}")
    unknown = sorted(set(user) - set(DEFAULTS))
    if unknown:
        raise StructuredDataSettingsError(
            f"STRUCTURED_DATA: unknown key(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}"
        )
    merged = dict(DEFAULTS, **user)
    if not isinstance(merged["CANONICAL_TO_SOURCE"], bool):
        raise StructuredDataSettingsError("STRUCTURED_DATA: CANONICAL_TO_SOURCE must be True/False")
    merged["PUBLIC_SITEURL"] = public_siteurl(settings)
    return merged


def check_settings(pelican: Any) -> None:
    """``initialized`` receiver: fail at start, with a clear message, on bad settings."""
    load_settings(pelican.settings)


def article_crumbs(settings: Mapping[str, Any], public: str, content: Any) -> list[tuple[str, str]]:
    """Home, year, month, the article: ``(name, url)`` as seen from the article's page."""
    here = content.url
    date = content.date
    crumbs = list(
        _period_crumbs(
            settings.get("SITENAME", "Home"),
            settings["INDEX_SAVE_AS"],
            settings.get("YEAR_ARCHIVE_URL") or "",
            settings.get("MONTH_ARCHIVE_URL") or "",
            public,
            dt.date(date.year, date.month, 1),
            posixpath.dirname(here),
        )
    )
    crumbs.append((content.title, link(public, here, here)))
    return crumbs


@functools.lru_cache(maxsize=4096)
def _period_crumbs(
    site_name: str,
    index: str,
    year_pattern: str,
    month_pattern: str,
    public: str,
    month: dt.date,
    folder: str,
) -> tuple[tuple[str, str], ...]:
    """Home, year and month crumbs, the same for every article of a month in one folder.

    Archive URLs name a year or a month (as Pelican's period archives do), so
    the first day of the month stands for every date in it.
    """
    here = posixpath.join(folder, "x")
    crumbs = [(site_name, link(public, index, here))]
    for pattern, name in ((year_pattern, f"{month:%Y}"), (month_pattern, f"{month:%B %Y}")):
        if pattern:
            crumbs.append((name, link(public, pattern.format(date=month), here)))
    return tuple(crumbs)


def add_article_meta(generator: Any, content: Any) -> None:
    """``article_generator_write_article`` receiver."""
    config = load_settings(generator.settings)
    public = config["PUBLIC_SITEURL"]
    settings = generator.settings
    authors = list(getattr(content, "authors", None) or [])
    agency = getattr(content, "agency", "") or ""
    description = " ".join(str(getattr(content, "summary", "") or "").split())  # plain text
    modified = getattr(content, "modified", None)
    data = news_article(
        headline=content.title,
        date_published=content.date.strftime("%Y-%m-%d"),
        date_modified=modified.strftime("%Y-%m-%d") if modified else "",
        url=link(public, content.url, content.url),
        authors=[(author.name, link(public, author.url, content.url)) for author in authors],
        language=getattr(content, "lang", "") or "",
        agency=agency,
        section=agency,
        dateline=(getattr(content, "dateline", "") or "").rstrip(" -\u2013\u2014"),
        source_url=getattr(content, "source_url", ""),
        source_site=getattr(content, "source_site", ""),
        description=description,
        word_count=getattr(content, "word_count", 0),
        citations=getattr(content, "citations", None),
        site_name=settings.get("SITENAME", ""),
        site_url=link(public, settings["INDEX_SAVE_AS"], content.url),
        breadcrumb=breadcrumb_list(article_crumbs(settings, public, content)),
    )
    content.jsonld = text_store.kept(script_json(data))
    canonical = canonical_url(
        public,
        content.url,
        getattr(content, "source_url", "") or "",
        to_source=config["CANONICAL_TO_SOURCE"],
    )
    content.canonical_url = canonical
    content.robots = ""
    content.open_graph = open_graph(
        site_name=settings.get("SITENAME", ""),
        title=content.title,
        description=description,
        url=canonical,
        kind="article",
        published=content.date,
        modified=modified,
        authors=[author.name for author in authors],
        section=agency,
    )
    content.twitter_card = twitter_card(title=content.title, description=description)
    content.meta_description = _meta_description(generator, description)


def _meta_description(generator: Any, description: str) -> str:
    """``<meta name="description">``: the description cut as Jinja's ``truncate(160)`` cuts."""
    if not description:
        return str(generator.settings.get("SITESUBTITLE") or "")
    return do_truncate(generator.env, description, META_DESCRIPTION_LENGTH)


def add_listing_meta(generator: Any) -> None:
    """``generator_init`` receiver: listing pages get their metadata from ``listing_meta``.

    Author, agency, period and index pages have no content object to carry
    it; the theme calls this function with what the page lists.
    """
    generator.env.globals["listing_meta"] = functools.partial(
        _listing_meta, load_settings(generator.settings)["PUBLIC_SITEURL"], generator.settings
    )


def _listing_meta(
    public: str,
    settings: Mapping[str, Any],
    output_file: str = "",
    author: Any = None,
    category: Any = None,
    period: Any = (),
) -> dict[str, object]:
    site_name = str(settings.get("SITENAME", ""))
    named = author or category
    return listing_meta(
        site_name=site_name,
        subtitle=str(settings.get("SITESUBTITLE") or ""),
        public_siteurl=public,
        output_file=output_file or "",
        title=listing_title(site_name, named.name if named else "", () if named else period or ()),
    )


def add_page_meta(generator: Any, content: Any) -> None:
    """``page_generator_write_page`` receiver: hidden pages (404) are ``noindex``, no canonical."""
    config = load_settings(generator.settings)
    hidden = getattr(content, "status", "published") != "published"
    description = plain_text(str(getattr(content, "summary", "") or ""))
    canonical = "" if hidden else canonical_url(config["PUBLIC_SITEURL"], content.url)
    content.canonical_url = canonical
    content.robots = "noindex" if hidden else ""
    content.open_graph = open_graph(
        site_name=generator.settings.get("SITENAME", ""),
        title=content.title,
        description=description,
        url=canonical,
        kind="website",
    )
    content.twitter_card = twitter_card(title=content.title, description=description)
    content.meta_description = _meta_description(generator, description)


def register() -> None:
    """Connect the settings check and the metadata builders."""
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_listing_meta)
    signals.article_generator_write_article.connect(add_article_meta)
    signals.page_generator_write_page.connect(add_page_meta)
