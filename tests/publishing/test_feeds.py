"""Atom feeds of the publish build: valid, newest first, absolute links, per author and agency."""

from __future__ import annotations

import re

import feedparser
import pytest

from tests.conftest import FIXTURE_ARCHIVE, build_site

from .conftest import PUBLISHCONF, article_facts, soup_of


def parse(site, relative):
    feed = feedparser.parse((site.output / relative).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def page_of(link, public_url):
    assert link.startswith(public_url + "/"), link
    return link[len(public_url) + 1 :]


def newest_first(facts):
    return sorted(facts, key=lambda fact: fact.date, reverse=True)


def test_whole_archive_feed_lists_every_article_newest_first(publish_site, public_url):
    facts = article_facts(publish_site)
    feed = parse(publish_site, "feeds/all.atom.xml")
    assert feed.feed.title == "News Archive"
    assert feed.feed.links[0].href == public_url + "/"
    entries = feed.entries
    assert len(entries) == len(facts)  # 8 articles < FEED_MAX_ITEMS
    dates = [entry.published[:10] for entry in entries]
    assert dates == sorted(dates, reverse=True)
    by_page = {fact.page: fact for fact in facts}
    assert {page_of(entry.link, public_url) for entry in entries} == set(by_page)
    for entry in entries:
        fact = by_page[page_of(entry.link, public_url)]
        assert entry.title == fact.title
        assert entry.published.startswith(fact.date)
        assert (publish_site.output / page_of(entry.link, public_url)).is_file()
        # every entry has an author (valid Atom): the people, else the agency, else the source
        assert entry.author
        if fact.authors or fact.agency:
            assert entry.author == (", ".join(fact.authors) or fact.agency)
        assert entry.id.startswith("tag:")


def test_entries_carry_full_content_with_absolute_links(publish_site, public_url):
    feed = parse(publish_site, "feeds/all.atom.xml")
    real = next(e for e in feed.entries if "a71920" in e.link)
    content = real.content[0].value
    assert "'Impossible to calculate risks'" in content
    assert real.summary.startswith('Russia said Saturday it would provide "necessary"')
    for entry in feed.entries:
        for href in re.findall(r'(?:href|src)="([^"]*)"', entry.content[0].value):
            assert href.startswith(("https://", "http://", "mailto:", "#")), href


def test_author_feeds(publish_site, public_url):
    facts = article_facts(publish_site)
    authors = {name for fact in facts for name in fact.authors}
    feeds = sorted((publish_site.output / "feeds/authors").glob("*.atom.xml"))
    assert len(feeds) == len(authors)
    for path in feeds:
        feed = parse(publish_site, path.relative_to(publish_site.output).as_posix())
        name = feed.feed.title.removeprefix("News Archive - ")
        assert name in authors
        expected = {fact.page for fact in facts if name in fact.authors}
        assert {page_of(e.link, public_url) for e in feed.entries} == expected


def test_agency_feeds(publish_site, public_url):
    facts = article_facts(publish_site)
    feed = parse(publish_site, "feeds/agencies/afp.atom.xml")
    expected = {fact.page for fact in facts if fact.agency == "AFP"}
    assert expected and {page_of(e.link, public_url) for e in feed.entries} == expected
    wire = parse(publish_site, "feeds/agencies/northwind-wire.atom.xml")
    authors = sorted(e.author for e in wire.entries)
    assert authors == ["Northwind Wire", "Rowan Testa"], "an agency byline signs the entry"


def test_pages_announce_their_feeds(publish_site):
    home = soup_of(publish_site, "index.html")
    links = home.find_all("link", rel="alternate", type="application/atom+xml")
    assert [link["href"] for link in links] == ["./feeds/all.atom.xml"]
    author = soup_of(publish_site, "authors/mariam-harutyunyan.html")
    hrefs = [link["href"] for link in author.find_all("link", rel="alternate")]
    assert hrefs == ["../feeds/all.atom.xml", "../feeds/authors/mariam-harutyunyan.atom.xml"]
    agency = soup_of(publish_site, "agencies/afp.html")
    hrefs = [link["href"] for link in agency.find_all("link", rel="alternate")]
    assert hrefs == ["../feeds/all.atom.xml", "../feeds/agencies/afp.atom.xml"]


@pytest.fixture(scope="module")
def summary_site(tmp_path_factory):
    """Publish build with summary-only entries and at most 3 entries per feed."""
    base = tmp_path_factory.mktemp("summary-feeds")
    return build_site(
        FIXTURE_ARCHIVE,
        base / "output",
        base / "report.json",
        settings_file=PUBLISHCONF,
        overrides=(("FEED_MAX_ITEMS", 3), ("PUBLISHING", {"FEED_CONTENT": "summary"})),
    )


def test_summary_feeds_list_only_the_newest(summary_site, public_url):
    facts = newest_first(article_facts(summary_site))
    feed = parse(summary_site, "feeds/all.atom.xml")
    assert [page_of(e.link, public_url) for e in feed.entries][:1] == [facts[0].page]
    assert {page_of(e.link, public_url) for e in feed.entries} == {f.page for f in facts[:3]}
    assert facts[2].date > facts[3].date, "the fixture has no tie at the cut"
    for entry in feed.entries:
        assert "content" not in entry, "summary only"
        assert entry.summary
