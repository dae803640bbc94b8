"""Click through the built fixture site in Chromium, over http and from disk."""

from __future__ import annotations


def test_home_archive_article_author_and_back(new_page, open_site):
    page, watch = new_page()
    page.goto(open_site("index.html"))
    assert page.locator("h1").inner_text() == "Latest articles"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Archives").click()
    assert page.locator("h1").inner_text() == "Archives"
    page.get_by_role("link", name="October").click()
    assert page.locator("h1").inner_text() == "Articles from October 2020"
    page.get_by_role(
        "link", name="Russia Pledges Help to Yerevan if Fighting Reaches Armenia"
    ).click()
    assert page.locator("article h1").inner_text().startswith("Russia Pledges Help to Yerevan")
    page.locator(".byline").get_by_role("link", name="Mariam Harutyunyan").click()
    assert page.locator("h1").inner_text() == "Articles by Mariam Harutyunyan"
    page.go_back()
    assert page.locator("article h1").inner_text().startswith("Russia Pledges Help to Yerevan")
    watch.assert_clean()


def test_skip_link_moves_focus_to_main(new_page, open_site):
    page, watch = new_page()
    page.goto(open_site("index.html"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    watch.assert_clean()
