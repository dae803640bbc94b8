"""Answers of a :class:`~related.matching.TitleIndex`, kept from one build to the next.

Resolving every related title (fuzzy scans included) cost about a second per
10,000 articles on every build.  An answer depends only on the indexed
``(key, title, date)`` records, the threshold, and the question (title, citing
key, citing date); while the records are the same, last build's answers are
reused and the index is not even built.  The answers live in Pelican's cache
folder, which the build runner keys by plugin code: a changed matcher starts
from nothing.  The glue keeps them with ``sitewide.state``, under
:func:`records_key`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .matching import Match, TitleIndex

Record = tuple[int, str, datetime | None]


class MemoisedTitleIndex:
    """``TitleIndex.resolve`` with last build's answers (see :func:`records_key`)."""

    def __init__(
        self, records: Iterable[Record], *, threshold: float, previous: dict[str, Any]
    ) -> None:
        self._records = list(records)
        self._threshold = threshold
        self._previous = previous
        self.answers: dict[str, Any] = {}
        self._index: TitleIndex[int] | None = None
        self.reused = 0

    def resolve(
        self, title: str, *, source_key: int, source_date: datetime | None = None
    ) -> Match[int] | None:
        """Same answer as ``TitleIndex.resolve``, from memory when possible."""
        question = f"{source_key}\x1f{source_date.isoformat() if source_date else ''}\x1f{title}"
        if question in self._previous:
            answer = self._previous[question]
            self.reused += 1
        else:
            if self._index is None:
                self._index = TitleIndex(self._records, threshold=self._threshold)
            match = self._index.resolve(title, source_key=source_key, source_date=source_date)
            answer = None if match is None else [match.key, match.method, match.score, match.title]
        self.answers[question] = answer
        return None if answer is None else Match(*answer)


def records_key(records: list[Record], threshold: float) -> str:
    """What every answer depends on: the indexed records and the threshold."""
    data = [threshold, [[k, title, date.isoformat() if date else ""] for k, title, date in records]]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
