"""Measure the title matcher against cases with known answers.

Pure (no Pelican import) so a test can assert the figures and a task can print them.
Precision is what matters most (a wrong link is worse than none), so every wrong
target and every link made where none was expected counts against it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from plugins.related.matching import DEFAULT_FUZZY_THRESHOLD, TitleIndex

__all__ = ["Case", "Evaluation", "evaluate", "threshold_sweep"]


@dataclass(frozen=True)
class Case:
    """One citation: who cites which title, and the record it should resolve to.

    ``expected`` is None when the correct answer is "not in this archive"; ``kind``
    groups cases in the breakdown (e.g. ``variant:curly``, ``negative:number``).
    """

    title: str
    source_key: Hashable
    source_date: datetime | None
    expected: Hashable | None
    kind: str = ""


@dataclass
class Evaluation:
    """Counts and derived precision/recall for one matcher configuration."""

    threshold: float
    guard: bool
    correct: int = 0  # resolved to the expected record
    wrong_target: int = 0  # resolved to another record than the expected one
    false_link: int = 0  # resolved although "not in this archive" was expected
    missed: int = 0  # a record was expected, none found
    rejected: int = 0  # none expected, none found
    fuzzy_correct: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[Case, Hashable | None]] = field(default_factory=list)

    @property
    def wrong(self) -> int:
        """Links that should not have been made."""
        return self.wrong_target + self.false_link

    @property
    def precision(self) -> float:
        """Share of links made that are right (1.0 when no link was made)."""
        made = self.correct + self.wrong
        return self.correct / made if made else 1.0

    @property
    def recall(self) -> float:
        """Share of resolvable citations that were resolved to the right record."""
        expected = self.correct + self.missed + self.wrong_target
        return self.correct / expected if expected else 1.0

    def summary(self) -> str:
        """One line for people: threshold, precision, recall and counts."""
        return (
            f"threshold={self.threshold:g} guard={'on' if self.guard else 'off'}"
            f" precision={self.precision:.2%} recall={self.recall:.2%}"
            f" correct={self.correct} (fuzzy {self.fuzzy_correct}) wrong={self.wrong}"
            f" missed={self.missed} rejected={self.rejected}"
        )


def evaluate(
    records: Iterable[tuple[Hashable, str, datetime | None]],
    cases: Sequence[Case],
    *,
    threshold: float = DEFAULT_FUZZY_THRESHOLD,
    guard: bool = True,
    index: TitleIndex | None = None,
) -> Evaluation:
    """Resolve every case against ``records`` and count the outcomes."""
    index = index or TitleIndex(records, threshold=threshold, guard=guard)
    result = Evaluation(threshold=threshold, guard=guard)
    for case in cases:
        match = index.resolve(case.title, source_key=case.source_key, source_date=case.source_date)
        got = None if match is None else match.key
        if got is not None and got == case.expected:
            result.correct += 1
            result.fuzzy_correct += match is not None and match.method == "fuzzy"
            outcome = "correct"
        elif got is None and case.expected is None:
            result.rejected += 1
            outcome = "rejected"
        elif got is None:
            result.missed += 1
            outcome = "missed"
        else:
            if case.expected is None:
                result.false_link += 1
            else:
                result.wrong_target += 1
            outcome = "wrong"
        result.by_kind[f"{case.kind}:{outcome}"] += 1
        if outcome in ("missed", "wrong"):
            result.errors.append((case, got))
    return result


def threshold_sweep(
    records: Sequence[tuple[Hashable, str, datetime | None]],
    cases: Sequence[Case],
    thresholds: Iterable[float],
    *,
    guard: bool = True,
) -> list[Evaluation]:
    """Evaluate at each threshold: the data behind ``DEFAULT_FUZZY_THRESHOLD``."""
    return [evaluate(records, cases, threshold=t, guard=guard) for t in thresholds]
