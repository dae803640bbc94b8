"""sitemap.xml and robots.txt of the publish build."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from publishing.sitemap import SitemapEntry, page_loc, robots_txt, sitemap_files, urlset_xml

from .conftest import article_facts, html_pages

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(site, public_url):
    root = ET.parse(site.output / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc.startswith(public_url + "/"), loc
        page = loc[len(public_url) + 1 :]
        assert page not in entries, f"{page} listed twice"
        entries[page] = url.findtext("sm:lastmod", default="", namespaces=NS)
    return entries


def test_sitemap_lists_every_page_and_nothing_missing(publish_site, public_url):
    entries = sitemap(publish_site, public_url)
    for page in entries:
        assert (publish_site.output / page).is_file(), f"{page} is listed but missing"
    # every HTML page but the 404 page (hidden: served for missing URLs only) and
    # the search page (PUBLISHING["SITEMAP_EXCLUDE"]: a tool, not content)
    assert set(entries) == html_pages(publish_site.output) - {"404.html", "search.html"}
    for fact in article_facts(publish_site):
        assert entries[fact.page].startswith(fact.date), fact.page


def test_listings_have_the_date_of_their_newest_article(publish_site, public_url):
    entries = sitemap(publish_site, public_url)
    facts = article_facts(publish_site)
    newest = max(fact.date for fact in facts)
    for page in ("index.html", "archives/index.html", "authors/index.html", "agencies/index.html"):
        assert entries[page].startswith(newest), page
    assert entries["archives/2020/05/index.html"].startswith("2020-05-20")
    afp = max(fact.date for fact in facts if fact.agency == "AFP")
    assert entries["agencies/afp.html"].startswith(afp)
    assert entries["authors/mariam-harutyunyan.html"].startswith("2020-10-31")
    undated = {page for page, lastmod in entries.items() if not lastmod}
    assert undated == {"about.html"}, "only the hand-written page has no date"


def test_robots_txt_points_to_the_sitemap(publish_site, public_url):
    text = (publish_site.output / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {public_url}/sitemap.xml" in text.splitlines()
    assert text.startswith("User-agent: *\n")


def test_sitemap_xml_is_escaped_and_sorted():
    text = urlset_xml(
        [SitemapEntry("https://h/b.html"), SitemapEntry("https://h/a&b.html", "2020")]
    )
    root = ET.fromstring(text.encode())
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == ["https://h/a&b.html", "https://h/b.html"]
    assert (
        page_loc("https://h/x/", "2020/10/caf\u00e9.html") == "https://h/x/2020/10/caf%C3%A9.html"
    )


def test_too_many_urls_split_under_a_sitemap_index():
    entries = [SitemapEntry(f"https://h/{n:03}.html", f"2020-01-{n % 28 + 1:02}") for n in range(5)]
    files = sitemap_files(entries, "https://h", "sitemap.xml", max_urls=2)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"].encode())
    assert index.tag.endswith("sitemapindex")
    locs = [el.text for el in index.iter() if el.tag.endswith("loc")]
    assert locs == [f"https://h/sitemap-{n}.xml" for n in (1, 2, 3)]
    assert files["sitemap-3.xml"].count("<url>") == 1


@pytest.mark.parametrize("url", ["https://h/sitemap.xml", "https://h/a/sitemap.xml"])
def test_robots_txt_text(url):
    assert robots_txt(url) == f"User-agent: *\nAllow: /\n\nSitemap: {url}\n"
