"""Related links in the built fixture archive: resolved in place, honest when not."""

from __future__ import annotations

import json
import posixpath

from bs4 import BeautifulSoup

REAL_PAGE = "2020/10/russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920.html"
CITING_PAGE = "2020/10/eastbrook-volunteers-prepare-sandbags-a71921.html"
FERRY_PAGE = "2020/10/eastbrook-ferry-storms-idnw27d1zx.html"
TIMETABLE_PAGE = "2020/10/eastbrook-calls-for-new-ferry-timetable-a71900.html"


def soup_of(site, page):
    return BeautifulSoup(site.page(page), "html.parser")


def resolve(page, href):
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def test_real_seed_related_titles_are_not_in_this_archive(fixture_site):
    soup = soup_of(fixture_site, REAL_PAGE)
    lines = soup.select(".article-body p.related-unresolved")
    assert [p.find("cite").get_text() for p in lines] == [
        "Small Outpost is Russia's First Visible Aid to Armenia",
        "Russia 'Open' to Return of Armenia-Held Land to Azerbaijan \u2013 Putin",
    ]
    for line in lines:
        assert "not in this archive" in line.get_text()
        for a in line.find_all("a"):
            assert not resolve(REAL_PAGE, a["href"]).startswith("20"), "never an article link"


def test_related_titles_resolve_in_place(fixture_site):
    soup = soup_of(fixture_site, CITING_PAGE)
    lines = soup.select(".article-body p.related-article")
    assert [p["data-related-index"] for p in lines] == ["0", "1"]
    targets = [resolve(CITING_PAGE, p.find("a", class_="related-title")["href"]) for p in lines]
    assert targets == [FERRY_PAGE, TIMETABLE_PAGE]
    for target in targets:
        assert (fixture_site.output / target).is_file()
    assert lines[0].find("time")["datetime"] == "2020-10-28"


def test_fuzzy_spelling_resolves_and_missing_title_is_not_a_link(fixture_site):
    soup = soup_of(fixture_site, TIMETABLE_PAGE)
    lines = soup.select(".article-body p.related-article")
    resolved, missing = lines
    # cited as "...If Storms Spread." (case and trailing period differ)
    assert resolve(TIMETABLE_PAGE, resolved.find("a")["href"]) == FERRY_PAGE
    assert missing.find("cite").get_text() == "An Article That Was Never Scraped"
    assert "not in this archive" in missing.get_text()
    for a in missing.find_all("a"):
        assert not resolve(TIMETABLE_PAGE, a["href"]).startswith("20"), "never a link to an article"


def test_cited_by_is_the_inverse_of_resolved_links(fixture_site):
    soup = soup_of(fixture_site, FERRY_PAGE)
    cited_by = {resolve(FERRY_PAGE, a["href"]) for a in soup.select(".cited-by a")}
    assert cited_by == {CITING_PAGE, TIMETABLE_PAGE}
    # and for every page, each resolved link appears in the target's cited-by
    for page in fixture_site.output.glob("2020/*/*.html"):
        relative = page.relative_to(fixture_site.output).as_posix()
        for a in BeautifulSoup(page.read_text("utf-8"), "html.parser").select(
            ".article-body a.related-title"
        ):
            target = resolve(relative, a["href"])
            back = {
                resolve(target, b["href"])
                for b in soup_of(fixture_site, target).select(".cited-by a")
            }
            assert relative in back


def test_json_ld_citations(fixture_site):
    soup = soup_of(fixture_site, CITING_PAGE)
    data = next(
        d
        for d in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json"))
        if d.get("@type") == "NewsArticle"
    )
    headlines = [c["headline"] for c in data["citation"]]
    assert headlines == [
        "Eastbrook Council Says Ferry Will Run if Storms Spread",
        "Eastbrook Calls for New Ferry Timetable After Talks in Westhaven",
    ]
    assert all(
        c["@type"] == "NewsArticle" and c["isBasedOn"].startswith("https://")
        for c in data["citation"]
    )


def test_report_counts_related_links(fixture_site):
    related = fixture_site.report_json["sections"]["related"]
    assert related["found"] == 6
    assert related["resolved"] == 3
    assert related["unresolved"] == 3
    assert [item["title"] for item in related["unresolved_titles"]] == [
        "An Article That Was Never Scraped",
        "Russia 'Open' to Return of Armenia-Held Land to Azerbaijan \u2013 Putin",
        "Small Outpost is Russia's First Visible Aid to Armenia",
    ]


def test_unresolved_title_links_to_a_search_for_it(fixture_site):
    soup = soup_of(fixture_site, TIMETABLE_PAGE)
    missing = soup.select(".article-body p.related-unresolved")[0]
    link = missing.find("a", class_="related-search")
    target, _, query = link["href"].partition("?")
    assert resolve(TIMETABLE_PAGE, target) == "search.html"
    assert (fixture_site.output / "search.html").is_file()
    assert "q=An" in query and "Never" in query
