"""The layouts real scrapes produce, each read to the expected fields.

Every seed here starts from the real seed's layout (two blank lines, title, byline,
date, three blank lines, caption, body, ``Original url:``, a blank line and the URL
alone on the last line) and changes one thing. The names are synthetic.
"""

from __future__ import annotations

import datetime as dt

import pytest

from seed_reader.bylines import is_byline
from seed_reader.parser import SeedError, parse_seed, parse_seed_bytes

URL = "https://news.example.org/2021/03/04/harbour-wall-repaired-a123"
BODY = "The harbour wall of the synthetic town was repaired on Thursday."


def layout(
    *,
    title: str = "# Harbour Wall Repaired",
    byline: str | None = "By [Ada Example for Northwind Wire](#)",
    date: str | None = "March 4, 2021",
    caption: str | None = "The wall at dawn. **Bo Sample / Example Photo**",
    body: tuple[str, ...] = (BODY,),
    tail: str = f"Original url:\n\n<{URL}>",
    gap: str = "\n\n",
) -> str:
    """A seed in the real layout; ``gap`` separates the header lines."""
    parts = ["\n\n" + title]
    if byline is not None:
        parts.append(byline)
    if date is not None:
        parts.append(date + "\n\n")
    if caption is not None:
        parts.append(caption)
    return gap.join(parts) + "\n\n" + "\n\n".join(body) + "\n\n" + tail


def test_the_default_layout_reads_every_field():
    seed = parse_seed(layout())
    assert seed.title == "Harbour Wall Repaired"
    assert seed.authors == ("Ada Example",)
    assert seed.agency == "Northwind Wire"
    assert seed.date == dt.date(2021, 3, 4)
    assert seed.caption == "The wall at dawn."
    assert seed.credit == "Bo Sample / Example Photo"
    assert seed.source_url == URL
    assert seed.slug == "harbour-wall-repaired-a123"
    assert seed.body_text == BODY
    assert seed.warnings == ()


# --- the source URL -------------------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [
        f"Original url:\n\n<{URL}>",  # the real seed: a blank line, then <URL>, no newline
        f"Original url:\n<{URL}>",  # no blank line
        f"Original url:\n\n\n<{URL}>\n",  # two blank lines, a trailing newline
        f"Original url: <{URL}>",  # on the same line
        f"Original url: {URL}",  # same line, bare
        f"Original url:\n\n{URL}",  # next line, bare
        f"Original URL:\n\n<{URL}>",
        f"ORIGINAL URL: <{URL}>",
        f"original url:   \n\n<{URL}>   ",  # trailing spaces
        f"**Original url:**\n\n<{URL}>",
    ],
)
def test_source_url_layouts(tail):
    seed = parse_seed(layout(tail=tail))
    assert seed.source_url == URL
    assert URL not in seed.body_html and "Original" not in seed.body_html
    assert seed.body_text == BODY
    assert seed.warnings == ()


def test_crlf_and_no_trailing_newline():
    text = layout().replace("\n", "\r\n")
    assert not text.endswith("\n")
    seed = parse_seed_bytes(text.encode())
    assert seed.source_url == URL
    assert seed.authors == ("Ada Example",)
    assert seed.caption == "The wall at dawn."
    assert seed.body_text == BODY


def test_original_url_line_without_a_url_is_a_warning():
    seed = parse_seed(layout(tail="Original url:\n\n"))
    assert seed.source_url == ""
    assert any("'Original url:' with no URL" in w and "line " in w for w in seed.warnings)


def test_the_url_line_after_the_marker_is_not_swallowed_when_it_is_text():
    seed = parse_seed(layout(tail="Original url:\n\nThe page is gone."))
    assert seed.source_url == ""
    assert "The page is gone." in seed.body_text
    assert any("no URL" in w for w in seed.warnings)


# --- bylines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "authors", "agency"),
    [
        ("By [Ada Example for Northwind Wire](#)", ("Ada Example",), "Northwind Wire"),
        ("By Ada Example for Northwind Wire", ("Ada Example",), "Northwind Wire"),
        ("By [Ada Example](#) and [Bo Sample](#)", ("Ada Example", "Bo Sample"), ""),
        ("By [A Ex](#), [B Ex](#) and [C Ex](#)", ("A Ex", "B Ex", "C Ex"), ""),
        ("By [A Ex](#) and [B Ex](#) for Kestrel News", ("A Ex", "B Ex"), "Kestrel News"),
        ("By NWW", (), "NWW"),
        (None, (), ""),
    ],
)
def test_byline_layouts(byline, authors, agency):
    seed = parse_seed(layout(byline=byline))
    assert (seed.authors, seed.agency) == (authors, agency)
    assert seed.date == dt.date(2021, 3, 4)
    assert seed.caption == "The wall at dawn."
    assert seed.body_text == BODY


def test_a_body_paragraph_starting_with_by_is_not_a_byline():
    sentence = "By Saturday evening, the water had reached the harbour wall."
    seed = parse_seed(layout(byline=None, date=None, caption=None, body=(sentence, BODY)))
    assert (seed.authors, seed.agency) == ((), "")
    assert seed.lead == sentence
    assert seed.date == dt.date(2021, 3, 4) and seed.date_source == "url"


@pytest.mark.parametrize(
    "line",
    [
        "By Saturday evening, the water had reached the wall.",
        "By then the council had left",
        "By the time the ferry came",
        "By 2020, prices had doubled",
    ],
)
def test_sentences_are_not_bylines(line):
    assert not is_byline(line)


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("October 31, 2020", dt.date(2020, 10, 31)),
        ("Oct. 31, 2020", dt.date(2020, 10, 31)),
        ("Sept. 3, 2020", dt.date(2020, 9, 3)),
        ("31 October 2020", dt.date(2020, 10, 31)),
        ("Updated: October 31, 2020", dt.date(2020, 10, 31)),
    ],
)
def test_date_layouts(line, expected):
    seed = parse_seed(layout(date=line))
    assert seed.date == expected and seed.date_source == "line"
    assert seed.caption == "The wall at dawn."
    assert seed.warnings == ()


def test_no_date_line_takes_the_urls_date():
    seed = parse_seed(layout(date=None))
    assert seed.date == dt.date(2021, 3, 4) and seed.date_source == "url"
    assert seed.warnings == ()


@pytest.mark.parametrize(
    ("line", "problem"),
    [("February 30, 2020", "no such day"), ("January 1, 1", "implausible year 1")],
)
def test_an_impossible_date_line_is_a_warning_not_a_silent_guess(line, problem):
    seed = parse_seed(layout(date=line))
    assert seed.date == dt.date(2021, 3, 4), "the URL's date, and said so"
    assert any(line in w and problem in w and "line 7" in w for w in seed.warnings)
    assert any("date taken from the source URL" in w for w in seed.warnings)
    assert seed.caption == "The wall at dawn.", "the caption stays a caption"
    assert line not in seed.body_text


def test_an_impossible_date_without_a_dated_url_skips_the_seed():
    with pytest.raises(SeedError, match="February 30, 2020"):
        parse_seed(layout(date="February 30, 2020", tail="Original url: https://x.example/a"))


# --- related lines --------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "**Related article:** [Ferry Timetable Changed](#)",
        "Related article: [Ferry Timetable Changed](#)",
        "**Related Article:** [Ferry Timetable Changed](#)",
        "**Read more:** [Ferry Timetable Changed](#)",
    ],
)
def test_related_line_layouts(line):
    seed = parse_seed(layout(body=(BODY, line, "The end.")))
    assert seed.related_titles == ("Ferry Timetable Changed",)
    assert "Read more" not in seed.body_text and "Related" not in seed.body_text


def test_read_more_without_a_link_is_body_text():
    seed = parse_seed(layout(body=(BODY, "Read more: the council's report is online.")))
    assert seed.related_titles == ()
    assert "Read more: the council's report is online." in seed.body_text


def test_a_cited_title_is_read_as_written():
    seed = parse_seed(layout(body=(BODY, "**Related article:** [Rates Rose 2*3 Times](#)")))
    assert seed.related_titles == ("Rates Rose 2*3 Times",)


# --- blank lines and the header -------------------------------------------------------


@pytest.mark.parametrize("gap", ["\n", "\n\n\n\n", "\n \n\t\n"])
def test_extra_or_missing_blank_lines_between_header_lines(gap):
    seed = parse_seed(layout(gap=gap))
    assert seed.title == "Harbour Wall Repaired"
    assert seed.authors == ("Ada Example",)
    assert seed.date == dt.date(2021, 3, 4) and seed.date_source == "line"
    assert seed.caption == "The wall at dawn."
    assert seed.body_text == BODY
    assert seed.source_url == URL


def test_an_unknown_header_line_is_a_warning_naming_the_line():
    seed = parse_seed(layout(byline="By [Ada Example](#)\n\nShare this article"))
    assert seed.authors == ("Ada Example",)
    assert seed.date == dt.date(2021, 3, 4) and seed.date_source == "line"
    assert seed.warnings == ("line 7: header line 'Share this article' not understood; left out",)
    assert "Share" not in seed.body_text


# --- titles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "# Prices rose 2*3 times while rates hit 4*5 in file_name_x",
            "Prices rose 2*3 times while rates hit 4*5 in file_name_x",
        ),
        ("# **Harbour Wall Repaired**", "Harbour Wall Repaired"),
        ("# Harbour \\_Wall\\_ Repaired ##", "Harbour _Wall_ Repaired"),
        ("# Tom &amp; Jerry [Return](#)", "Tom & Jerry [Return](#)"),
        ("# **Bold** and **bold**", "**Bold** and **bold**"),
        ("# C# Is a Language", "C# Is a Language"),
    ],
)
def test_titles_are_shown_as_written(title, expected):
    assert parse_seed(layout(title=title)).title == expected
