"""Hand the archive pages their timeline charts (thin Pelican glue).

Context set after the articles are read (``article_generator_finalized``):

- ``archive_timeline``: the whole archive, month by month (archives/index.html);
- ``archive_year_timelines``: ``{year: chart}`` with the twelve months of each year
  (archives/YYYY/index.html).

Settings: ``TIMELINE = {"height": 120, "max_labels": 12}`` (bar area height in px;
at most this many x-axis labels).
"""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals

from .chart import month_counts, render_timeline

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {"height": 120, "max_labels": 12}


class TimelineSettingsError(ValueError):
    """The ``TIMELINE`` setting is not usable."""


def timeline_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """``TIMELINE`` merged over the defaults and checked."""
    user = settings.get("TIMELINE") or {}
    unknown = set(user) - set(DEFAULTS)
    if unknown:
        raise TimelineSettingsError(f"TIMELINE: unknown keys {sorted(unknown)}")
    merged = dict(DEFAULTS, **user)
    for key in DEFAULTS:
        if not isinstance(merged[key], int) or merged[key] < 1:
            raise TimelineSettingsError(f"TIMELINE[{key!r}] must be a positive integer")
    return merged


def timelines(dates: list[Any], options: dict[str, Any]) -> tuple[str, dict[int, str]]:
    """The whole-archive chart and one chart per year, for articles with ``.date``."""
    days = [article.date for article in dates]
    whole = render_timeline(
        month_counts(days),
        title="Articles per month",
        id_prefix="timeline",
        height=options["height"],
        max_labels=options["max_labels"],
    )
    per_year = {}
    for year in sorted({day.year for day in days}):
        per_year[year] = render_timeline(
            month_counts([d for d in days if d.year == year], start=(year, 1), end=(year, 12)),
            title=f"Articles per month in {year}",
            id_prefix=f"timeline-{year}",
            height=options["height"],
            max_labels=options["max_labels"],
        )
    return whole, per_year


def on_articles_finalized(generator: Any) -> None:
    """``article_generator_finalized`` receiver: put the charts into the shared context."""
    options = timeline_settings(generator.settings)
    whole, per_year = timelines(generator.dates, options)
    generator.context["archive_timeline"] = whole
    generator.context["archive_year_timelines"] = per_year


def register() -> None:
    """Connect the timeline builder."""
    signals.article_generator_finalized.connect(on_articles_finalized)
