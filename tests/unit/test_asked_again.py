"""Answers the dev server reuses from one save to the next are those a fresh run gives.

Bylines are kept by signature, slugs by the articles' questions, name slugs are set
only where they move: each test changes what the kept answer was made from and
checks the answer follows.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category

from seed_reader.dedupe import assign_unique_slugs
from seed_reader.pelican_glue import make_name_slugs_distinct
from theme_context.pelican_glue import add_archive_values

SETTINGS = {
    **DEFAULT_CONFIG,
    "AUTHOR_URL": "authors/{slug}.html",
    "CATEGORY_URL": "agencies/{slug}.html",
    "PLUGINS": ["theme_context"],
}


def _article(name: str, agency: str, settings: dict, slug: str | None = None) -> SimpleNamespace:
    author = Author(name, settings)
    if slug is not None:
        author.slug = slug
    return SimpleNamespace(
        authors=[author], agency=agency, category=Category(agency, settings), source_path=name
    )


def _generator(articles: list, settings: dict) -> SimpleNamespace:
    return SimpleNamespace(
        settings=settings,
        context={},
        period_archives={},
        articles=articles,
        translations=[],
        hidden_articles=[],
        hidden_translations=[],
        drafts=[],
        drafts_translations=[],
    )


def test_bylines_follow_url_settings_and_slugs():
    first = _article("Test Writer", "Example Wire", SETTINGS)
    add_archive_values(_generator([first], SETTINGS))
    assert first.byline == [
        ("By ", "", ""),
        ("Test Writer", "authors/test-writer.html", "author"),
        (" for ", "", ""),
        ("Example Wire", "agencies/example-wire.html", ""),
    ]
    moved = dict(SETTINGS, AUTHOR_URL="people/{slug}/")
    again = _article("Test Writer", "Example Wire", moved)
    add_archive_values(_generator([again], moved))
    assert again.byline[1] == ("Test Writer", "people/test-writer/", "author")
    renamed = _article("Test Writer", "Example Wire", moved, slug="test-writer-2")
    add_archive_values(_generator([renamed], moved))
    assert renamed.byline[1] == ("Test Writer", "people/test-writer-2/", "author")


def _dated(path: str, slug: str, day: int) -> SimpleNamespace:
    return SimpleNamespace(source_path=path, slug=slug, date=dt.datetime(2020, 3, day))


def test_unique_slugs_follow_the_articles_asked_again():
    articles = [_dated("a.txt", "same", 2), _dated("b.txt", "same", 3)]
    assign_unique_slugs(articles)
    assert [a.slug for a in articles] == ["same", "same-2"]
    again = [_dated("a.txt", "same", 4), _dated("b.txt", "same", 3)]  # a.txt now later
    assign_unique_slugs(again)
    assert [a.slug for a in again] == ["same-2", "same"]
    apart = [_dated("a.txt", "same", 4), _dated("b.txt", "other", 3)]
    assign_unique_slugs(apart)
    assert [a.slug for a in apart] == ["same", "other"]


def test_name_slugs_set_only_where_names_share_one():
    one = SimpleNamespace(authors=[Author("王伟", SETTINGS)], category=None)
    other = SimpleNamespace(authors=[Author("汪伟", SETTINGS)], category=None)
    third = SimpleNamespace(authors=[Author("Test Writer", SETTINGS)], category=None)
    make_name_slugs_distinct([one, other, third])
    slugs = [a.authors[0].slug for a in (one, other, third)]
    assert slugs[0] != slugs[1]
    assert slugs[2] == "test-writer"
    assert "wang-wei" in slugs[:2]
