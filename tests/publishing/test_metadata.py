"""Canonical, OpenGraph, Twitter card, JSON-LD and description on every page."""

from __future__ import annotations

import html
import posixpath

from newsarchive.linkcheck import check_site
from sitewide.links import link
from structured_data.meta import canonical_url, plain_text
from tests.conftest import FIXTURE_ARCHIVE, build_site

from .conftest import PELICANCONF, article_facts, meta, news_article, soup_of

REAL_PAGE = "2020/10/russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920.html"
SOURCE = "https://www.themoscowtimes.com/2020/10/31/russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920"


def resolve(page, url):
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), url))


def test_every_article_has_matching_metadata(publish_site, public_url):
    for fact in article_facts(publish_site):
        soup = soup_of(publish_site, fact.page)
        url = f"{public_url}/{fact.page}"
        summary = plain_text(fact.summary)
        assert soup.find("link", rel="canonical")["href"] == url
        assert meta(soup, "og:url") == [url]
        assert meta(soup, "og:type") == ["article"]
        assert meta(soup, "og:title") == [fact.title] == meta(soup, "twitter:title")
        assert meta(soup, "og:site_name") == ["News Archive"]
        assert meta(soup, "og:description") == [summary] == meta(soup, "twitter:description")
        assert meta(soup, "twitter:card") == ["summary"]
        assert meta(soup, "article:published_time")[0].startswith(fact.date + "T")
        assert meta(soup, "article:author") == list(fact.authors)
        assert meta(soup, "article:section") == ([fact.agency] if fact.agency else [])
        description = meta(soup, "description")
        assert len(description) == 1
        assert summary.startswith(description[0].removesuffix("...").rstrip())

        data = news_article(soup)
        assert data["@context"] == "https://schema.org"
        assert data["headline"] == fact.title
        assert data["datePublished"] == data["dateModified"] == fact.date
        assert data["url"] == url == data["mainEntityOfPage"]["@id"]
        assert [a["name"] for a in data["author"]] == list(fact.authors)
        for author in data["author"]:
            assert (publish_site.output / author["url"][len(public_url) + 1 :]).is_file()
        assert data["description"] == summary
        assert data.get("sourceOrganization", {}).get("name", "") == fact.agency
        assert data.get("isBasedOn", "") == fact.source_url
        assert data["inLanguage"] == "en"
        assert data["wordCount"] > 0


def test_breadcrumb_list(publish_site, public_url):
    data = news_article(soup_of(publish_site, REAL_PAGE))
    crumbs = data["mainEntityOfPage"]["breadcrumb"]
    assert crumbs["@type"] == "BreadcrumbList"
    items = crumbs["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3, 4]
    assert [item["name"] for item in items] == [
        "News Archive",
        "2020",
        "October 2020",
        "Russia Pledges Help to Yerevan if Fighting Reaches Armenia",
    ]
    pages = [item["item"][len(public_url) + 1 :] for item in items]
    assert pages == [
        "index.html",
        "archives/2020/index.html",
        "archives/2020/10/index.html",
        REAL_PAGE,
    ]
    for page in pages:
        assert (publish_site.output / page).is_file()


def test_listing_pages_name_themselves(publish_site, public_url):
    for page, title in (
        ("index.html", "News Archive"),
        ("authors/mariam-harutyunyan.html", "Mariam Harutyunyan · News Archive"),
        ("agencies/afp.html", "AFP · News Archive"),
        ("archives/2020/10/index.html", "October 2020 · News Archive"),
    ):
        soup = soup_of(publish_site, page)
        assert soup.find("link", rel="canonical")["href"] == f"{public_url}/{page}"
        assert meta(soup, "og:url") == [f"{public_url}/{page}"]
        assert meta(soup, "og:type") == ["website"]
        assert meta(soup, "og:title") == [title]
    about = soup_of(publish_site, "about.html")
    assert about.find("link", rel="canonical")["href"] == f"{public_url}/about.html"
    assert meta(about, "og:title") == ["About this archive"]


def test_404_page_is_noindex_and_links_absolutely(publish_site, public_url):
    soup = soup_of(publish_site, "404.html")
    assert meta(soup, "robots") == ["noindex"]
    assert soup.find("link", rel="canonical") is None
    assert meta(soup, "og:url") == []
    targets = [a["href"] for a in soup.find_all(["a", "link"], href=True)]
    targets += [s["src"] for s in soup.find_all(["script", "img"], src=True)]
    assert targets
    for target in targets:
        if target.startswith("#"):
            continue
        assert target.startswith(public_url + "/"), target
        assert (publish_site.output / target[len(public_url) + 1 :]).is_file(), target


def test_publish_build_pages_still_link_relatively(publish_site):
    assert check_site(publish_site.output) == []
    home = soup_of(publish_site, "index.html")
    assert home.find("link", rel="stylesheet")["href"] == "./theme/css/archive.css"


def test_precompressed_copies(publish_site):
    import gzip

    import brotli

    out = publish_site.output
    for name in ("index.html", REAL_PAGE, "sitemap.xml", "feeds/all.atom.xml", "404.html"):
        original = (out / name).read_bytes()
        assert gzip.decompress((out / f"{name}.gz").read_bytes()) == original, name
        assert brotli.decompress((out / f"{name}.br").read_bytes()) == original, name
    assert not list(out.rglob("*.gz.gz")) and not list(out.rglob("*.br.gz"))


def test_development_build_has_no_absolute_urls(fixture_site):
    soup = soup_of(fixture_site, REAL_PAGE)
    assert soup.find("link", rel="canonical") is None
    assert meta(soup, "og:url") == []
    assert meta(soup, "og:title") == ["Russia Pledges Help to Yerevan if Fighting Reaches Armenia"]
    data = news_article(soup)
    assert resolve(REAL_PAGE, data["url"]) == REAL_PAGE
    items = data["mainEntityOfPage"]["breadcrumb"]["itemListElement"]
    assert [resolve(REAL_PAGE, item["item"]) for item in items] == [
        "index.html",
        "archives/2020/index.html",
        "archives/2020/10/index.html",
        REAL_PAGE,
    ]
    assert resolve(REAL_PAGE, data["author"][0]["url"]) == "authors/mariam-harutyunyan.html"
    assert not (fixture_site.output / "sitemap.xml").exists()
    assert not list(fixture_site.output.rglob("*.gz"))


def test_canonical_to_source(tmp_path, public_url):
    site = build_site(
        FIXTURE_ARCHIVE,
        tmp_path / "out",
        tmp_path / "report.json",
        settings_file=PELICANCONF,
        overrides=(
            ("STRUCTURED_DATA", {"CANONICAL_TO_SOURCE": True}),
            ("PUBLIC_SITEURL", public_url),
        ),
    )
    soup = soup_of(site, REAL_PAGE)
    assert soup.find("link", rel="canonical")["href"] == SOURCE
    assert meta(soup, "og:url") == [SOURCE]
    assert news_article(soup)["url"] == f"{public_url}/{REAL_PAGE}", "JSON-LD names this copy"


def test_meta_helpers():
    assert link("", "index.html", "2020/10/a.html") == "../../index.html"
    assert link("", "2020/10/a.html", "2020/10/a.html") == "a.html"
    assert link("https://h/x/", "index.html", "2020/10/a.html") == "https://h/x/index.html"
    assert canonical_url("", "a.html") == ""
    assert canonical_url("https://h", "a.html", "https://src/1", to_source=True) == "https://src/1"
    assert canonical_url("https://h", "a.html", "", to_source=True) == "https://h/a.html"
    assert plain_text(html.escape("A <b> & “c”")) == "A <b> & “c”"
