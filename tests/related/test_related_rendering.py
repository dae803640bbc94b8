"""Rendering: placeholders become links or 'not in this archive', escaped, in place."""

import pytest

from related.rendering import RenderedRelated, replace_placeholders, search_href
from sitewide.links import relative_href


def placeholder(index: int, title: str) -> str:
    return (
        f'<p class="related-article" data-related-index="{index}">'
        '<span class="related-label">Related article:</span> '
        f'<cite class="related-title">{title}</cite></p>'
    )


BODY = (
    "<p>First paragraph.</p>\n"
    + placeholder(0, "Examplov Says Russia Will Defend Armenia if Conflict Spreads")
    + "\n<p>Middle paragraph.</p>\n"
    + placeholder(1, "Chancellery &amp; Examplegaz")
    + "\n<p>Last paragraph.</p>"
)


def test_resolved_and_unresolved_markup_exactly() -> None:
    items = {
        0: RenderedRelated(
            title="Examplov Says Russia Will Defend Armenia if Conflict Spreads",
            href="../10/examplov-says-russia-will-defend-armenia.html",
            date_iso="2020-10-08",
            date_text="Thu 08 October 2020",
            method="exact",
        ),
        1: RenderedRelated(
            title="Chancellery & Examplegaz",
            search_href="../../search.html?q=Chancellery+%26+Examplegaz",
        ),
    }
    assert replace_placeholders(BODY, items) == (
        "<p>First paragraph.</p>\n"
        '<p class="related-article related-resolved" data-related-index="0"'
        ' data-related-method="exact"><span class="related-label">Related article:'
        '</span> <a class="related-title"'
        ' href="../10/examplov-says-russia-will-defend-armenia.html">Examplov Says Russia'
        " Will Defend Armenia if Conflict Spreads</a>"
        ' <time class="related-date" datetime="2020-10-08">Thu 08 October 2020</time>'
        "</p>\n<p>Middle paragraph.</p>\n"
        '<p class="related-article related-unresolved" data-related-index="1">'
        '<span class="related-label">Related article:</span>'
        ' <cite class="related-title">Chancellery &amp; Examplegaz</cite>'
        ' <span class="related-missing">(not in this archive)</span>'
        ' <a class="related-search" href="../../search.html?q=Chancellery+%26+Examplegaz"'
        ' rel="search">Search the archive for this title</a></p>\n'
        "<p>Last paragraph.</p>"
    )


def test_unresolved_without_search_link() -> None:
    html = replace_placeholders(placeholder(0, "Gone"), {0: RenderedRelated("Gone")})
    assert "related-search" not in html
    assert "<a " not in html
    assert html.endswith(
        '<cite class="related-title">Gone</cite>'
        ' <span class="related-missing">(not in this archive)</span></p>'
    )


def test_everything_is_escaped() -> None:
    evil = "<script>alert(\"x\")</script> & 'q'"
    html = replace_placeholders(
        placeholder(0, "x"),
        {0: RenderedRelated(evil, href='a.html" onclick="x', date_iso="2020-01-01")},
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;" in html
    assert 'href="a.html&quot; onclick=&quot;x"' in html


def test_unmatched_placeholders_and_other_content_are_untouched() -> None:
    items = {1: RenderedRelated("Chancellery & Examplegaz")}
    out = replace_placeholders(BODY, items)
    assert placeholder(0, "Examplov Says Russia Will Defend Armenia if Conflict Spreads") in out
    assert out.startswith("<p>First paragraph.</p>\n")
    assert out.endswith("\n<p>Last paragraph.</p>")
    assert replace_placeholders("<p>No related.</p>", items) == "<p>No related.</p>"
    # idempotent: rendered lines are not placeholders any more
    assert replace_placeholders(out, items) == out


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        ("2020/10/b.html", "2020/10/a.html", "b.html"),
        ("2020/09/b.html", "2020/10/a.html", "../09/b.html"),
        ("2019/12/b.html", "2020/10/a.html", "../../2019/12/b.html"),
        ("2020/10/b/", "2020/10/a/", "../b/"),
        ("b.html", "a.html", "b.html"),
        ("/2020/10/b.html", "/2020/10/a.html", "b.html"),
        ("2020/10/b.html#top", "2020/11/a.html", "../10/b.html#top"),
    ],
)
def test_relative_href(target: str, source: str, expected: str) -> None:
    assert relative_href(target, source) == expected


def test_search_href_quotes_the_title() -> None:
    assert search_href(
        "search.html", "2020/10/a.html", "Examplov\u2019s \u201cRed\u201d Line & Co"
    ) == ("../../search.html?q=Examplov%E2%80%99s+%E2%80%9CRed%E2%80%9D+Line+%26+Co")
    assert search_href("search.html", "a.html", "x&amp;y") == "search.html?q=x%26y"
