"""Integration tests: build the fixture archive once and inspect the real output."""

from __future__ import annotations

import json
import posixpath

import pytest
from bs4 import BeautifulSoup

from newsarchive.linkcheck import check_site

REAL_PAGE = "2020/10/russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920.html"
REAL_URL = (
    "https://www.themoscowtimes.com/2020/10/31/"
    "russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920"
)
GOOD_SEEDS = {
    "000_de2c79a0c33f0dde.txt",
    "001_agency_only.txt",
    "002_two_authors.txt",
    "003_no_byline_url_date.txt",
    "004_bom_crlf.txt",
    "008_same_slug_a.txt",
    "009_same_slug_b.txt",
    "011_latin1.txt",
    "012_cites_two.txt",
}
BAD_SEEDS = {
    "005_empty.txt": "empty file",
    "006_binary.txt": "binary file",
    "007_no_title.txt": "no title",
    "010_no_date.txt": "no date",
}


def soup_of(site, relative):
    return BeautifulSoup(site.page(relative), "html.parser")


def article_pages(site):
    return sorted(
        p.relative_to(site.output).as_posix()
        for p in site.output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html")
    )


def test_every_seed_is_a_page_or_a_report_line(fixture_site):
    report = fixture_site.report_json
    assert report["seeds_found"] == len(GOOD_SEEDS) + len(BAD_SEEDS)
    assert report["articles_written"] == len(GOOD_SEEDS)
    assert len(article_pages(fixture_site)) == len(GOOD_SEEDS)
    skipped = {item["file"].rsplit("/", 1)[-1]: item["reason"] for item in report["skipped"]}
    assert set(skipped) == set(BAD_SEEDS)
    for name, reason in BAD_SEEDS.items():
        assert reason in skipped[name]
    assert [f.rsplit("/", 1)[-1] for f in report["ignored_files"]] == ["README.md"]
    assert report["bugs"] == [] and report["errors"] == []
    assert report["exit_code"] == 0
    latin1 = [w for w in report["warnings"] if w["file"].endswith("011_latin1.txt")]
    assert latin1 and "UTF-8" in latin1[0]["message"]


def test_article_page_shows_the_real_seed(fixture_site):
    soup = soup_of(fixture_site, REAL_PAGE)
    article = soup.find("article", class_="article")
    assert article.h1.get_text() == "Russia Pledges Help to Yerevan if Fighting Reaches Armenia"
    byline = article.find(class_="byline")
    assert [a.get_text() for a in byline.find_all("a")] == ["Mariam Harutyunyan", "AFP"]
    assert byline.find("time")["datetime"] == "2020-10-31"
    caption = article.find("figcaption")
    assert "Stepanakert, Nagorno-Karabakh." in caption.get_text()
    assert (
        caption.find(class_="credit").get_text(strip=True).endswith("Stanislav Krasilnikov / TASS")
    )
    body = article.find(class_="article-body")
    assert "Krasilnikov" not in body.get_text()
    assert len(body.find_all("p", class_=False)) == 26
    joined = [p for p in body.find_all("p") if "Turkey, which backs Baku, into" in p.get_text()]
    assert len(joined) == 1, "the scrape's split paragraph is joined"
    assert [h.get_text() for h in body.find_all(["h3", "h4"])] == [
        "'Impossible to calculate risks'"
    ]
    assert not [
        a for a in soup.find_all("a") if a.get("href", "").startswith("#") and a["href"] != "#main"
    ]
    assert "themoscowtimes" not in body.decode(), "the source URL is not a body paragraph"
    assert "Original url" not in body.get_text()
    source = article.find("a", class_="source-link")
    assert source["href"] == REAL_URL
    related = body.select("p.related-article")
    assert [p.find(class_="related-title").get_text() for p in related] == [
        "Small Outpost is Russia's First Visible Aid to Armenia",
        "Russia 'Open' to Return of Armenia-Held Land to Azerbaijan \u2013 Putin",
    ]
    for line in related:
        assert "not in this archive" in line.get_text()
        assert line.find("a", class_="related-title") is None, "no link to a page we lack"


def test_json_ld(fixture_site):
    soup = soup_of(fixture_site, REAL_PAGE)
    blocks = soup.find_all("script", type="application/ld+json")
    data = [json.loads(block.string) for block in blocks]
    article = next(d for d in data if d["@type"] == "NewsArticle")
    assert article["headline"] == "Russia Pledges Help to Yerevan if Fighting Reaches Armenia"
    assert article["datePublished"] == "2020-10-31"
    assert [(a["@type"], a["name"]) for a in article["author"]] == [
        ("Person", "Mariam Harutyunyan")
    ]
    assert article["sourceOrganization"] == {"@type": "Organization", "name": "AFP"}
    assert article["isBasedOn"] == REAL_URL
    # no public URL in the development build: relative to the page itself
    assert (
        posixpath.normpath(posixpath.join(posixpath.dirname(REAL_PAGE), article["url"]))
        == REAL_PAGE
    )


def test_agency_only_has_no_person(fixture_site):
    page = next(p for p in article_pages(fixture_site) if "idnw27d1zx" in p)
    soup = soup_of(fixture_site, page)
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["author"] == []
    assert data["sourceOrganization"]["name"] == "Northwind Wire"
    assert soup.find(class_="byline").a.get_text() == "Northwind Wire"


def test_same_slug_articles_both_get_pages(fixture_site):
    pages = [p for p in article_pages(fixture_site) if p.startswith("2020/05/extends-closure")]
    assert pages == ["2020/05/extends-closure-2.html", "2020/05/extends-closure.html"]
    texts = {soup_of(fixture_site, p).find(class_="article-body").get_text() for p in pages}
    assert len(texts) == 2


def test_links_are_relative_and_name_files(fixture_site):
    assert check_site(fixture_site.output) == []
    for page in fixture_site.output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for a in soup.find_all("a", href=True):
            href = a["href"]
            if href.startswith(("http://", "https://", "#")):
                continue
            assert not href.startswith("/"), (page, href)
            assert posixpath.splitext(href.split("#")[0].split("?")[0])[1] == ".html", (page, href)


def test_archives_list_every_article(fixture_site):
    listed = set()
    for month_page in fixture_site.output.glob("archives/*/*/index.html"):
        soup = BeautifulSoup(month_page.read_text("utf-8"), "html.parser")
        base = posixpath.dirname(month_page.relative_to(fixture_site.output).as_posix())
        for a in soup.select("main .article-list a"):
            listed.add(posixpath.normpath(posixpath.join(base, a["href"])))
    assert listed == set(article_pages(fixture_site))
    archives = soup_of(fixture_site, "archives/index.html")
    counts = [c.get_text() for c in archives.select(".archive-year h2 .count")]
    assert counts == ["(9)"]


def test_author_and_agency_pages(fixture_site):
    authors = soup_of(fixture_site, "authors/index.html")
    names = [a.get_text() for a in authors.select(".name-list a")]
    assert {"Mariam Harutyunyan", "Tamsin Fairweather", "Orrin Quill"} <= set(names)
    afp = soup_of(fixture_site, "agencies/afp.html")
    titles = [a.get_text() for a in afp.select(".card-title a")]
    assert titles == ["Russia Pledges Help to Yerevan if Fighting Reaches Armenia"]
    assert (fixture_site.output / "agencies/unattributed.html").is_file()


def test_home_about_and_404(fixture_site):
    home = soup_of(fixture_site, "index.html")
    assert len(home.select(".cards .card")) == len(GOOD_SEEDS)
    assert home.find("a", attrs={"aria-current": "page"}).get_text() == "Latest"
    about = soup_of(fixture_site, "about.html")
    assert about.h1.get_text() == "About this archive"
    assert (fixture_site.output / "404.html").is_file()


@pytest.mark.parametrize(
    "page", ["index.html", REAL_PAGE, "archives/index.html", "authors/index.html"]
)
def test_pages_are_semantic_and_self_contained(fixture_site, page):
    soup = soup_of(fixture_site, page)
    for landmark in ("header", "nav", "main", "footer"):
        assert soup.find(landmark) is not None, landmark
    assert soup.find("a", class_="skip-link")["href"] == "#main"
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self'" in csp
    for tag in soup.find_all(["script", "link", "img"]):
        url = tag.get("src") or tag.get("href") or ""
        assert not url.startswith(("http:", "https:", "//")), url
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", "no inline script"
