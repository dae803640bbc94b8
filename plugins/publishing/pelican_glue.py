"""Thin glue for the publish build (enabled in publishconf.py).

- ``content_written``: note every HTML page Pelican writes, whether it belongs
  in the sitemap (published articles and pages, every listing) and its
  ``lastmod`` (an article's date; a listing's newest article).
- ``feed_generated``: each Atom entry gets absolute links in its content, an
  author (the authors, else the agency or source, so the feed is valid Atom),
  its summary escaped as the HTML Atom expects (articles carry it as plain text),
  and only its summary when ``FEED_CONTENT`` is ``"summary"``.
- ``finalized``: write ``sitemap.xml`` and ``robots.txt``, make the links of
  ``ABSOLUTE_LINKS`` pages (the 404 page) absolute, then, with ``PRECOMPRESS``,
  write ``.gz``/``.br`` copies of every text file with pelican-precompress
  (its ``PRECOMPRESS_*`` settings apply). Calling it from here, rather than
  listing it in ``PLUGINS``, orders it after the files above and keeps it out
  of other builds in the same process (Pelican's signals are process-wide, so
  every receiver here also acts only in builds whose ``PLUGINS`` name this plugin).

Settings: ``PUBLIC_SITEURL`` (required for the sitemap, robots.txt and the
absolute links) and ``PUBLISHING``, merged over :data:`DEFAULTS`.
"""

from __future__ import annotations

import fnmatch
import html
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pelican import signals

from sitewide.bylines import signature
from sitewide.settings import SiteSettingsError, plugin_enabled, public_siteurl

from .links import absolutize_html
from .sitemap import MAX_URLS, SitemapEntry, page_loc, robots_txt, sitemap_files, w3c_date

logger = logging.getLogger(__name__)

#: Documented defaults; ``PUBLISHING`` in the settings is merged over them.
DEFAULTS: dict[str, Any] = {
    # sitemap file name under the output folder ("" for none)
    "SITEMAP": "sitemap.xml",
    # robots.txt naming the sitemap ("" for none)
    "ROBOTS": "robots.txt",
    # glob patterns of output paths left out of the sitemap (hidden and draft
    # articles and pages, e.g. the 404 page, are always left out)
    "SITEMAP_EXCLUDE": ["search.html"],
    # URLs per sitemap file before it is split under a sitemap index
    "SITEMAP_MAX_URLS": MAX_URLS,
    # "full": Atom entries carry the whole article; "summary": only its summary
    "FEED_CONTENT": "full",
    # pages whose relative links are made absolute (served at any depth by hosts)
    "ABSOLUTE_LINKS": ["404.html"],
    # .gz/.br copies of text files for hosts that serve them (pelican-precompress)
    "PRECOMPRESS": False,
}


class PublishingSettingsError(SiteSettingsError):
    """``PUBLISHING`` is malformed."""


def load_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``PUBLISHING`` over the defaults and validate; never mutates ``settings``."""
    user = settings.get("PUBLISHING") or {}
    if not isinstance(user, Mapping):
        raise PublishingSettingsError(f"PUBLISHING: expected a dict, got {user!r}")
    unknown = sorted(set(user) - set(DEFAULTS))
    if unknown:
        raise PublishingSettingsError(
            f"PUBLISHING: unknown key(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}"
        )
    merged = dict(DEFAULTS, **user)
    if merged["FEED_CONTENT"] not in ("full", "summary"):
        raise PublishingSettingsError("PUBLISHING: FEED_CONTENT must be 'full' or 'summary'")
    for key in ("SITEMAP", "ROBOTS"):
        value = merged[key] or ""
        if not isinstance(value, str) or value.startswith("/") or ".." in value.split("/"):
            raise PublishingSettingsError(f"PUBLISHING: {key} must be a path inside the output")
        merged[key] = value
    for key in ("SITEMAP_EXCLUDE", "ABSOLUTE_LINKS"):
        value = merged[key]
        if isinstance(value, str) or not all(isinstance(item, str) for item in value):
            raise PublishingSettingsError(f"PUBLISHING: {key} must be a list of paths")
        merged[key] = list(value)
    if not isinstance(merged["PRECOMPRESS"], bool):
        raise PublishingSettingsError("PUBLISHING: PRECOMPRESS must be True or False")
    limit = merged["SITEMAP_MAX_URLS"]
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_URLS:
        raise PublishingSettingsError(f"PUBLISHING: SITEMAP_MAX_URLS must be 1..{MAX_URLS}")
    merged["PUBLIC_SITEURL"] = public_siteurl(settings)
    return merged


def enabled(settings: Mapping[str, Any]) -> bool:
    """Whether this build lists the plugin (receivers outlive the build that connected them)."""
    return plugin_enabled(settings, __package__)


@dataclass(frozen=True)
class WrittenPage:
    """A page Pelican wrote, as the sitemap sees it."""

    listed: bool
    lastmod: datetime | None


#: Output folder -> {relative path: page}; reset when a build starts.
_written: dict[str, dict[str, WrittenPage]] = {}


def _newest(items: Any) -> datetime | None:
    dates = [getattr(item, "modified", None) or item.date for item in items or []]
    return max(dates, default=None)


def classify(context: Mapping[str, Any]) -> WrittenPage:
    """Whether a written page belongs in the sitemap, and its last modification."""
    for key in ("article", "page"):
        content = context.get(key)
        if content is not None:
            lastmod = getattr(content, "modified", None) or getattr(content, "date", None)
            return WrittenPage(getattr(content, "status", "published") == "published", lastmod)
    # a listing: its own articles (``dates``) or the whole archive (``articles``)
    return WrittenPage(True, _newest(context.get("dates") or context.get("articles")))


def start_build(pelican: Any) -> None:
    """``initialized`` receiver: validate the settings, forget the previous build's pages."""
    if not enabled(pelican.settings):
        return
    load_settings(pelican.settings)
    _written[str(Path(pelican.output_path).resolve())] = {}


def note_written(path: str, context: Mapping[str, Any]) -> None:
    """``content_written`` receiver."""
    if not path.endswith(".html") or not enabled(context):
        return
    output = str(Path(context["OUTPUT_PATH"]).resolve())
    relative = Path(os.path.relpath(path, output)).as_posix()
    _written.setdefault(output, {})[relative] = classify(context)


def fix_feed(context: Mapping[str, Any], feed: Any) -> None:
    """``feed_generated`` receiver: absolute links, an author per entry, full or summary."""
    if not enabled(context):
        return
    config = load_settings(context)
    site_url = str(context.get("SITEURL", "")).rstrip("/")
    by_url = {article.url: article for article in context.get("articles", [])}
    for item in feed.items:
        link = item.get("link") or ""
        article = by_url.get(link.removeprefix(site_url + "/")) if site_url else None
        if article is not None:
            item["author_name"] = _feed_author(article, context)
            if item.get("description"):  # the summary is plain text; Atom's is HTML
                item["description"] = html.escape(str(article.summary), quote=False)
        elif not item.get("author_name"):
            item["author_name"] = str(context.get("SITENAME", ""))
        if item.get("content"):
            item["content"] = absolutize_html(item["content"], link)
        if config["FEED_CONTENT"] == "summary":
            item["description"] = item.get("description") or item.get("content")
            item["content"] = None


def _feed_author(article: Any, context: Mapping[str, Any]) -> str:
    return signature(
        [author.name for author in getattr(article, "authors", None) or []],
        getattr(article, "agency", "") or "",
        getattr(article, "source_site", "") or "",
        str(context.get("SITENAME", "")),
    )


def write_files(pelican: Any) -> None:
    """``finalized`` receiver: sitemap, robots.txt, absolute 404 links, pre-compressed copies."""
    if not enabled(pelican.settings):
        return
    config = load_settings(pelican.settings)
    output = Path(pelican.output_path).resolve()
    pages = _written.pop(str(output), {})
    public = config["PUBLIC_SITEURL"]
    if not public:
        logger.warning(
            "PUBLISHING: PUBLIC_SITEURL is empty, so no sitemap, robots.txt or absolute"
            " 404 links were written (set it in publishconf.py)"
        )
    else:
        _write_public_files(config, output, pages)
    if config["PRECOMPRESS"]:
        precompress(pelican)


def precompress(pelican: Any) -> None:
    """Write ``.gz``/``.br`` beside every text file of the output (pelican-precompress)."""
    from pelican.plugins.precompress import compress_files

    compress_files(pelican)


def _write_public_files(
    config: Mapping[str, Any], output: Path, pages: Mapping[str, WrittenPage]
) -> None:
    public = config["PUBLIC_SITEURL"]
    if config["SITEMAP"]:
        entries = [
            SitemapEntry(page_loc(public, relative), w3c_date(page.lastmod))
            for relative, page in pages.items()
            if page.listed
            and not any(fnmatch.fnmatch(relative, pattern) for pattern in config["SITEMAP_EXCLUDE"])
        ]
        files = sitemap_files(entries, public, config["SITEMAP"], config["SITEMAP_MAX_URLS"])
        for name, text in files.items():
            _write(output / name, text)
        logger.info("Sitemap: %d URLs in %s", len(entries), ", ".join(sorted(files)))
    if config["ROBOTS"]:
        sitemap_url = page_loc(public, config["SITEMAP"]) if config["SITEMAP"] else ""
        text = robots_txt(sitemap_url) if sitemap_url else "User-agent: *\nAllow: /\n"
        _write(output / config["ROBOTS"], text)
        if urlsplit(public).path.strip("/"):
            logger.info(
                "robots.txt is only read at the root of a host; %s is below it,"
                " so submit %s to search engines directly",
                public,
                config["SITEMAP"] or "the sitemap",
            )
    for relative in config["ABSOLUTE_LINKS"]:
        path = output / relative
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            _write(path, absolutize_html(text, page_loc(public, relative)))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def register() -> None:
    """Connect the receivers (module-level functions: Pelican holds them weakly)."""
    signals.initialized.connect(start_build)
    signals.content_written.connect(note_written)
    signals.feed_generated.connect(fix_feed)
    signals.finalized.connect(write_files)
