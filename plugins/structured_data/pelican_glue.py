"""Thin glue: compute ``article.jsonld`` just before each article is written.

It runs at write time so it sees what every other plugin added (for example
the related plugin's ``citations``).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from .jsonld import absolute, news_article, script_json


def add_jsonld(generator: Any, content: Any) -> None:
    """``article_generator_write_article`` receiver."""
    site_url = generator.settings.get("SITEURL", "")
    data = news_article(
        headline=content.title,
        date_published=content.date.strftime("%Y-%m-%d"),
        url=absolute(site_url, content.url),
        authors=[author.name for author in getattr(content, "authors", [])],
        agency=getattr(content, "agency", ""),
        source_url=getattr(content, "source_url", ""),
        source_site=getattr(content, "source_site", ""),
        description=getattr(content, "lead", "")[:300],
        word_count=getattr(content, "word_count", 0),
        citations=getattr(content, "citations", None),
    )
    content.jsonld = script_json(data)


def register() -> None:
    """Connect the JSON-LD builder."""
    signals.article_generator_write_article.connect(add_jsonld)
