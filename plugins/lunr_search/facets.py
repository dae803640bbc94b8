"""Month and agency of every document, compact enough to ship in the manifest.

The search page counts the matches per year, per month (the From/To range) and per
agency over *all* matches of a query, not only the page of results it shows, so it
needs these values for any ref without loading the ``docs-NNN.js`` chunks. Refs are
positions in (date, url) order, so months come as runs: ``[month, first ref]``, the
month (``YYYY-MM``; its first four characters are the year) of a ref being that of the
last run starting at or before it. Agencies are an index into a sorted name list, written
as fixed-width digits of a 64-character alphabet, one group per ref, in ref order::

    {"months": [["2019-11", 0], ["2019-12", 37], ["2020-01", 412]],
     "agencies": ["AFP", "Reuters", "Unattributed"],
     "agencyOf": "0120...", "agencyWidth": 1}

At 10,000 articles over ten years that is 12 KB of JSON (about 6 KB gzip) for up to 64
agencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .documents import SearchDoc

#: Digits of ``agencyOf``: JSON-safe, no escaping, 64 of them.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def _width(count: int) -> int:
    width = 1
    while len(ALPHABET) ** width < count:
        width += 1
    return width


def _digits(number: int, width: int) -> str:
    out = []
    for _ in range(width):
        number, digit = divmod(number, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(reversed(out))


def facet_table(docs: Sequence[SearchDoc], unattributed: str = "Unattributed") -> dict[str, Any]:
    """Return the month runs and the per-ref agency codes of ``docs`` (refs ``0..N-1``).

    A document without an agency counts under ``unattributed`` (the site's
    ``DEFAULT_CATEGORY``, so the filter names the same group as the agency pages);
    one without a date under the month ``""``.
    """
    months: list[list[Any]] = []
    for position, doc in enumerate(docs):
        if doc.ref != str(position):
            raise ValueError(f"lunr_search: ref {doc.ref!r} at position {position}")
        month = doc.date[:7]
        if not months or months[-1][0] != month:
            months.append([month, position])
    names = sorted({doc.agency or unattributed for doc in docs}, key=lambda n: (n.casefold(), n))
    width = _width(len(names))
    code = {name: _digits(number, width) for number, name in enumerate(names)}
    return {
        "months": months,
        "agencies": names,
        "agencyOf": "".join(code[doc.agency or unattributed] for doc in docs),
        "agencyWidth": width,
    }
