"""Answers of a :class:`~related.matching.TitleIndex`, kept from one build to the next.

Resolving every related title (fuzzy scans included) cost about a second per
10,000 articles on every build.  An answer depends only on the indexed
``(key, title, date)`` records, the threshold, and the question (title, citing
key, citing date); while the records are the same, last build's answers are
reused and the index is not even built.  The answers live in Pelican's cache
folder, which the build runner keys by plugin code: a changed matcher starts
from nothing.  :func:`load_saved` and :func:`save` keep the plugin's other
between-builds file ("More on this") too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from .matching import Match, TitleIndex

Record = tuple[int, str, datetime | None]


class MemoisedTitleIndex:
    """``TitleIndex.resolve`` with answers from the last build when the records match."""

    def __init__(
        self, records: Iterable[Record], *, threshold: float, saved: dict[str, Any] | None = None
    ) -> None:
        self._records = list(records)
        self._threshold = threshold
        self.key = _records_key(self._records, threshold)
        previous = saved if saved and saved.get("key") == self.key else {}
        self._previous: dict[str, Any] = previous.get("answers", {}) if previous else {}
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

    def state(self) -> dict[str, Any]:
        """What to save for the next build: this build's answers only."""
        return {"key": self.key, "answers": self.answers}


def _records_key(records: list[Record], threshold: float) -> str:
    data = [threshold, [[k, title, date.isoformat() if date else ""] for k, title, date in records]]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def load_saved(path: Path | None) -> dict[str, Any] | None:
    """What an earlier build kept in ``path`` (a JSON object), or None when missing or unreadable."""
    if path is None or not path.is_file():
        return None
    try:
        saved = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def save(path: Path | None, data: dict[str, Any]) -> None:
    """Keep ``data`` for the next build (atomically: a crash never leaves half a file)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    tmp.replace(path)
