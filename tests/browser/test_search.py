"""The search page in Chromium, over http and from disk (file://).

Two sites: the fixture archive (the real seed and its variants), and a generated
archive of 40 articles over seven years and six agencies, plus a seed whose title and
byline carry markup, so that paging, facet counts over every match, sorting by date and
escaping have something to prove.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import BuiltSite, build_site
from tools.generate import GroundTruth, generate_archive

from .conftest import StaticSite, file_url

REAL_TITLE = "Russia Pledges Help to Yerevan if Fighting Reaches Armenia"
FERRY_TITLE = "Eastbrook Council Says Ferry Will Run if Storms Spread"
TIMETABLE_TITLE = "Eastbrook Calls for New Ferry Timetable After Talks in Westhaven"
SANDBAGS_TITLE = "Eastbrook Volunteers Prepare Sandbags as Storm Season Nears"
HOSTILE_SEED = """\
# <script>alert('raw')</script>&lt;script&gt;alert(1)&lt;/script&gt; Zebrafinch &lt;b&gt;Bold&lt;/b&gt; & "Quoted"

By [Mallory &lt;i&gt;Evil&lt;/i&gt; for Example Press Agency](#)

March 3, 2021

The zebrafinch story: <script>alert('body')</script> <img src=x onerror="alert('img')"> nothing runs.

Original url: <https://news.example.org/2021/03/03/zebrafinch-a1>
"""


@dataclass
class SearchSite:
    """The generated archive with its ground truth, built and served."""

    built: BuiltSite
    truth: GroundTruth
    http: StaticSite

    def url(self, relative: str, over: str = "http") -> str:
        if over == "http":
            return self.http.url(relative)
        return at(lambda path: file_url(self.built.output, path), relative)


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchSite]:
    base = tmp_path_factory.mktemp("search-site")
    seeds = base / "seeds"
    truth = generate_archive(40, seeds, seed=3, broken=False)
    (seeds / "zz_hostile_title.txt").write_text(HOSTILE_SEED, encoding="utf-8")
    built = build_site(seeds, base / "output", base / "build-report.json")
    assert not built.report.failed
    http = StaticSite(built.output)
    yield SearchSite(built, truth, http)
    http.close()


def at(open_site, relative: str) -> str:
    """``open_site(path)`` with the query string kept (a file URL would escape the ``?``)."""
    path, _, query = relative.partition("?")
    return open_site(path) + (f"?{query}" if query else "")


def status(page: Page):
    return page.locator("#search-status")


def result_titles(page: Page) -> list[str]:
    return page.locator(".search-result-title").all_inner_texts()


def search_for(page: Page, query: str) -> None:
    """Type a query as a person would and wait for its results to be announced."""
    box = page.locator("#search-query")
    box.fill("")
    box.press_sequentially(query, delay=20)
    expect(status(page)).to_contain_text(f"\u201c{query}\u201d")


# --- the fixture archive: the real seed, from disk and over http ---------------------


def test_typing_finds_the_real_article(new_page, open_site):
    page, watch = new_page()
    page.goto(open_site("search.html"))
    expect(page.locator("#search-query")).to_be_focused()
    search_for(page, "yerevan")
    expect(status(page)).to_have_text("1 article for \u201cyerevan\u201d.")
    assert result_titles(page) == [REAL_TITLE]
    assert page.locator(".search-result-title mark").all_inner_texts() == ["Yerevan"]
    assert page.locator(".search-result-meta").inner_text() == (
        "October 31, 2020 \u00b7 Mariam Harutyunyan \u00b7 AFP"
    )
    assert "assistance to Yerevan" in page.locator(".search-result-excerpt").inner_text()
    assert re.search(r"search\.html\?q=yerevan$", page.url)
    assert page.title().startswith("\u201cyerevan\u201d")
    watch.assert_clean()


def test_query_syntax(shared_page, fixture_http):
    page, watch = shared_page()
    page.goto(fixture_http.url("search.html"))
    search_for(page, "title:ferry")
    # the sandbags story names the ferry in its body only
    assert sorted(result_titles(page)) == sorted([FERRY_TITLE, TIMETABLE_TITLE])
    search_for(page, "arme*")  # Armenia, Armenian
    assert result_titles(page) == [REAL_TITLE]
    assert {"Armenia", "Armenian"} <= set(page.locator(".search-result mark").all_inner_texts())
    search_for(page, "+ferry -westhaven")
    assert sorted(result_titles(page)) == sorted([FERRY_TITLE, SANDBAGS_TITLE])
    search_for(page, "nosuchfield:ferry")  # lunr refuses the field: its words are searched
    expect(page.locator("#search-suggest")).to_contain_text("nosuchfield ferry")
    assert len(result_titles(page)) == 3
    watch.assert_clean()


def test_deep_link_filter_back_button_and_article_highlight(new_page, open_site):
    page, watch = new_page()
    page.goto(at(open_site, "search.html?q=ferry"))
    expect(status(page)).to_have_text("3 articles for \u201cferry\u201d.")
    expect(page.locator("#search-query")).to_have_value("ferry")
    agencies = page.locator("#search-agency option")
    assert agencies.all_inner_texts() == [
        "All agencies (3)",
        "Example Press Agency (1)",
        "Northwind Wire (1)",
        "Unattributed (1)",
    ]
    page.locator("#search-agency").select_option("Northwind Wire")
    expect(status(page)).to_have_text("1 article for \u201cferry\u201d from Northwind Wire.")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["ferry"], "agency": ["Northwind Wire"]}
    assert result_titles(page) == [FERRY_TITLE]
    page.go_back()
    expect(status(page)).to_have_text("3 articles for \u201cferry\u201d.")
    assert page.url.endswith("search.html?q=ferry")
    expect(page.locator("#search-agency")).to_have_value("")

    page.get_by_role("link", name=TIMETABLE_TITLE).click()
    expect(page.locator("article h1")).to_have_text(TIMETABLE_TITLE)
    assert "?highlight=ferri" in page.url  # the stemmed term, as the index holds it
    marks = page.locator("mark.search-hit")
    expect(marks.first).to_be_visible()
    assert {text.lower() for text in marks.all_inner_texts()} == {"ferry"}
    assert marks.count() >= 2  # the title and the body
    page.get_by_role("button", name="Remove highlighting").click()
    expect(marks).to_have_count(0)
    assert "highlight" not in page.url
    page.go_back()
    expect(status(page)).to_have_text("3 articles for \u201cferry\u201d.")
    watch.assert_clean()


def test_masthead_search_box_opens_the_search_page(new_page, open_site):
    page, watch = new_page()
    page.goto(open_site("about.html"))
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("gyumri")
    box.press("Enter")
    expect(status(page)).to_contain_text("for \u201cgyumri\u201d")
    assert page.url.endswith("search.html?q=gyumri")
    assert REAL_TITLE in result_titles(page)
    watch.assert_clean()


def test_keyboard_moves_through_results(shared_page, fixture_http):
    page, watch = shared_page()
    page.goto(fixture_http.url("search.html?q=ferry"))
    expect(status(page)).to_contain_text("3 articles")
    links = page.locator(".search-result-title a")
    page.locator("#search-query").focus()
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#search-query")).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.locator("#search-query")).to_be_focused()
    watch.assert_clean()


def test_no_match_says_so_and_suggests_a_broader_query(shared_page, fixture_http):
    page, watch = shared_page()
    page.goto(fixture_http.url("search.html"))
    search_for(page, "karaba")  # while typing, the last word is a prefix
    expect(status(page)).to_have_text("1 article for \u201ckaraba\u201d.")
    page.locator("#search-query").press("Enter")  # submitted: the word as typed
    expect(status(page)).to_have_text("No articles match \u201ckaraba\u201d.")
    assert page.locator("#search-results li").count() == 0
    suggestion = page.locator("#search-suggest").get_by_role("link", name="karaba*")
    suggestion.click()
    expect(status(page)).to_have_text("1 article for \u201ckaraba*\u201d.")
    assert page.url.endswith("search.html?q=karaba*")
    watch.assert_clean()


def test_live_region_and_no_script_fallback(new_page, fixture_http):
    page, watch = new_page()
    page.goto(fixture_http.url("search.html"))
    expect(page.locator("#search-unavailable")).to_be_hidden()
    assert status(page).get_attribute("aria-live") == "polite"
    assert status(page).get_attribute("role") == "status"
    watch.assert_clean()
    page, _ = new_page(java_script_enabled=False)
    page.goto(fixture_http.url("search.html?q=karabakh"))
    expect(page.locator("#search-app")).to_be_hidden()
    expect(page.locator("#search-unavailable")).to_contain_text("Searching needs JavaScript")
    # a range of dates: the advice names the month pages of the archives
    expect(page.locator("#search-unavailable")).to_contain_text("range of dates")
    expect(page.locator("#search-unavailable")).to_contain_text("archives/2020/03/")
    browse = page.locator(".search-browse")
    for name in ("the archives by date", "by author", "by agency", "the latest articles"):
        expect(browse.get_by_role("link", name=name)).to_be_visible()


# --- the generated archive: counts, paging, sorting, escaping ------------------------


def test_filter_counts_cover_every_match_not_only_the_page(new_page, search_site):
    page, watch = new_page()
    # a query of excluded words only matches every other article: all 41 of them
    page.goto(search_site.url("search.html?q=-zzzz"))
    expect(status(page)).to_have_text("41 articles for \u201c-zzzz\u201d. Showing 10.")
    years = Counter(a.date[:4] for a in search_site.truth.articles) + Counter({"2021": 1})
    expected = ["All years (41)"] + [f"{y} ({years[y]})" for y in sorted(years, reverse=True)]
    assert page.locator("#search-year option").all_inner_texts() == expected
    agencies = Counter(a.agency or "Unattributed" for a in search_site.truth.articles)
    agencies["Example Press Agency"] += 1
    options = page.locator("#search-agency option").all_inner_texts()
    assert options[0] == "All agencies (41)"
    assert sorted(options[1:]) == sorted(f"{name} ({n})" for name, n in agencies.items())

    page.locator("#search-year").select_option("2020")
    expect(status(page)).to_contain_text(f"{years['2020']} articles for \u201c-zzzz\u201d in 2020")
    dates = page.locator(".search-result-meta time").evaluate_all(
        "(times) => times.map((t) => t.dateTime)"
    )
    assert dates and all(d.startswith("2020-") for d in dates)
    # the agency counts follow the year filter, and the year counts the agency filter
    in_2020 = Counter(
        a.agency or "Unattributed" for a in search_site.truth.articles if a.date[:4] == "2020"
    )
    assert page.locator("#search-agency option").first.inner_text() == (
        f"All agencies ({years['2020']})"
    )
    assert sorted(page.locator("#search-agency option").all_inner_texts()[1:]) == sorted(
        f"{name} ({n})" for name, n in in_2020.items()
    )
    page.go_back()
    expect(status(page)).to_have_text("41 articles for \u201c-zzzz\u201d. Showing 10.")
    watch.assert_clean()


def test_sort_by_date_and_show_more(new_page, search_site):
    page, watch = new_page()
    page.goto(search_site.url("search.html?q=-zzzz&sort=newest", over="file"))
    expect(status(page)).to_contain_text("41 articles for \u201c-zzzz\u201d, newest first.")
    dates = sorted({a.date for a in search_site.truth.articles} | {"2021-03-03"}, reverse=True)

    def shown_dates() -> list[str]:
        return page.locator(".search-result-meta time").evaluate_all(
            "(times) => times.map((t) => t.dateTime)"
        )

    assert shown_dates()[0] == dates[0]
    assert shown_dates() == sorted(shown_dates(), reverse=True)
    more = page.get_by_role("button", name="Show 10 more of 41")
    more.click()
    expect(page.locator(".search-result")).to_have_count(20)
    expect(page.locator(".search-result-title a").nth(10)).to_be_focused()
    assert shown_dates() == sorted(shown_dates(), reverse=True)
    page.locator("#search-sort").select_option("oldest")
    expect(status(page)).to_contain_text("oldest first")
    assert shown_dates()[0] == dates[-1]
    assert page.url.endswith("search.html?q=-zzzz&sort=oldest")
    watch.assert_clean()


@pytest.mark.parametrize("over", ["http", "file"])
def test_markup_in_a_title_is_shown_as_text(new_page, search_site, over):
    page, watch = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(search_site.url("search.html", over))
    search_for(page, "zebrafinch")
    title = page.locator(".search-result-title a")
    expect(title).to_have_count(1)
    text = title_text_of(search_site)  # the reader's plain-text title, as the article shows it
    assert "<script>alert(1)</script>" in text and "<b>Bold</b>" in text
    assert title.inner_text() == text
    assert title.locator("mark").inner_text() == "Zebrafinch"
    assert "Mallory <i>Evil</i>" in page.locator(".search-result-meta").inner_text()
    assert page.locator("#search-results").locator("script, b, i, img").count() == 0
    title.click()
    expect(page.locator("mark.search-hit").first).to_have_text("Zebrafinch")
    assert page.locator("article h1").inner_text() == text
    assert dialogs == []
    watch.assert_clean()


def title_text_of(site: SearchSite) -> str:
    """The hostile article's title as its own page shows it (the reader's plain text)."""
    page = next(
        p for p in (site.built.output / "2021" / "03").glob("*.html") if "zebrafinch" in p.name
    )
    match = re.search(r"<h1>(.*?)</h1>", page.read_text("utf-8"), re.S)
    assert match
    return html.unescape(match.group(1))


# --- phrases, typos, prefixes while typing, date ranges ------------------------------

PHRASE_SEEDS = {
    "zz_phrase_a.txt": """\
# Marmalade Losses Impossible to Calculate, Says Quartermaster

By [Ada Quill for Northwind Wire](#)

May 5, 2022

The quartermaster said the marmalade losses were impossible to calculate after the flood.

Original url: <https://example.org/2022/05/05/marmalade-a>
""",
    "zz_phrase_b.txt": """\
# Quartermaster Will Calculate Marmalade Stocks

By [Ada Quill for Northwind Wire](#)

May 6, 2022

It is not impossible: the quartermaster will calculate the losses of marmalade by Friday.

Original url: <https://example.org/2022/05/06/marmalade-b>
""",
    "zz_phrase_c.txt": """\
# Quartermaster Zorvanyan Speaks

By [Ada Quill for Example Press Agency](#)

June 1, 2022

Quartermaster Zorvanyan spoke of losses, which remain impossible to calculate.

Original url: <https://example.org/2022/06/01/marmalade-c>
""",
}
TITLE_A = "Marmalade Losses Impossible to Calculate, Says Quartermaster"
TITLE_B = "Quartermaster Will Calculate Marmalade Stocks"
TITLE_C = "Quartermaster Zorvanyan Speaks"


@pytest.fixture(scope="module")
def phrase_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchSite]:
    base = tmp_path_factory.mktemp("phrase-site")
    seeds = base / "seeds"
    truth = generate_archive(12, seeds, seed=4, broken=False)
    for name, text in PHRASE_SEEDS.items():
        (seeds / name).write_text(text, encoding="utf-8")
    built = build_site(seeds, base / "output", base / "build-report.json")
    assert not built.report.failed
    http = StaticSite(built.output)
    yield SearchSite(built, truth, http)
    http.close()


@pytest.mark.parametrize("over", ["http", "file"])
def test_quoted_phrases_match_words_next_to_each_other(new_page, phrase_site, over):
    page, watch = new_page()
    page.goto(phrase_site.url("search.html", over))
    search_for(page, "+quartermaster +marmalade")  # both words, anywhere: A and B
    assert sorted(result_titles(page)) == sorted([TITLE_A, TITLE_B])
    # the stop word "to" is a gap of one dropped word: A (title and body) and C, not B
    search_for(page, '"impossible to calculate"')
    assert sorted(result_titles(page)) == sorted([TITLE_A, TITLE_C])
    search_for(page, '"impossible to calculate" -zorvanyan')
    assert result_titles(page) == [TITLE_A]
    search_for(page, 'title:"impossible to calculate"')
    assert result_titles(page) == [TITLE_A]
    search_for(page, '"calculate impossible"')
    expect(status(page)).to_have_text('No articles match \u201c"calculate impossible"\u201d.')
    search_for(page, 'quartermaster -"marmalade losses"')
    assert sorted(result_titles(page)) == sorted([TITLE_B, TITLE_C])
    watch.assert_clean()


def test_a_phrase_is_highlighted_as_a_phrase_in_the_article(new_page, phrase_site):
    page, watch = new_page()
    page.goto(phrase_site.url("search.html?q=" + quote('"impossible to calculate" +flood')))
    expect(status(page)).to_contain_text("1 article for")
    page.get_by_role("link", name=TITLE_A).click()
    expect(page.locator("article h1")).to_have_text(TITLE_A)
    marks = page.locator("mark.search-hit")
    expect(marks.first).to_be_visible()
    # the phrase where it stands (title and body), the single word on its own; never
    # "impossible" or "calculate" alone
    assert sorted(marks.all_inner_texts()) == sorted(
        ["Impossible to Calculate", "impossible to calculate", "flood"]
    )
    watch.assert_clean()


@pytest.mark.parametrize("over", ["http", "file"])
def test_did_you_mean_a_misspelled_word(new_page, phrase_site, over):
    page, watch = new_page()
    page.goto(phrase_site.url("search.html", over))
    box = page.locator("#search-query")
    box.fill("+quartermaster +zorvanian")
    box.press("Enter")
    expect(status(page)).to_have_text("No articles match \u201c+quartermaster +zorvanian\u201d.")
    offer = page.locator(".search-did-you-mean")
    expect(offer).to_have_text("Did you mean +quartermaster +zorvanyan?")
    offer.get_by_role("link").click()
    expect(status(page)).to_have_text("1 article for \u201c+quartermaster +zorvanyan\u201d.")
    assert result_titles(page) == [TITLE_C]
    assert page.url.endswith("search.html?q=%2Bquartermaster+%2Bzorvanyan")
    # a word one edit away, with ~1, needs only the term lists and the shards it matches
    search_for(page, "+quartermaster +zorvanian~1")
    assert result_titles(page) == [TITLE_C]
    watch.assert_clean()


def test_the_word_being_typed_matches_as_a_prefix(new_page, phrase_site):
    page, watch = new_page()
    page.goto(phrase_site.url("search.html"))
    search_for(page, "marmal")
    expect(status(page)).to_have_text("2 articles for \u201cmarmal\u201d.")
    box = page.locator("#search-query")
    box.press("Space")  # the word is finished: matched whole, and "marmal" is no word
    box.press("Enter")
    expect(status(page)).to_have_text("No articles match \u201cmarmal\u201d.")
    search_for(page, "+marmalade +quarterm")  # only the last word is a prefix
    expect(status(page)).to_have_text("2 articles for \u201c+marmalade +quarterm\u201d.")
    search_for(page, "+marmal +quartermaster")
    expect(status(page)).to_have_text("No articles match \u201c+marmal +quartermaster\u201d.")
    watch.assert_clean()


def test_from_to_months_filter_with_counts_and_link(new_page, search_site):
    page, watch = new_page()
    page.goto(search_site.url("search.html?q=-zzzz"))
    expect(status(page)).to_contain_text("41 articles for")
    months = Counter(a.date[:7] for a in search_site.truth.articles) + Counter({"2021-03": 1})
    ordered = sorted(months)
    low, high = ordered[len(ordered) // 4], ordered[3 * len(ordered) // 4]
    page.locator("#search-from").select_option(low)
    inside = sum(n for m, n in months.items() if m >= low)
    expect(status(page)).to_contain_text(f"{inside} articles for \u201c-zzzz\u201d since ")
    page.locator("#search-to").select_option(high)
    inside = sum(n for m, n in months.items() if low <= m <= high)
    expect(status(page)).to_contain_text(f"{inside} articles for \u201c-zzzz\u201d between ")
    assert page.url.endswith(f"search.html?q=-zzzz&from={low}&to={high}")
    dates = page.locator(".search-result-meta time").evaluate_all(
        "(times) => times.map((t) => t.dateTime)"
    )
    assert dates and all(low <= d[:7] <= high for d in dates)
    # each From option counts what choosing it would leave (up to To), each To option too
    options = page.locator("#search-from option").all_inner_texts()
    assert options[0] == f"Any month ({sum(n for m, n in months.items() if m <= high)})"
    first = page.locator("#search-from option").nth(1)
    first_month = first.get_attribute("value")
    assert first.inner_text().endswith(
        f"({sum(n for m, n in months.items() if first_month <= m <= high)})"
    )
    # the link opens the same range
    page.goto(search_site.url(f"search.html?q=-zzzz&from={low}&to={high}", over="file"))
    expect(status(page)).to_contain_text(f"{inside} articles for \u201c-zzzz\u201d between ")
    expect(page.locator("#search-from")).to_have_value(low)
    watch.assert_clean()
