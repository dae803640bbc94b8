"""Titles shown as written, and no date guessed silently (issue #18, items 8 and 9).

A title is the scraper's plain text: ``2*3`` and ``file_name_x`` once lost their
``*`` and ``_`` to Markdown emphasis.  ``February 30, 2020`` with a dated URL once
took the URL's date without a word (and the caption fell into the body); year 1
rendered as "January 1, 1" under ``1/01/``.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .helpers import build, write_seeds

TITLE = "Prices rose 2*3 times while rates hit 4*5 in file_name_x"


def real_layout(title: str, date: str, url: str) -> str:
    return (
        f"\n\n# {title}\n\nBy [Ada Example for Northwind Wire](#)\n\n{date}\n\n\n\n"
        "The wall at dawn. **Bo Sample / Example Photo**\n\n"
        f"A synthetic paragraph about {title}.\n\nOriginal url:\n\n<{url}>"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("titles-dates")
    seeds = write_seeds(
        base / "seeds",
        {
            "title.txt": real_layout(TITLE, "March 4, 2021", "https://x.example/2021/03/04/t"),
            "feb30.txt": real_layout(
                "Impossible Day", "February 30, 2020", "https://x.example/2020/03/01/feb"
            ),
            "year1.txt": real_layout("Year One", "January 1, 1", "https://x.example/story/one"),
        },
    )
    report = build(seeds, base / "out")
    assert report.bugs == [] and report.errors == []
    return base / "out", report


def page(out, pattern: str) -> BeautifulSoup:
    (path,) = out.glob(pattern)
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_a_title_is_shown_as_written(site):
    out, _ = site
    soup = page(out, "2021/03/*.html")
    assert soup.select_one("article h1").get_text() == TITLE
    assert soup.title.get_text().startswith(TITLE)


def test_an_impossible_date_is_reported_and_the_caption_stays_a_caption(site):
    out, report = site
    soup = page(out, "2020/03/*.html")
    assert soup.select_one(".byline time")["datetime"] == "2020-03-01"
    assert "The wall at dawn." in soup.find("figcaption").get_text()
    assert "February 30" not in soup.select_one(".article-body").get_text()
    messages = [w["message"] for w in report.warnings if w["file"].endswith("feb30.txt")]
    assert any("'February 30, 2020'" in m and "no such day" in m for m in messages), messages
    assert any("date taken from the source URL" in m for m in messages), messages


def test_an_implausible_year_is_never_a_date(site):
    out, report = site
    assert not list(out.glob("1/**/*.html")) and not list(out.glob("0001/**/*.html"))
    skipped = {s["file"].rsplit("/", 1)[-1]: s["reason"] for s in report.skipped}
    assert "implausible year 1" in skipped["year1.txt"], skipped
