"""Answers of a :class:`~related.matching.TitleIndex`, kept from one build to the next.

Resolving every related title (fuzzy scans included) cost about a second per
10,000 articles on every build.  An answer depends only on the indexed
``(key, title, date)`` records, the threshold, and the question (title, citing
key, citing date); while the records are the same, last build's answers are
reused and the index is not even built.  The answers live in Pelican's cache
folder, which the build runner keys by plugin code: a changed matcher starts
from nothing.  The glue keeps them with ``sitewide.state``, under
:func:`records_key`.

The dev server edits a title or two between builds: :func:`carried_answers`
keeps every answer no changed title can reach (see there), so a save asks
anew only the questions sharing a word with a changed title.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Container, Iterable, Mapping
from datetime import datetime
from typing import Any

from sitewide.parts import contiguous_parts

from .matching import STOPWORDS, Match, TitleIndex, indexed_words, scans_everything
from .normalize import title_tokens
from .similar import Spread

Record = tuple[int, str, datetime | None]


class MemoisedTitleIndex:
    """``TitleIndex.resolve`` with last build's answers (see :func:`records_key`)."""

    def __init__(
        self,
        records: Iterable[Record],
        *,
        threshold: float,
        previous: dict[str, Any],
        earlier: tuple[list[Record], dict[str, Any]] | None = None,
        moved: Mapping[int, int] | None = None,
    ) -> None:
        """Answer from ``previous`` (made for these very records) when possible.

        ``earlier``: another run's records and answers (same threshold); the ones
        still right for these records are kept (:func:`carried_answers`; ``moved``:
        where each earlier key went, when articles came or went).
        """
        self._records = list(records)
        self._threshold = threshold
        self._previous = previous
        self.answers: dict[str, Any] = {}
        self._index: TitleIndex[int] | None = None
        self.reused = 0
        #: Answers computed ahead, in tasks (:meth:`answer_in_parts`).
        self._ahead: dict[str, Any] = {}
        if not previous and earlier is not None and moved is None and earlier[0] == self._records:
            self._previous = earlier[1]  # the same records: every answer holds
        elif not previous and earlier is not None and earlier[1]:
            indexed = indexed_words(title for _key, title, _date in self._records)
            self._previous = carried_answers(*earlier, self._records, indexed, moved)

    def resolve(
        self, title: str, *, source_key: int, source_date: datetime | None = None
    ) -> Match[int] | None:
        """Same answer as ``TitleIndex.resolve``, from memory when possible."""
        return self.answer(
            question_key(title, source_key, source_date), title, source_key, source_date
        )

    def answer(
        self, question: str, title: str, source_key: int, source_date: datetime | None
    ) -> Match[int] | None:
        """:meth:`resolve` for a question already filed (:func:`question_key`)."""
        if question in self.answers:  # asked again (an article citing a title twice)
            answer = self.answers[question]
        elif question in self._previous:
            answer = self._previous[question]
            self.reused += 1
        elif question in self._ahead:
            answer = self._ahead.pop(question)
        else:
            if self._index is None:
                self._index = TitleIndex(self._records, threshold=self._threshold)
            answer = _answer_of(
                self._index.resolve(title, source_key=source_key, source_date=source_date)
            )
        self.answers[question] = answer
        return None if answer is None else Match(*answer)

    def unanswered(self, questions: list[Question]) -> list[Question]:
        """The questions no kept answer holds (the ones :meth:`answer` would compute)."""
        return [question for question in questions if question[0] not in self._previous]

    def answer_in_parts(self, questions: list[Question], spread: Spread, parts: int) -> None:
        """Answer ahead, in ``parts`` tasks through ``spread``, the questions not answered before.

        Each task resolves its questions against the same records with the same
        threshold (:func:`resolve_part`), so every answer is the one
        :meth:`answer` would compute; :meth:`answer` then finds it here.
        """
        todo = self.unanswered(questions)
        if not todo:
            return
        chunks = contiguous_parts(todo, parts)
        for answers in spread(resolve_part, chunks, (self._records, self._threshold)):
            self._ahead.update(answers)


#: ``(question key, title, citing key, citing date)``: one related title to resolve.
Question = tuple[str, str, int, datetime | None]

#: The title index a worker made for the records it was last sent (tasks of one map share it).
_worker_index: tuple[list[Record], float, TitleIndex[int]] | None = None


def resolve_part(part: list[Question], shared: tuple[list[Record], float]) -> dict[str, Any]:
    """A task: the answer to each question of ``part`` (see :meth:`MemoisedTitleIndex.answer`)."""
    global _worker_index
    records, threshold = shared
    if _worker_index is None or _worker_index[0] is not records or _worker_index[1] != threshold:
        _worker_index = (records, threshold, TitleIndex(records, threshold=threshold))
    index = _worker_index[2]
    return {
        question: _answer_of(index.resolve(title, source_key=key, source_date=date))
        for question, title, key, date in part
    }


def _answer_of(match: Match[int] | None) -> list[Any] | None:
    """An answer as kept (plain data, for the answers file)."""
    return None if match is None else [match.key, match.method, match.score, match.title]


def question_key(title: str, source_key: int, source_date: datetime | None) -> str:
    """How a question is filed among the answers (the key of :attr:`MemoisedTitleIndex.answers`)."""
    return question_keys((title,), source_key, source_date)[0]


def question_keys(
    titles: Iterable[str], source_key: int, source_date: datetime | None
) -> list[str]:
    """:func:`question_key` of each of one article's related titles (its date formatted once)."""
    date = source_date.isoformat() if source_date else ""
    return [f"{source_key}\x1f{date}\x1f{title}" for title in titles]


def records_key(records: list[Record], threshold: float) -> str:
    """What every answer depends on: the indexed records and the threshold."""
    data = [threshold, [[k, title, date.isoformat() if date else ""] for k, title, date in records]]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=65536)
def _words(title: str) -> frozenset[str]:
    return frozenset(title_tokens(title))


def carried_answers(
    earlier_records: list[Record],
    earlier_answers: dict[str, Any],
    records: list[Record],
    indexed: Container[str],
    moved: Mapping[int, int] | None = None,
) -> dict[str, Any]:
    """The answers made over ``earlier_records`` that an index over ``records`` gives too.

    ``indexed``: the words that index posts titles under
    (:func:`~related.matching.indexed_words`), all this needs of it.

    Keys are positions.  Without ``moved``, the same keys in the same order, some
    titles or dates changed.  With ``moved`` (earlier key -> key of the same
    article now; articles came or went), the articles still here keep their
    order; the answers are filed under the keys they have now.  A question's
    fuzzy candidates are titles sharing one of its words (unless it has too few
    indexed words: then every title is scored), its exact match is its own
    words, and the titles a changed, new or gone record had or has are the only
    ones whose records or word postings differ.  So a question sharing no word
    with those titles, and not scanning every title, gets the answer it got.
    Stopwords are posted under no title, so sharing one reaches nothing: a
    question not scanning everything has indexed words, and an exact match
    shares those too.  (One seed added at 100,000 articles asked 40,711
    questions anew counting "the" and "for", 9,883 without them.)
    """
    touched: set[str] = set()
    if moved is None:
        if len(earlier_records) != len(records) or any(
            old[0] != new[0] for old, new in zip(earlier_records, records, strict=True)
        ):
            return {}
        pairs = zip(earlier_records, records, strict=True)
    else:
        kept = sorted(moved.items())
        if any(a[1] >= b[1] for a, b in itertools.pairwise(kept)):  # the order changed
            return {}
        pairs = ((earlier_records[old], records[new]) for old, new in kept)
        for gone in set(range(len(earlier_records))) - set(moved):
            touched.update(_words(earlier_records[gone][1]))
        for new in set(range(len(records))) - set(moved.values()):
            touched.update(_words(records[new][1]))
    for old, new in pairs:
        if old[1:] != new[1:]:
            touched.update(_words(old[1]), _words(new[1]))
    touched -= STOPWORDS
    carried = {}
    for question, answer in earlier_answers.items():
        key, date, title = question.split("\x1f", 2)
        words = _words(title)
        if not words or not touched.isdisjoint(words) or scans_everything(words, indexed):
            continue
        if moved is not None:
            if int(key) not in moved or (answer is not None and answer[0] not in moved):
                continue
            question = f"{moved[int(key)]}\x1f{date}\x1f{title}"
            answer = answer if answer is None else [moved[answer[0]], *answer[1:]]
        carried[question] = answer
    return carried
