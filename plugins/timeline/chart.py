"""Articles per month as an inline SVG bar chart (pure; no Pelican import).

The chart is drawn in the page's own pixels rather than scaled from a
``viewBox``: bar positions are percentages of the width, heights and text
sizes are fixed, so labels stay legible from a 320 px phone to a wide screen.
Colours come from CSS classes (``timeline-*``) so light, dark and print
styles apply; the page's CSP forbids inline ``style``, so none is used.

It is an image with a text alternative: ``role="img"`` labelled by its
``<title>`` and ``<desc>`` (range, total, busiest month), and a ``<figcaption>``
for sighted readers.  The per-month counts themselves are listed as text on
the archive pages the chart appears on.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape

__all__ = ["MonthCount", "month_counts", "render_timeline"]

MONTH_ABBR = [calendar.month_abbr[m] for m in range(13)]
MONTH_NAME = [calendar.month_name[m] for m in range(13)]


@dataclass(frozen=True)
class MonthCount:
    """How many articles one calendar month has."""

    year: int
    month: int
    count: int

    @property
    def label(self) -> str:
        """``October 2020``."""
        return f"{MONTH_NAME[self.month]} {self.year}"


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_counts(
    dates: Iterable[date],
    *,
    start: tuple[int, int] | None = None,
    end: tuple[int, int] | None = None,
) -> list[MonthCount]:
    """Articles per month, oldest first, with every month between the first and last (zeros too).

    ``start``/``end`` (``(year, month)``) widen or fix the range, e.g. a whole year.
    """
    counter = Counter((d.year, d.month) for d in dates)
    if not counter and (start is None or end is None):
        return []
    first = start or min(counter)
    last = end or max(counter)
    if start is None and end is not None:
        first = min(first, last)
    months = []
    current = first
    while current <= last:
        months.append(MonthCount(current[0], current[1], counter.get(current, 0)))
        current = _next_month(*current)
    return months


def _plural(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def _label_step(months: list[MonthCount], max_labels: int) -> tuple[str, int]:
    """Which labels to draw: ``("month", step)`` or ``("year", step)``."""
    for step in (1, 3, 6):  # every month, quarters, half-years
        if len(months) / step <= max_labels:
            return "month", step
    years = len({m.year for m in months})
    step = 1
    for candidate in (1, 2, 5, 10, 20, 50):
        step = candidate
        if years / candidate <= max_labels:
            break
    return "year", step


def _labels(months: list[MonthCount], max_labels: int) -> list[tuple[int, str, int, str]]:
    """``(month index, text, row, class)`` for each x-axis label (months above years)."""
    kind, step = _label_step(months, max_labels)
    labels: list[tuple[int, str, int, str]] = []
    if kind == "month":
        for index, month in enumerate(months):
            if (month.month - 1) % step == 0:
                # on narrow screens only quarter months keep their label (CSS hides the rest)
                minor = len(months) > 6 and (month.month - 1) % 3 != 0
                css = "timeline-month timeline-minor" if minor else "timeline-month"
                labels.append((index, MONTH_ABBR[month.month], 0, css))
        row = 1
    else:
        row = 0
    januaries = [i for i, m in enumerate(months) if m.month == 1 and m.year % step == 0]
    minimum_gap = 3 if kind == "month" else 6 * step
    if not januaries or januaries[0] >= minimum_gap:
        labels.append((0, str(months[0].year), row, "timeline-year"))
    labels.extend((i, str(months[i].year), row, "timeline-year") for i in januaries)
    return labels


def _pct(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text}%"


def render_timeline(
    months: list[MonthCount],
    *,
    title: str = "Articles per month",
    id_prefix: str = "timeline",
    height: int = 120,
    max_labels: int = 12,
) -> str:
    """An accessible ``<figure>`` with an inline SVG bar chart of ``months``; "" when empty."""
    if not months:
        return ""
    total = sum(m.count for m in months)
    busiest = max(months, key=lambda m: (m.count, -m.year, -m.month))
    peak = max(busiest.count, 1)
    span = months[0].label if len(months) == 1 else f"{months[0].label} to {months[-1].label}"
    summary = f"{_plural(total)} from {span}; busiest month {busiest.label} with {_plural(busiest.count)}."
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    labels = _labels(months, max_labels)
    rows = 1 + max(label[2] for label in labels)
    top, plot, row_height = 18, height, 16
    full = top + plot + 4 + rows * row_height
    slot = 100 / len(months)
    gap = min(slot * 0.2, 1.5)

    parts = [
        f'<figure class="timeline" id="{escape(id_prefix)}">',
        f'<svg class="timeline-chart" role="img" aria-labelledby="{title_id} {desc_id}"'
        f' width="100%" height="{full}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(summary)}</desc>',
        f'<line class="timeline-peak" x1="0" x2="100%" y1="{top}" y2="{top}"/>',
        f'<text class="timeline-peak-label" x="100%" y="{top - 5}" text-anchor="end">'
        f"{escape(_plural(peak) if busiest.count else 'no articles')}</text>",
    ]
    for index, month in enumerate(months):
        if not month.count:
            continue
        bar = max(round(plot * month.count / peak), 2)
        parts.append(
            f'<rect class="timeline-bar" x="{_pct(index * slot + gap / 2)}" y="{top + plot - bar}"'
            f' width="{_pct(slot - gap)}" height="{bar}">'
            f"<title>{escape(month.label)}: {escape(_plural(month.count))}</title></rect>"
        )
    parts.append(
        f'<line class="timeline-axis" x1="0" x2="100%" y1="{top + plot}" y2="{top + plot}"/>'
    )
    for index, text, row, css in labels:
        parts.append(
            f'<text class="timeline-label {css}" x="{_pct(index * slot + slot / 2)}"'
            f' y="{top + plot + (row + 1) * row_height}" text-anchor="middle">{escape(text)}</text>'
        )
    parts.append("</svg>")
    parts.append(
        f'<figcaption class="timeline-caption">{escape(title)}: {escape(summary)}</figcaption>'
    )
    parts.append("</figure>")
    return "\n".join(parts)
