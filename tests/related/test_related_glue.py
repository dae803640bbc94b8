"""Pelican glue on real ``Article`` objects: content, attributes, report, settings."""

import copy
import logging
from collections import defaultdict
from datetime import datetime
from types import SimpleNamespace

import pytest
from pelican.contents import Article
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG

from related import pelican_glue
from related.matching import RelatedLink
from related.pelican_glue import RelatedSettingsError, link_articles, load_settings


def placeholder(index: int, title: str) -> str:
    return (
        f'<p class="related-article" data-related-index="{index}">'
        '<span class="related-label">Related article:</span> '
        f'<cite class="related-title">{title}</cite></p>'
    )


def make_settings(**related) -> dict:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(
        PATH="/archive/content",
        PUBLIC_SITEURL="https://archive.example.org",
        ARTICLE_URL="{date:%Y}/{date:%m}/{slug}.html",
        ARTICLE_SAVE_AS="{date:%Y}/{date:%m}/{slug}.html",
        DEFAULT_DATE_FORMAT="%B %-d, %Y",
        DIRECT_TEMPLATES=["index", "search"],  # the site has a search page
        SEARCH_SAVE_AS="search.html",
    )
    if related:
        settings["RELATED"] = related
    return settings


def article(settings, slug, title, date, related=(), lead="", source_url=""):
    body = "<p>Lead.</p>" + "".join(placeholder(i, t) for i, t in enumerate(related))
    return Article(
        body,
        metadata={
            "title": title,
            "date": date,
            "slug": slug,
            "related_titles": list(related),
            "lead": lead,
            "source_url": source_url,
        },
        settings=settings,
        source_path=f"/archive/content/{slug}.txt",
        context={},
    )


@pytest.fixture(autouse=True)
def fresh_limit_filter(monkeypatch):
    """Pelican's LimitFilter state is process-wide; start each test clean."""
    monkeypatch.setattr(LimitFilter, "_group_count", defaultdict(int))
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())


def build(settings, *extra):
    cases = article(
        settings, "cases-spring", "Russia Reports Record Daily Coronavirus Cases",
        datetime(2020, 5, 11), lead="Russia's coronavirus cases hit a record.",
    )  # fmt: skip
    cases2 = article(
        settings, "cases-autumn", "Russia Reports Record Daily Coronavirus Cases",
        datetime(2020, 10, 30), lead="Russia's daily coronavirus cases hit a new record.",
    )  # fmt: skip
    examplov = article(
        settings, "examplov-armenia",
        "Examplov Says Russia Will Defend Armenia if Conflict Spreads",
        datetime(2020, 10, 8), source_url="https://www.example-times.example/a1",
        lead="Examplov said Russia would defend Armenia in the Karabakh conflict.",
    )  # fmt: skip
    volunteers = article(
        settings, "volunteers",
        "Russia Pledges Help to Yerevan if Fighting Reaches Armenia",
        datetime(2020, 10, 31),
        related=[
            "Examplov Says Russia Will Defend Armenia if Conflict Spreads",
            "Russia Calls for New Karabakh Ceasefire After Talks in Moscow",
            "RUSSIA REPORTS RECORD DAILY CORONAVIRUS CASES.",
        ],
        lead="Men in Moscow follow the Karabakh conflict and the Armenia fighting.",
    )  # fmt: skip
    follow_up = article(
        settings, "follow-up", "Karabakh Truce Holds as Russian Peacekeepers Deploy",
        datetime(2020, 11, 12),
        related=[
            "Examplov Says Russia Will Defend Armenia if Conflict Spreads.",
            "Russia calls for new Karabakh cease-fire after talks in Moscow",
        ],
        lead="Russian peacekeepers deployed to Karabakh as the Armenia truce held.",
    )  # fmt: skip
    generator = SimpleNamespace(
        settings=settings,
        articles=sorted(
            [follow_up, volunteers, cases2, examplov, cases, *extra],
            key=lambda a: a.date,
            reverse=True,
        ),
        translations=[],
        hidden_articles=[],
        hidden_translations=[],
    )
    link_articles(generator)
    return SimpleNamespace(
        cases=cases, cases2=cases2, examplov=examplov, volunteers=volunteers,
        follow_up=follow_up, all=generator.articles,
    )  # fmt: skip


def test_related_links_content_and_citations(caplog) -> None:
    caplog.set_level(logging.INFO)
    site = build(make_settings())
    v = site.volunteers
    assert v.related_links == [
        RelatedLink(
            "Examplov Says Russia Will Defend Armenia if Conflict Spreads",
            "resolved", site.examplov, "exact", 0, 100.0,
        ),
        RelatedLink(
            "Russia Calls for New Karabakh Ceasefire After Talks in Moscow",
            "unresolved", None, "", 1, 0.0,
        ),
        RelatedLink(
            "RUSSIA REPORTS RECORD DAILY CORONAVIRUS CASES.",
            "resolved", site.cases2, "exact", 2, 100.0,
        ),
    ]  # fmt: skip
    assert (
        '<a class="related-title" href="examplov-armenia.html">Examplov Says Russia Will'
        ' Defend Armenia if Conflict Spreads</a> <time class="related-date"'
        ' datetime="2020-10-08">October 8, 2020</time>'
    ) in v.content
    assert (
        '<a class="related-search" href="../../search.html?q=Russia+Calls+for+New'
        '+Karabakh+Ceasefire+After+Talks+in+Moscow" rel="search">'
    ) in v.content
    assert "(not in this archive)" in v.content
    assert 'href="../10/examplov-armenia.html"' in site.follow_up.content
    assert v.citations == [
        {
            "@type": "NewsArticle",
            "headline": "Examplov Says Russia Will Defend Armenia if Conflict Spreads",
            "url": "https://archive.example.org/2020/10/examplov-armenia.html",
            "datePublished": site.examplov.date.isoformat(),
            "isBasedOn": "https://www.example-times.example/a1",
        },
        {
            "@type": "NewsArticle",
            "headline": "Russia Reports Record Daily Coronavirus Cases",
            "url": "https://archive.example.org/2020/10/cases-autumn.html",
            "datePublished": site.cases2.date.isoformat(),
        },
    ]
    assert site.examplov.related_links == []
    assert site.examplov.citations == []


def test_backlinks_are_the_exact_inverse_of_resolved_links() -> None:
    site = build(make_settings())
    assert site.examplov.cited_by == [site.volunteers, site.follow_up]
    assert site.cases2.cited_by == [site.volunteers]
    assert site.cases.cited_by == []
    links = {
        (a.slug, link.target.slug)
        for a in site.all
        for link in a.related_links
        if link.status == "resolved"
    }
    backlinks = {(s.slug, a.slug) for a in site.all for s in a.cited_by}
    assert backlinks == links


def test_similar_excludes_self_and_linked_articles() -> None:
    site = build(make_settings())
    for a in site.all:
        linked = {link.target for link in a.related_links if link.target} | set(a.cited_by)
        assert a not in a.similar
        assert not linked & set(a.similar)
    assert site.cases.similar[0] is site.cases2


def test_report_section_and_warnings(caplog) -> None:
    caplog.set_level(logging.INFO)
    build(make_settings())
    (report,) = [r for r in caplog.records if hasattr(r, "report_section")]
    assert report.levelno == logging.INFO
    assert report.report_section == "related"
    assert report.report_data == {
        "found": 5,
        "resolved": 3,
        "exact": 3,
        "fuzzy": 0,
        "unresolved": 2,
        "unresolved_titles": [  # one entry per missing story, whatever the spelling
            {
                "title": "Russia calls for new Karabakh cease-fire after talks in Moscow",
                "cited_in": [
                    "/archive/content/follow-up.txt",
                    "/archive/content/volunteers.txt",
                ],
            }
        ],
        "fuzzy_matches": [],
    }
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [w.seed_file for w in warnings] == [
        "/archive/content/follow-up.txt",
        "/archive/content/volunteers.txt",
    ]
    assert {w.limit_msg for w in warnings} == {pelican_glue.LIMIT_MSG}
    assert "Karabakh cease-fire" in warnings[0].getMessage()
    # a second build in the same process still reports
    build(make_settings())
    assert len([r for r in caplog.records if hasattr(r, "report_section")]) == 2


def test_citation_urls_are_page_relative_without_a_public_address() -> None:
    settings = make_settings()
    settings["PUBLIC_SITEURL"] = ""
    site = build(settings)
    assert [c["url"] for c in site.follow_up.citations] == ["../10/examplov-armenia.html"]


def test_search_link_setting_off_and_no_similar() -> None:
    site = build(make_settings(SEARCH_LINKS=False, SIMILAR_COUNT=0))
    assert "related-search" not in site.volunteers.content
    assert "(not in this archive)" in site.volunteers.content
    assert all(a.similar == [] for a in site.all)


def test_settings_merge_and_validation() -> None:
    assert load_settings({}) == pelican_glue.DEFAULTS
    merged = load_settings({"RELATED": {"SEARCH_LINKS": False}})
    assert merged["SEARCH_LINKS"] is False
    assert merged["FUZZY_THRESHOLD"] == pelican_glue.DEFAULTS["FUZZY_THRESHOLD"]
    for bad, message in [
        ({"SEARCH": True}, "unknown key"),
        ({"FUZZY_THRESHOLD": 120}, "FUZZY_THRESHOLD"),
        ({"SEARCH_LINKS": "yes"}, "SEARCH_LINKS"),
        ({"SIMILAR_COUNT": -1}, "SIMILAR_COUNT"),
    ]:
        with pytest.raises(RelatedSettingsError, match=f"^RELATED: .*{message}"):
            load_settings({"RELATED": bad})
    with pytest.raises(RelatedSettingsError):
        load_settings({"RELATED": ["not", "a", "dict"]})


def test_kept_links_follow_what_they_show_of_the_cited_articles() -> None:
    """KEEP_WARM: links kept from the last build are renumbered only while their page is the same.

    Between two builds of one process the cited article keeps its title and date
    (so every answer of the title index holds) but moves (its slug changed: another
    article took its slug); the citing article's link must point to the new address.
    Then an article is added in front (every key moves) and nothing else changes:
    the links are kept, renumbered.
    """
    settings = make_settings(KEEP_WARM=True)
    title = "Examplov Says Russia Will Defend Armenia if Conflict Spreads"
    cited = article(settings, "examplov-armenia", title, datetime(2020, 10, 8))
    citing = article(settings, "follow-up", "Truce Holds", datetime(2020, 11, 12), related=[title])
    texts: dict[int, str] = {}

    def again(articles: list) -> None:
        # The dev server puts every kept article back to its text as read.
        for a in articles:
            a._content = texts.setdefault(id(a), a._content)
        generator = SimpleNamespace(
            settings=settings,
            articles=articles,
            translations=[],
            hidden_articles=[],
            hidden_translations=[],
        )
        link_articles(generator)

    again([citing, cited])
    assert 'examplov-armenia.html"' in citing._content
    cited.slug = "examplov-armenia-2"
    again([citing, cited])
    assert 'examplov-armenia-2.html"' in citing._content
    assert 'examplov-armenia.html"' not in citing._content
    assert citing.citations[0]["url"].endswith("examplov-armenia-2.html")

    kept = citing.related_links
    newer = article(settings, "newer", "A Synthetic Newest Story", datetime(2020, 12, 1))
    again([newer, citing, cited])
    assert citing.related_links[0] is kept[0]  # the same link, kept (not made again)
    assert citing.related_links[0].target is cited
    assert 'examplov-armenia-2.html"' in citing._content


def test_answers_kept_in_the_cache_serve_a_build_with_an_article_added(tmp_path, monkeypatch):
    """A one-off build asks anew only the questions sharing a word with the added title."""
    from related.matching import TitleIndex

    def added(settings):
        return article(
            settings, "vaccine", "A Synthetic Story on Coronavirus Vaccines", datetime(2020, 10, 31)
        )

    def shown(site):
        return [
            [
                (link.title, link.method, link.target and link.target.slug)
                for link in a.related_links
            ]
            for a in site.all
        ]

    expected = shown(build(make_settings(), added(make_settings())))
    settings = make_settings()
    settings.update(CACHE_CONTENT=True, CACHE_PATH=str(tmp_path))
    build(settings)
    asked: list[str] = []
    real = TitleIndex.resolve
    monkeypatch.setattr(
        TitleIndex,
        "resolve",
        lambda self, title, **where: asked.append(title) or real(self, title, **where),
    )
    assert shown(build(settings, added(settings))) == expected
    # Kept: both questions for the Examplov story. Asked again: the one sharing
    # "coronavirus" with the added title, and the two of a story the archive lacks
    # (too few of their words are in any title: they are scored against every title).
    assert sorted(asked) == [
        "RUSSIA REPORTS RECORD DAILY CORONAVIRUS CASES.",
        "Russia Calls for New Karabakh Ceasefire After Talks in Moscow",
        "Russia calls for new Karabakh cease-fire after talks in Moscow",
    ]


def test_a_one_off_build_keeps_no_copy_of_the_articles_text() -> None:
    """Rewritten bodies are remembered for the next build only by a long-lived process."""
    from related import rendering

    rendering._remembered.cache_clear()
    site = build(make_settings())
    assert "related-link" in site.volunteers._content or "<a " in site.volunteers._content
    assert rendering._remembered.cache_info().currsize == 0
    build(make_settings(KEEP_WARM=True))
    assert rendering._remembered.cache_info().currsize > 0
