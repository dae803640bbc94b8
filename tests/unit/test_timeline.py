"""The timeline chart builder (plugins/timeline): counts, bars, labels, text alternative."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from timeline.chart import MonthCount, month_counts, render_timeline
from timeline.pelican_glue import TimelineSettingsError, timeline_settings, timelines


def svg_of(html: str):
    return BeautifulSoup(html, "html.parser").find("svg")


def test_month_counts_fill_the_gaps_oldest_first():
    days = [date(2020, 10, 31), date(2020, 4, 28), date(2020, 10, 1), date(2021, 1, 2)]
    months = month_counts(days)
    assert [(m.year, m.month, m.count) for m in months] == [
        (2020, 4, 1),
        (2020, 5, 0),
        (2020, 6, 0),
        (2020, 7, 0),
        (2020, 8, 0),
        (2020, 9, 0),
        (2020, 10, 2),
        (2020, 11, 0),
        (2020, 12, 0),
        (2021, 1, 1),
    ]


def test_month_counts_for_a_whole_year_and_for_nothing():
    months = month_counts([date(2020, 5, 1)], start=(2020, 1), end=(2020, 12))
    assert len(months) == 12 and sum(m.count for m in months) == 1
    assert month_counts([]) == []
    assert render_timeline([]) == ""


def test_chart_is_an_image_with_a_text_alternative():
    months = month_counts([date(2020, 4, 1), *[date(2020, 10, d) for d in (1, 2, 3, 4)]])
    html = render_timeline(months, title="Articles per month", id_prefix="t")
    soup = BeautifulSoup(html, "html.parser")
    svg = soup.find("svg")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "t-title t-desc"
    assert soup.find(id="t-title").get_text() == "Articles per month"
    desc = soup.find(id="t-desc").get_text()
    assert desc == (
        "5 articles from April 2020 to October 2020; busiest month October 2020 with 4 articles."
    )
    assert desc in soup.find("figcaption").get_text()
    bars = svg.find_all("rect", class_="timeline-bar")
    assert [bar.title.get_text() for bar in bars] == [
        "April 2020: 1 article",
        "October 2020: 4 articles",
    ]
    assert [int(bar["height"]) for bar in bars] == [30, 120]  # proportional to the busiest month
    assert "style=" not in html  # the page's CSP forbids inline styles


def test_titles_are_escaped():
    html = render_timeline([MonthCount(2020, 1, 1)], title="<script>x</script> & co")
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in html


@pytest.mark.parametrize(
    ("months", "kind"),
    [
        (8, "every month"),
        (12, "every month"),
        (30, "quarters"),
        (48, "half-years"),
        (120, "years"),
        (600, "years"),
    ],
)
def test_labels_never_crowd(months, kind):
    start = date(2000, 1, 1)
    days = [date(start.year + (i // 12), i % 12 + 1, 1) for i in range(months)]
    svg = svg_of(render_timeline(month_counts(days)))
    month_labels = svg.find_all("text", class_="timeline-month")
    year_labels = svg.find_all("text", class_="timeline-year")
    assert len(month_labels) <= 12 and len(year_labels) <= 12
    if kind == "every month":
        assert len(month_labels) == months
    elif kind == "quarters":
        assert {label.get_text() for label in month_labels} == {"Jan", "Apr", "Jul", "Oct"}
    elif kind == "half-years":
        assert {label.get_text() for label in month_labels} == {"Jan", "Jul"}
    else:
        assert month_labels == [] and all(re.fullmatch(r"\d{4}", y.get_text()) for y in year_labels)
    for row in (month_labels, year_labels):
        positions = [float(label["x"].rstrip("%")) for label in row]
        assert positions == sorted(set(positions))


def test_narrow_screens_keep_only_quarter_month_labels():
    svg = svg_of(render_timeline(month_counts([date(2020, 5, 1)], start=(2020, 1), end=(2020, 12))))
    kept = [t.get_text() for t in svg.find_all("text", class_="timeline-month")]
    minor = [t.get_text() for t in svg.find_all("text", class_="timeline-minor")]
    assert set(kept) - set(minor) == {"Jan", "Apr", "Jul", "Oct"}


def test_settings_are_merged_and_checked():
    assert timeline_settings({}) == {"height": 120, "max_labels": 12}
    assert timeline_settings({"TIMELINE": {"height": 80}})["height"] == 80
    with pytest.raises(TimelineSettingsError, match="unknown keys"):
        timeline_settings({"TIMELINE": {"colour": "red"}})
    with pytest.raises(TimelineSettingsError, match="positive integer"):
        timeline_settings({"TIMELINE": {"height": 0}})


def test_glue_makes_the_archive_chart_and_one_per_year():
    articles = [SimpleNamespace(date=date(y, m, 1)) for y, m in ((2019, 12), (2020, 1), (2020, 3))]
    whole, per_year = timelines(articles, {"height": 120, "max_labels": 12})
    assert "3 articles from December 2019 to March 2020" in whole
    assert set(per_year) == {2019, 2020}
    assert 'id="timeline-2020-title"' in per_year[2020]
    assert "2 articles from January 2020 to December 2020" in per_year[2020]
