"""Related links in the built fixture archive: resolved in place, honest when not."""

from __future__ import annotations

import json
import posixpath

from bs4 import BeautifulSoup

REAL_PAGE = "2020/10/russian-volunteers-eye-karabakh-war-as-kremlin-keeps-its-distance-a71921.html"
PUTIN_PAGE = "2020/10/us-armenia-azerbaijan-putin-iduskbn27d1zx.html"
CEASEFIRE_PAGE = "2020/10/russia-calls-for-new-karabakh-ceasefire-a71900.html"


def soup_of(site, page):
    return BeautifulSoup(site.page(page), "html.parser")


def resolve(page, href):
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def test_real_seed_related_titles_resolve_in_place(fixture_site):
    soup = soup_of(fixture_site, REAL_PAGE)
    lines = soup.select(".article-body p.related-article")
    assert [p["data-related-index"] for p in lines] == ["0", "1"]
    targets = [resolve(REAL_PAGE, p.find("a", class_="related-title")["href"]) for p in lines]
    assert targets == [PUTIN_PAGE, CEASEFIRE_PAGE]
    for target in targets:
        assert (fixture_site.output / target).is_file()
    assert lines[0].find("time")["datetime"] == "2020-10-28"


def test_fuzzy_spelling_resolves_and_missing_title_is_not_a_link(fixture_site):
    soup = soup_of(fixture_site, CEASEFIRE_PAGE)
    lines = soup.select(".article-body p.related-article")
    resolved, missing = lines
    # cited as "...If Conflict Spreads." (case and trailing period differ)
    assert resolve(CEASEFIRE_PAGE, resolved.find("a")["href"]) == PUTIN_PAGE
    assert missing.find("cite").get_text() == "An Article That Was Never Scraped"
    assert "not in this archive" in missing.get_text()
    for a in missing.find_all("a"):
        assert not resolve(CEASEFIRE_PAGE, a["href"]).startswith("20"), "never a link to an article"


def test_cited_by_is_the_inverse_of_resolved_links(fixture_site):
    soup = soup_of(fixture_site, PUTIN_PAGE)
    cited_by = {resolve(PUTIN_PAGE, a["href"]) for a in soup.select(".cited-by a")}
    assert cited_by == {REAL_PAGE, CEASEFIRE_PAGE}
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
    soup = soup_of(fixture_site, REAL_PAGE)
    data = next(
        d
        for d in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json"))
        if d.get("@type") == "NewsArticle"
    )
    headlines = [c["headline"] for c in data["citation"]]
    assert headlines == [
        "Putin Says Russia Will Defend Armenia if Conflict Spreads",
        "Russia Calls for New Karabakh Ceasefire After Talks in Moscow",
    ]
    assert all(
        c["@type"] == "NewsArticle" and c["isBasedOn"].startswith("https://")
        for c in data["citation"]
    )


def test_report_counts_related_links(fixture_site):
    related = fixture_site.report_json["sections"]["related"]
    assert related["found"] == 4
    assert related["resolved"] == 3
    assert related["unresolved"] == 1
    assert related["unresolved_titles"][0]["title"] == "An Article That Was Never Scraped"


def test_unresolved_title_links_to_a_search_for_it(fixture_site):
    soup = soup_of(fixture_site, CEASEFIRE_PAGE)
    missing = soup.select(".article-body p.related-unresolved")[0]
    link = missing.find("a", class_="related-search")
    target, _, query = link["href"].partition("?")
    assert resolve(CEASEFIRE_PAGE, target) == "search.html"
    assert (fixture_site.output / "search.html").is_file()
    assert "q=An" in query and "Never" in query
