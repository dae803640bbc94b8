"""Unit tests of the pure seed parser, on the real seed and hand-made variants."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from seed_reader.bylines import parse_byline
from seed_reader.dates import date_from_url, parse_date_line
from seed_reader.parser import SeedError, parse_seed, parse_seed_bytes
from seed_reader.sources import site_name, slug_from_url
from seed_reader.text import slugify, truncate_words

from ..conftest import FIXTURE_ARCHIVE, REAL_SEED

REAL_URL = (
    "https://www.themoscowtimes.com/2020/10/31/"
    "russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920"
)


@pytest.fixture(scope="module")
def real():
    return parse_seed_bytes(REAL_SEED.read_bytes())


def test_real_seed_is_the_scrapers_file():
    data = REAL_SEED.read_bytes()
    assert data.startswith(b"\n\n# Russia Pledges Help to Yerevan")
    assert data.endswith(b"Original url:\n\n<" + REAL_URL.encode() + b">"), "URL alone, last"


def test_real_seed_metadata(real):
    assert real.title == "Russia Pledges Help to Yerevan if Fighting Reaches Armenia"
    assert real.authors == ("Mariam Harutyunyan",)
    assert real.agency == "AFP"
    assert real.date == dt.date(2020, 10, 31)
    assert real.date_source == "line"
    assert real.caption == "Stepanakert, Nagorno-Karabakh."
    assert real.credit == "Stanislav Krasilnikov / TASS"
    assert real.source_url == REAL_URL
    assert real.source_site == "The Moscow Times"
    assert real.slug == "russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920"
    assert real.summary.startswith('Russia said Saturday it would provide "necessary" assistance')
    assert real.related_titles == (
        "Small Outpost is Russia's First Visible Aid to Armenia",
        "Russia 'Open' to Return of Armenia-Held Land to Azerbaijan \u2013 Putin",
    )
    assert 650 < real.word_count < 750
    assert real.reading_time == 3
    assert real.warnings == ()


def test_real_seed_body_is_repaired(real):
    soup = BeautifulSoup(real.body_html, "html.parser")
    paragraphs = [p.get_text() for p in soup.find_all("p", class_=False)]
    assert len(paragraphs) == 26
    joined = [p for p in paragraphs if "Turkey, which backs Baku, into the decades-long" in p]
    assert len(joined) == 1, "the split paragraph is joined back into one"
    assert not any(p.startswith("Baku") for p in paragraphs)
    headings = soup.find_all(["h1", "h2", "h3", "h4"])
    assert [(h.name, h.get_text()) for h in headings] == [("h3", "'Impossible to calculate risks'")]
    assert headings[0].find("strong") is None
    assert soup.find("a") is None, "no dead '#' links"
    assert "](#)" not in real.body_html and 'href="#' not in real.body_html
    assert "Original url" not in real.body_html
    assert "themoscowtimes" not in real.body_html, "the source URL is not body text"
    assert "themoscowtimes" not in real.body_text
    assert "Krasilnikov" not in real.body_html, "the caption is not a body paragraph"
    placeholders = soup.select("p.related-article")
    assert [p["data-related-index"] for p in placeholders] == ["0", "1"]
    assert placeholders[0].cite.get_text() == real.related_titles[0]


def test_summary_is_cut_at_a_word_boundary():
    long_lead = "word " * 200
    text = f"# T\n\nJanuary 2, 2021\n\n{long_lead.strip()}.\n"
    seed = parse_seed(text)
    assert len(seed.summary) <= 301
    assert seed.summary.endswith("word\u2026")


@pytest.mark.parametrize(
    ("line", "authors", "agency"),
    [
        ("By [Mariam Harutyunyan for AFP](#)", ("Mariam Harutyunyan",), "AFP"),
        ("By Ada Example for Northwind Wire", ("Ada Example",), "Northwind Wire"),
        ("By [Ada Example](#) and [Bo Sample](#)", ("Ada Example", "Bo Sample"), ""),
        (
            "By [A B](#), [C D](#) and [E F for Kestrel News](#)",
            ("A B", "C D", "E F"),
            "Kestrel News",
        ),
        ("By [A B](#), [C D](#) and [E F](#)", ("A B", "C D", "E F"), ""),
        ("By [A B](#) and [C D](#) for Kestrel News", ("A B", "C D"), "Kestrel News"),
        ("By NWW", (), "NWW"),
        ("By The Example Press Agency", (), "The Example Press Agency"),
        ("by [Jane Doe](https://example.org/jane)", ("Jane Doe",), ""),
    ],
)
def test_bylines(line, authors, agency):
    assert parse_byline(line) == (authors, agency)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("October 31, 2020", dt.date(2020, 10, 31)),
        ("Oct. 31, 2020", dt.date(2020, 10, 31)),
        ("Sept. 5, 2021", dt.date(2021, 9, 5)),
        ("Sept. 3, 2020", dt.date(2020, 9, 3)),
        ("Updated: October 31, 2020", dt.date(2020, 10, 31)),
        ("Published on 31 October 2020", dt.date(2020, 10, 31)),
        ("January 1, 1", None),
        ("31 October 2020", dt.date(2020, 10, 31)),
        ("Saturday, October 31, 2020", dt.date(2020, 10, 31)),
        ("October 31, 2020 - 14:05", dt.date(2020, 10, 31)),
        ("2020-10-31", dt.date(2020, 10, 31)),
        ("February 30, 2020", None),
        ("The talks began in October 2020 and went on.", None),
        ("Octopus 31, 2020", None),
    ],
)
def test_date_lines(line, expected):
    assert parse_date_line(line) == expected


def test_date_from_url():
    assert date_from_url("https://x.com/2020/04/28/slug-a1") == dt.date(2020, 4, 28)
    assert date_from_url("https://x.com/news/slug") is None


def test_date_falls_back_to_url():
    seed = parse_seed_bytes((FIXTURE_ARCHIVE / "003_no_byline_url_date.txt").read_bytes())
    assert seed.date == dt.date(2020, 4, 28)
    assert seed.date_source == "url"
    assert seed.authors == ()
    assert seed.agency == "", "a first paragraph starting 'By Tuesday evening,' is not a byline"
    assert seed.lead.startswith("By Tuesday evening, the harbour of Westhaven")
    assert seed.title == "Westhaven Extends Harbour Closure Until May 11"
    assert seed.warnings == ()


def test_agency_only_and_dateline():
    seed = parse_seed_bytes((FIXTURE_ARCHIVE / "001_agency_only.txt").read_bytes())
    assert seed.authors == ()
    assert seed.agency == "Northwind Wire"
    assert seed.dateline == "EASTBROOK"
    assert seed.source_site == "northwind-wire.example"
    assert seed.slug == "eastbrook-ferry-storms-idnw27d1zx", "the URL's last segment"


def test_bom_and_crlf_are_read():
    seed = parse_seed_bytes((FIXTURE_ARCHIVE / "004_bom_crlf.txt").read_bytes())
    assert seed.title == "Northport Council Denies Plans for Fare Rise"
    assert seed.authors == ("Rowan Testa",)
    assert seed.agency == "Northwind Wire"
    assert seed.date == dt.date(2020, 10, 30)
    assert seed.source_url.endswith("/northport-council-denies-plans-for-fare-rise-a71930")
    assert "\r" not in seed.body_html
    assert seed.warnings == ()


def test_latin1_is_decoded_with_a_warning():
    seed = parse_seed_bytes((FIXTURE_ARCHIVE / "011_latin1.txt").read_bytes())
    assert seed.title == "Café Owners Protest New Rules"
    assert any("UTF-8" in warning for warning in seed.warnings)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("005_empty.txt", "empty file"),
        ("006_binary.txt", "binary"),
        ("007_no_title.txt", "no title"),
        ("010_no_date.txt", "no date"),
    ],
)
def test_bad_seeds_raise_seed_error(name, reason):
    with pytest.raises(SeedError, match=reason):
        parse_seed_bytes((FIXTURE_ARCHIVE / name).read_bytes())


def test_blank_file():
    with pytest.raises(SeedError, match="blank"):
        parse_seed_bytes(b"  \n\n\t \r\n")


def test_raw_html_is_sanitised():
    text = (
        '# T\n\nMay 1, 2020\n\nHello <script>alert(1)</script> <b onclick="x()">bold</b> '
        '<a href="javascript:alert(1)">js</a> <iframe src="https://evil"></iframe> '
        '<img src="https://tracker/x.png"> [ok](https://example.org/a).\n'
    )
    seed = parse_seed(text)
    soup = BeautifulSoup(seed.body_html, "html.parser")
    assert soup.find(["script", "iframe", "img"]) is None
    assert "alert" not in seed.body_html
    assert all(not attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    hrefs = [a.get("href") for a in soup.find_all("a")]
    assert hrefs == [None, "https://example.org/a"]


def test_related_line_variants_and_heading_levels():
    text = (
        "# T\n\nMay 1, 2020\n\nFirst paragraph here.\n\n"
        "Related article: [Plain Variant](#)\n\n"
        "**Related articles:** **[Bold Variant](#)**\n\n"
        "# Body H1\n\n## **Body H2**\n\nEnd.\n"
    )
    seed = parse_seed(text)
    assert seed.related_titles == ("Plain Variant", "Bold Variant")
    soup = BeautifulSoup(seed.body_html, "html.parser")
    assert [h.name for h in soup.find_all(["h1", "h2", "h3"])] == ["h2", "h2"]
    assert soup.find_all("h2")[1].get_text() == "Body H2"


def test_split_paragraph_rules():
    text = (
        "# T\n\nMay 1, 2020\n\n"
        "A sentence that ends properly.\n\nA new paragraph that stops in the middle of\n\n"
        "the sentence and goes on.\n\nAdvertisement\n\nNext paragraph.\n"
    )
    seed = parse_seed(text)
    soup = BeautifulSoup(seed.body_html, "html.parser")
    paragraphs = [p.get_text() for p in soup.find_all("p")]
    assert paragraphs == [
        "A sentence that ends properly.",
        "A new paragraph that stops in the middle of the sentence and goes on.",
        "Advertisement",
        "Next paragraph.",
    ]


def test_slugs_are_safe():
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Ünïcödé Tïtle: Ça va?") == "unicode-title-ca-va"
    assert len(slugify("word-" * 100)) <= 80
    assert slug_from_url("https://x.com/a/b/Some-Story.html?x=1") == "some-story"
    assert slug_from_url("https://x.com/article/123456") == ""
    assert slug_from_url("not a url") == "not-a-url"


def test_site_names():
    assert site_name("https://www.themoscowtimes.com/2020/x", {}) == "The Moscow Times"
    assert site_name("https://news.bbc.co.uk/x", {}) == "BBC"
    assert site_name("https://daily.example/doc/1", {"daily.example": "The Daily Example"}) == (
        "The Daily Example"
    )
    assert site_name("https://unknown.example/x", {}) == "unknown.example"


def test_truncate_words():
    assert truncate_words("short", 10) == "short"
    assert truncate_words("alpha beta gamma delta", 12) == "alpha beta\u2026"
