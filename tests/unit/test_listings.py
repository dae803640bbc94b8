"""Linear-time listings hand templates exactly what Pelican's quadratic scans did."""

from __future__ import annotations

import datetime as dt
import random

from pelican.generators import ArticlesGenerator

from newsarchive.listings import ArchiveArticlesGenerator, bucket_by, members_in_order

SETTINGS = {
    "YEAR_ARCHIVE_SAVE_AS": "archives/{date:%Y}/index.html",
    "YEAR_ARCHIVE_URL": "archives/{date:%Y}/",
    "MONTH_ARCHIVE_SAVE_AS": "archives/{date:%Y}/{date:%m}/index.html",
    "MONTH_ARCHIVE_URL": "archives/{date:%Y}/{date:%m}/",
    "DAY_ARCHIVE_SAVE_AS": "archives/{date:%Y}/{date:%m}/{date:%d}.html",
    "DAY_ARCHIVE_URL": "archives/{date:%Y}/{date:%m}/{date:%d}.html",
}


class Item:
    """An article as the listings see it: a date, and identity (no equality)."""

    def __init__(self, number: int, date: dt.datetime) -> None:
        self.number = number
        self.date = date

    def __repr__(self) -> str:
        return f"Item({self.number})"


def _articles(count: int = 300) -> list[Item]:
    rng = random.Random(7)
    start = dt.datetime(2019, 11, 20)
    return [Item(n, start + dt.timedelta(hours=rng.randrange(24 * 500))) for n in range(count)]


def test_members_in_order_equals_the_scan_it_replaces():
    articles = _articles()
    dates = sorted(articles, key=lambda a: a.date)
    rng = random.Random(3)
    groups = [rng.sample(articles, rng.randrange(0, 40)) for _ in range(25)]
    expected = [[a for a in dates if a in group] for group in groups]
    assert members_in_order(groups, dates) == expected
    assert any(len(found) > 1 for found in expected), "the groups must not be trivial"


def test_members_match_by_identity_not_equality():
    twin_a, twin_b = Item(1, dt.datetime(2020, 1, 1)), Item(1, dt.datetime(2020, 1, 1))
    assert members_in_order([[twin_a]], [twin_b, twin_a]) == [[twin_a]]


def test_bucket_by_keeps_order_within_each_bucket():
    assert bucket_by([3, 10, 5, 12, 1], lambda n: n % 2) == {1: [3, 5, 1], 0: [10, 12]}


def test_period_archives_equal_pelicans_own():
    articles = _articles()
    newest_first = sorted(articles, key=lambda a: a.date, reverse=True)
    oldest_first = sorted(articles, key=lambda a: a.date)
    ours = ArchiveArticlesGenerator._build_period_archives(
        object.__new__(ArchiveArticlesGenerator), oldest_first, newest_first, SETTINGS
    )
    stock = ArticlesGenerator._build_period_archives(None, oldest_first, newest_first, SETTINGS)
    assert set(ours) == {"year", "month", "day"}
    assert ours == stock
    assert sum(len(archive["articles"]) for archive in ours["month"]) == len(articles)
