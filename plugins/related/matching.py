"""Resolve a cited title to one record of the archive: exact first, then guarded fuzzy.

Pure logic (no Pelican import) so it can be tested and measured on plain records
``(key, title, date)``. A wrong link is worse than none, so the fuzzy tier is
deliberately narrow: ``rapidfuzz`` finds candidates above a measured score threshold,
then a token-level guard rejects any candidate whose differences could change the
story (a name, a number, a negation, word order, an added or dropped content word).
Only typographic noise, function words, split or joined words and a small set of
spelling variants (``defence``/``defense``, ``Zelensky``/``Zelenskiy``) survive it.
"""

from __future__ import annotations

import functools
from collections.abc import Container, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, NamedTuple, TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .normalize import title_tokens

__all__ = [
    "DEFAULT_FUZZY_THRESHOLD",
    "Match",
    "RelatedLink",
    "TitleIndex",
    "TitleRecord",
    "invert_links",
    "is_safe_variant",
]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: ``fuzz.ratio`` score (0-100) a candidate needs before the guard looks at it.
#: Measured with ``tools.title_evaluation.threshold_sweep`` on the synthetic titles of
#: ``tools.generate.citations``: with the guard, precision is 100% at every threshold and
#: recall is flat from 60 to 90, then falls (the lowest right fuzzy match, "The Ufa Lifts
#: Lockdown", scores 90.0); without it no threshold reaches 85% precision (wrong names
#: score up to 99.4). 80 leaves room for shorter titles that gain or lose a "The" and
#: keeps the scan cheap.
DEFAULT_FUZZY_THRESHOLD = 80.0

#: Words whose presence or absence never changes which story a headline names.
STOPWORDS = _wordset(
    "a an the of in on at to for and with by from as is are was were be its it this"
    " that into over after says say said"
)
#: Words that flip a headline's meaning; never ignored, never treated as a variant.
NEGATIONS = _wordset(
    "not no never none nobody nothing neither nor without cannot cant wont dont doesnt"
    " didnt isnt arent wasnt werent hasnt havent hadnt shouldnt wouldnt couldnt non"
    " anti"
)
#: Spelled-out numbers: as significant as digits.
NUMBER_WORDS = _wordset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen"
    " fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty"
    " hundred thousand million billion trillion first second third fourth fifth sixth"
    " seventh eighth ninth tenth half dozen dozens hundreds thousands millions"
    " billions once twice"
)
# One-letter spelling differences that are conventions, not different words.
_SOFT_SUBSTITUTIONS = frozenset({frozenset("sz"), frozenset("cs"), frozenset("yi")})
_SOFT_INDELS = frozenset("yiuhl")
_LONG_WORD = 8  # a single typo in a word this long is taken as a typo
PROBE_TOKENS = 3  # rarest query words whose titles are scored by the fuzzy tier


class TitleRecord(NamedTuple, Generic[K]):
    """One article as the matcher sees it; a plain ``(key, title, date)`` works."""

    key: K
    title: str
    date: datetime | None


@dataclass(frozen=True)
class Match(Generic[K]):
    """A resolved title: which record, how (``exact``/``fuzzy``) and the fuzzy score."""

    key: K
    method: Literal["exact", "fuzzy"]
    score: float
    title: str


@dataclass(frozen=True)
class RelatedLink(Generic[T]):
    """One ``Related article:`` line as the theme renders it.

    ``status`` is ``"resolved"`` or ``"unresolved"``; ``target`` is the linked article
    (``None`` when unresolved); ``method`` is ``"exact"``, ``"fuzzy"`` or ``""``.
    """

    title: str
    status: Literal["resolved", "unresolved"]
    target: T | None
    method: str
    index: int = 0
    score: float = 0.0


def _is_significant(token: str) -> bool:
    """Tokens that must never differ between two titles joined by a fuzzy match."""
    # tokens are runs of letters and digits (or a symbol): not all letters = numeric
    return not token.isalpha() or token in NEGATIONS or token in NUMBER_WORDS


def is_safe_variant(a: str, b: str) -> bool:
    """Return True when two different tokens are spellings of the same word.

    Accepted: one soft edit (``s/z``, ``c/s``, ``y/i`` swaps, an added ``y i u h l``, a
    plural ``s``) in a word of four letters or more, or any single edit inside a word of
    eight letters or more (typos). Never at the first letter (``Prussia``/``Russia``,
    ``unlikely``/``likely``), never on numbers, negations or other endings
    (``Petrov``/``Petrova``, ``Iran``/``Iraq``, ``Austria``/``Australia``).
    """
    if a == b:
        return True
    if _is_significant(a) or _is_significant(b):
        return False
    if min(len(a), len(b)) < 4:
        return False
    ops = Levenshtein.editops(a, b)
    if len(ops) != 1:
        return False
    op = ops[0]
    if op.src_pos == 0 or op.dest_pos == 0:
        return False
    if op.tag == "replace":
        char_a, char_b = a[op.src_pos], b[op.dest_pos]
        soft = frozenset((char_a, char_b)) in _SOFT_SUBSTITUTIONS
    else:
        longer, pos = (b, op.dest_pos) if op.tag == "insert" else (a, op.src_pos)
        char = longer[pos]
        at_end = pos == len(longer) - 1
        if at_end and char != "s":
            return False  # Petrov/Petrova, Russia/Russian: different words
        soft = char in _SOFT_INDELS or (at_end and char == "s")
    return soft or min(len(a), len(b)) >= _LONG_WORD


def _strip_stopwords(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t not in STOPWORDS]


def _segments_agree(seg_a: Sequence[str], seg_b: Sequence[str]) -> bool:
    """Decide whether two differing runs of tokens say the same thing."""
    if "".join(seg_a) == "".join(seg_b):
        return True  # split or joined words: "lock down" / "lockdown"
    core_a, core_b = _strip_stopwords(seg_a), _strip_stopwords(seg_b)
    if "".join(core_a) == "".join(core_b):
        return True
    if len(core_a) != len(core_b):
        return False
    return all(is_safe_variant(x, y) for x, y in zip(core_a, core_b, strict=True))


def _diff_blocks(
    tokens_a: Sequence[str], tokens_b: Sequence[str]
) -> Iterator[tuple[Sequence[str], Sequence[str]]]:
    """Yield each maximal run of differing tokens, aligned by edit distance (in C)."""
    start: tuple[int, int] | None = None
    for op in Levenshtein.opcodes(tokens_a, tokens_b):
        if op.tag == "equal":
            if start is not None:
                yield tokens_a[start[0] : op.src_start], tokens_b[start[1] : op.dest_start]
                start = None
        elif start is None:
            start = (op.src_start, op.dest_start)
    if start is not None:
        yield tokens_a[start[0] :], tokens_b[start[1] :]


def guard_accepts(tokens_a: Sequence[str], tokens_b: Sequence[str]) -> bool:
    """Return True when two token lists differ only in ways that keep the story.

    Tokens are aligned in order, so a swap (``Russia Beats Ukraine`` /
    ``Ukraine Beats Russia``) is rejected; each run of differing tokens must be
    function words only, split/joined words, or safe spelling variants one to one.
    """
    return all(_segments_agree(a, b) for a, b in _diff_blocks(tokens_a, tokens_b))


def _timestamp(date: datetime) -> float:
    return date.timestamp()


def _prefer_by_date(
    records: Sequence[TitleRecord[K]], source_date: datetime | None
) -> TitleRecord[K]:
    """Pick the record published nearest before the citing article.

    A citation points backwards in time, so the closest earlier namesake is the likely
    target; failing that, the closest later one; undated records come last. Without a
    citing date, the latest record wins. Ties keep the records' input order.
    """
    dated = [r for r in records if r.date is not None]
    if not dated:
        return records[0]
    if source_date is None:
        return max(dated, key=lambda r: _timestamp(r.date))  # type: ignore[arg-type]
    when = _timestamp(source_date)
    before = [r for r in dated if _timestamp(r.date) <= when]  # type: ignore[arg-type]
    if before:
        return min(before, key=lambda r: when - _timestamp(r.date))  # type: ignore[arg-type]
    return min(dated, key=lambda r: _timestamp(r.date) - when)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=1 << 17)
def _indexed_tokens(title: str) -> tuple[str, ...]:
    """``title_tokens``, kept: a long-lived process indexes the same titles build after build."""
    return tuple(title_tokens(title))


def indexed_words(titles: Iterable[str]) -> set[str]:
    """The words a :class:`TitleIndex` over these titles keeps postings for.

    All :func:`scans_everything` needs to know, at a small part of a whole
    index's memory (a set of words against every title's tokens and postings).
    """
    words: set[str] = set()
    for title in titles:
        words.update(_indexed_tokens(title))
    return words - STOPWORDS


def scans_everything(tokens: Iterable[str], indexed: Container[str]) -> bool:
    """Whether a query of these words scores every title: fewer than ``PROBE_TOKENS`` indexed.

    ``indexed``: the words titles are posted under (:func:`indexed_words`).
    """
    return len({t for t in tokens if t in indexed}) < PROBE_TOKENS


class TitleIndex(Generic[K]):
    """All titles of an archive, ready to resolve citations against.

    Build once per build (``O(n)``); each lookup is a dict hit, or for titles without
    an exact match one ``rapidfuzz`` scan over the distinct titles, cached per title.
    """

    def __init__(
        self,
        records: Iterable[tuple[K, str, datetime | None]],
        *,
        threshold: float = DEFAULT_FUZZY_THRESHOLD,
        guard: bool = True,
    ) -> None:
        """Index ``(key, title, date)`` records; ``threshold`` is the fuzzy cut-off.

        ``guard=False`` trusts the score alone; it exists only so the evaluation can
        show what the guard prevents.
        """
        self.threshold = threshold
        self.guard = guard
        self._by_norm: dict[str, list[TitleRecord[K]]] = {}
        self._tokens: dict[str, Sequence[str]] = {}
        for key, title, date in records:
            tokens = _indexed_tokens(title)
            norm = " ".join(tokens)
            if not norm:
                continue
            self._by_norm.setdefault(norm, []).append(TitleRecord(key, title, date))
            self._tokens[norm] = tokens
        self._norms = list(self._by_norm)
        self._order = {norm: i for i, norm in enumerate(self._norms)}
        # token -> distinct titles holding it: fuzzy candidates come from here
        self._postings: dict[str, set[str]] = {}
        for norm, tokens in self._tokens.items():
            for token in dict.fromkeys(tokens):
                if token not in STOPWORDS:
                    self._postings.setdefault(token, set()).add(norm)
        self._fuzzy_cache: dict[str, list[tuple[str, float]]] = {}

    def __len__(self) -> int:
        """Return the number of distinct normalised titles."""
        return len(self._norms)

    def scans_everything(self, tokens: Iterable[str]) -> bool:
        """Whether a query of these words scores every title (too few of them are indexed)."""
        return scans_everything(tokens, self._postings)

    def _candidate_pool(self, tokens: list[str]) -> list[str]:
        """Titles sharing one of the query's rarest indexed words, in index order.

        A title the guard can accept shares every content word with the query except
        a few re-spelled ones, so it holds at least one of any ``PROBE_TOKENS`` of
        them; scoring only those keeps each lookup far below a scan of the archive.
        Queries with fewer indexed words than that fall back to the full scan.
        """
        indexed = sorted(
            {t for t in tokens if t in self._postings},
            key=lambda t: (len(self._postings[t]), t),
        )
        if len(indexed) < PROBE_TOKENS:
            return self._norms
        probes = [self._postings[t] for t in indexed[:PROBE_TOKENS]]
        if len(indexed) > PROBE_TOKENS:
            # A longer title that scores 80 and passes the guard keeps all but one of
            # its rarest words: titles holding two of them suffice.  Any one of them
            # alone is held by a share of the archive, so that pool (and the time per
            # lookup) would grow with the archive; pairs of rare words stay few.
            pool = set().union(*(a & b for i, a in enumerate(probes) for b in probes[i + 1 :]))
        else:
            pool = set().union(*probes)
        return sorted(pool, key=self._order.__getitem__)

    def _scored(self, norm: str, tokens: list[str]) -> list[tuple[str, float]]:
        """Titles scoring at least ``threshold`` against ``norm``, best first (cached)."""
        cached = self._fuzzy_cache.get(norm)
        if cached is None:
            found = process.extract(
                norm,
                self._candidate_pool(tokens),
                scorer=fuzz.ratio,
                score_cutoff=self.threshold,
                limit=None,
            )
            cached = [(candidate, score) for candidate, score, _ in found if candidate != norm]
            cached.sort(key=lambda item: -item[1])  # stable: ties keep index order
            self._fuzzy_cache[norm] = cached
        return cached

    def _fuzzy(
        self, norm: str, tokens: list[str], source_key: K | None, source_date: datetime | None
    ) -> Match[K] | None:
        """Best-scoring guard-approved title; the guard runs only as far as needed."""
        best: float | None = None
        pool: list[TitleRecord[K]] = []
        for candidate, score in self._scored(norm, tokens):
            if best is not None and score < best:
                break
            if self.guard and not guard_accepts(tokens, self._tokens[candidate]):
                continue
            records = [r for r in self._by_norm[candidate] if r.key != source_key]
            if records:  # never the citing article itself
                best = score
                pool.extend(records)
        if best is None:
            return None
        record = _prefer_by_date(pool, source_date)
        return Match(record.key, "fuzzy", best, record.title)

    def resolve(
        self,
        title: str,
        *,
        source_key: K | None = None,
        source_date: datetime | None = None,
    ) -> Match[K] | None:
        """Return the record a citation of ``title`` points to, or None.

        ``source_key`` (the citing article) is never returned; ``source_date`` picks
        among articles sharing the title. Exact normalised matches win over fuzzy.
        """
        tokens = title_tokens(title)
        norm = " ".join(tokens)
        if not norm:
            return None
        exact = [r for r in self._by_norm.get(norm, ()) if r.key != source_key]
        if exact:
            record = _prefer_by_date(exact, source_date)
            return Match(record.key, "exact", 100.0, record.title)
        return self._fuzzy(norm, tokens, source_key, source_date)


def invert_links(links: Mapping[K, Iterable[K]]) -> dict[K, list[K]]:
    """Turn ``source -> targets`` into ``target -> sources`` (backlinks).

    Each source appears once per target, in the order sources are given, so
    backlinks are exactly the inverse of the resolved links.
    """
    inverse: dict[K, list[K]] = {}
    for source, targets in links.items():
        for target in dict.fromkeys(targets):
            if target != source:
                inverse.setdefault(target, []).append(source)
    return inverse
