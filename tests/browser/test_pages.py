"""Every page type of the built fixture site in Chromium: clean loads, layout, schemes, print."""

from __future__ import annotations

import pytest

from newsarchive.audit import PAGE_TYPES, page_path
from tests.site_pages import built_page

REAL_PAGE = PAGE_TYPES["article"][0]


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_loads_without_errors_or_foreign_requests(
    new_page, open_site, fixture_site, page_type
):
    page, watch = new_page()
    page.goto(open_site(built_page(fixture_site, page_type)), wait_until="load")
    assert page.locator("main h1").count() == 1
    assert page.title()
    watch.assert_clean()


def test_previous_and_next_article_by_date(shared_page, fixture_http):
    page, watch = shared_page()
    page.goto(fixture_http.url(REAL_PAGE))
    title = page.locator("article h1").inner_text()
    date = page.locator(".byline time").get_attribute("datetime")

    def neighbours():
        return page.get_by_role("navigation", name="Previous and next article")

    for there, back in (("Newer article", "Older article"), ("Older article", "Newer article")):
        link = neighbours().get_by_role("link", name=there)
        expected = link.locator(".title").inner_text()
        link.click()
        assert page.locator("article h1").inner_text() == expected
        other = page.locator(".byline time").get_attribute("datetime")
        assert (other >= date) if there.startswith("Newer") else (other <= date)
        neighbours().get_by_role("link", name=back).click()
        assert page.locator("article h1").inner_text() == title
    watch.assert_clean()


def test_masthead_navigation_names_every_section(shared_page, fixture_http, fixture_site):
    page, watch = shared_page()
    page.goto(fixture_http.url("about.html"))
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expected = ["Latest", "Archives", "Authors", "Agencies", "About"]
    if page_path(fixture_site.output, "search"):
        expected.insert(4, "Search")
    assert links.all_inner_texts() == expected
    current = page.locator(".site-nav [aria-current=page]")
    assert current.inner_text() == "About"
    watch.assert_clean()


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_no_sideways_scrolling_on_a_320px_phone(shared_page, fixture_http, fixture_site, page_type):
    page, watch = shared_page(viewport={"width": 320, "height": 640})
    page.goto(fixture_http.url(built_page(fixture_site, page_type)))
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page_type}: {overflow}px wider than the screen"
    watch.assert_clean()


def test_article_measure_is_65_to_75_characters(shared_page, fixture_http):
    page, _ = shared_page(viewport={"width": 1280, "height": 900})
    page.goto(fixture_http.url(REAL_PAGE))
    # The column width over the average width of a character of its own text, in its font.
    per_line = page.evaluate(
        """() => {
          const p = document.querySelector('.article-body p');
          const text = document.querySelector('.article-body').textContent.replace(/\\s+/g, ' ');
          const context = document.createElement('canvas').getContext('2d');
          context.font = getComputedStyle(p).font;
          return p.clientWidth / (context.measureText(text).width / text.length);
        }"""
    )
    assert 65 <= per_line <= 75, per_line


def test_system_fonts_only(shared_page, fixture_http):
    page, watch = shared_page()
    page.goto(fixture_http.url(REAL_PAGE))
    font_faces = page.evaluate("() => document.fonts.size")
    assert font_faces == 0  # no @font-face anywhere: no web fonts
    watch.assert_clean()


def _luminance(rgb: str) -> float:
    red, green, blue = (int(part) for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_follows_prefers_color_scheme(shared_page, fixture_http, scheme):
    page, watch = shared_page(color_scheme=scheme)
    page.goto(fixture_http.url(REAL_PAGE))
    colours = page.evaluate(
        """() => ({bg: getComputedStyle(document.body).backgroundColor,
                  fg: getComputedStyle(document.body).color})"""
    )
    background, text = _luminance(colours["bg"]), _luminance(colours["fg"])
    if scheme == "dark":
        assert background < 0.15 and text > 0.8, colours
    else:
        assert background > 0.9 and text < 0.2, colours
    watch.assert_clean()


def test_print_shows_the_article_and_its_source_without_navigation(new_page, fixture_http):
    page, watch = new_page(color_scheme="dark")
    page.goto(fixture_http.url(REAL_PAGE))
    page.emulate_media(media="print")
    for hidden in (".masthead", ".site-nav", ".site-footer", ".prev-next", ".skip-link"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("article h1").is_visible()
    assert page.locator(".article-body").is_visible()
    source = page.locator(".source-link")
    assert source.is_visible()
    assert source.inner_text().startswith("https://www.themoscowtimes.com/2020/10/31/")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"  # prints black on white even in dark mode
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    watch.assert_clean()


def test_keyboard_focus_is_visible(new_page, fixture_http):
    page, watch = new_page()
    page.goto(fixture_http.url("index.html"))
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # site title
    focused = page.evaluate(
        """() => {
          const e = document.activeElement, s = getComputedStyle(e);
          return {text: e.textContent, style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
        }"""
    )
    assert focused["text"] == "News Archive"
    assert focused["style"] != "none" and focused["width"] >= 2, focused
    watch.assert_clean()


def test_timeline_chart_has_a_text_alternative(shared_page, fixture_http):
    page, watch = shared_page()
    page.goto(fixture_http.url("archives/index.html"))
    chart = page.get_by_role("img", name="Articles per month")
    assert chart.count() == 1
    assert page.locator("svg.timeline-chart rect.timeline-bar").count() == 4  # Apr, May, Oct, Nov
    description = page.locator("svg.timeline-chart desc").text_content()
    assert "9 articles from April 2020 to November 2020" in description
    assert "busiest month October 2020 with 5 articles" in description
    page.goto(fixture_http.url("archives/2020/index.html"))
    assert page.get_by_role("img", name="Articles per month in 2020").count() == 1
    watch.assert_clean()
