"""'More on this': top-k similar documents by TF-IDF cosine, in about linear time.

Pure logic (no Pelican). Comparing every pair is ``O(n^2)``: 50 million pairs for a
10k-article archive. Instead each document proposes candidates only through its few
most distinctive terms, looked up in an inverted index whose posting lists keep only
the ``max_postings`` documents where the term weighs most (long lists of common terms
are what makes all-pairs slow). Candidates sharing the most of those terms get an
exact cosine. Work
per document is bounded by ``query_terms * max_postings``, so the total grows with n.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sitewide.parts import Made, contiguous_parts

from .normalize import title_tokens

__all__ = ["Answers", "IncrementalSimilarity", "SimilarityStats", "similar_documents", "tokenize"]

K = TypeVar("K", bound=Hashable)

_STOPWORDS = frozenset(
    str.split(
        """a about after again against all also am an and any are as at be because been
    before being between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is
    it its just like more most much my new no nor not now of off on once only or other
    our out over own said same says she should so some such than that the their them
    then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would year years you your
    told tells say week day month last first one two three mr ms"""
    )
)
_WORDISH = re.compile(r"[^\W\d_]{3,}")


def _stem(token: str) -> str:
    """Fold the commonest English endings so 'sanctions' meets 'sanction'."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Content words of a text, lower-cased and lightly stemmed; numbers dropped."""
    return [
        _stem(token)
        for token in title_tokens(text)
        if _WORDISH.fullmatch(token) and token not in _STOPWORDS
    ]


@dataclass
class SimilarityStats:
    """How much work a run did; lets tests check that it stays near-linear."""

    documents: int = 0
    postings_scanned: int = 0
    cosines_computed: int = 0
    truncated_terms: set[str] = field(default_factory=set)


def _vector(counts: Counter[str], idf: Mapping[str, float], max_terms: int) -> dict[str, float]:
    """Length-normalised ``(1 + log tf) * idf`` vector of a text's top terms.

    Keeping only the ``max_terms`` heaviest terms bounds the cost of each cosine; the
    dropped tail is made of the commonest words, which say least about the topic.
    """
    vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items() if idf[t] > 0}
    if len(vec) > max_terms:
        vec = dict(sorted(vec.items(), key=lambda i: (-i[1], i[0]))[:max_terms])
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


@dataclass(frozen=True)
class _Params:
    top_k: int = 5
    min_score: float = 0.2
    title_weight: int = 2
    max_terms: int = 24
    query_terms: int = 10
    max_postings: int = 200
    candidates: int = 30


@dataclass
class _Query:
    """One document's answer, and what it was computed from (to know when to redo it)."""

    result: list[tuple[Any, float]]
    probe: list[str]
    considered: list[Any]


def _query(
    key: K,
    vectors: Mapping[K, dict[str, float]],
    postings: Mapping[str, list[K]],
    banned: frozenset[K],
    order: Mapping[K, int],
    params: _Params,
    stats: SimilarityStats,
    known: _Query | None = None,
) -> _Query:
    """Top-k neighbours of ``key``: candidates through its distinctive terms, exact cosines.

    ``known``: an earlier answer for the same key, made with the same exclusions and
    the same posting lists of its probe terms; if the probe is the same, so are the
    candidates (only their scores are computed again).
    """
    vec = vectors[key]
    probe = heapq.nsmallest(
        params.query_terms, (t for t in vec if t in postings), key=lambda t: (-vec[t], t)
    )
    if known is not None and known.probe == probe:
        considered = known.considered
    else:
        shared: Counter[K] = Counter()
        for term in probe:
            posting = postings[term]
            stats.postings_scanned += len(posting)
            shared.update(posting)
        considered = [
            other
            for other, _ in shared.most_common(params.candidates + len(banned))
            if other not in banned
        ]
    scored: list[tuple[float, int, K]] = []
    for other in considered:
        other_vec = vectors[other]
        # Key-view intersection runs in C; fsum is exactly rounded, so the hash
        # order of the intersection cannot change a score between builds.
        terms = vec.keys() & other_vec.keys()
        score = math.fsum(vec[t] * other_vec[t] for t in terms)
        stats.cosines_computed += 1
        if score >= params.min_score:
            scored.append((score, order[other], other))
    scored.sort(key=lambda item: (-item[0], item[1]))
    result = [(other, round(score, 4)) for score, _, other in scored[: params.top_k]]
    return _Query(result, probe, considered)


class _Model:
    """Everything one run computed, kept so that the next run redoes only what changed."""

    def __init__(
        self,
        documents: list[tuple[K, str, str]],
        exclude: Mapping[K, Iterable[K]],
        params: _Params,
        stats: SimilarityStats,
        previous: _Model | None = None,
        *,
        one_off: bool = False,
    ) -> None:
        """``one_off``: a model asked once and dropped, which keeps only what answers need.

        (Not the texts, term counts, nor each answer's candidates and probe terms, which
        only an update reads: at 30,000 articles they were 100 MB of the build process.)
        """
        self.params = params
        self.one_off = one_off
        self.keys = [key for key, _, _ in documents]
        self.order: dict[K, int] = {}
        texts: dict[K, tuple[str, str]] = {}
        counts: dict[K, Counter[str]] = {}
        for key, title, lead in documents:
            self.order[key] = len(self.order)
            texts[key] = (title, lead)
            counts[key] = (
                previous.counts[key]
                if previous is not None and previous.texts.get(key) == (title, lead)
                else _counts(title, lead, params)
            )
        self.n = n = len(counts)
        stats.documents = n
        self.banned = {key: _banned(key, exclude) for key in counts}
        self.df: Counter[str] = Counter()
        for term_counts in counts.values():
            self.df.update(term_counts.keys())
        self.idf = {t: math.log(n / d) for t, d in self.df.items()} if n else {}
        self.vectors = {key: _vector(c, self.idf, params.max_terms) for key, c in counts.items()}
        self.texts = {} if one_off else texts
        self.counts = {} if one_off else counts
        del texts, counts
        # Impact-ordered postings: each term keeps only the documents where it weighs most,
        # so a common term still proposes the stories it is central to, at bounded cost.
        self.postings: dict[str, list[K]] = {}
        for key, vec in self.vectors.items():
            for term in vec:
                if self.df[term] > 1:
                    self.postings.setdefault(term, []).append(key)
        for term, keys in self.postings.items():
            if len(keys) > params.max_postings:
                self.postings[term] = self._heaviest(term, keys)
                stats.truncated_terms.add(term)
        #: Answers computed; the keys in ``pending`` are asked when needed (:meth:`answer`).
        self.queries: dict[K, _Query] = {}
        self.pending: set[K] = set(self.vectors) if n >= 2 else set()
        #: Earlier answers whose candidates still hold (see ``_query``'s ``known``).
        self.hints: dict[K, _Query] = {}
        if previous is not None and previous.params == params:
            # Postings the last model had too: a query probing only those finds the same
            # candidates.
            same = {
                term
                for term, keys in self.postings.items()
                if term not in previous.dirty and previous.postings.get(term) == keys
            }
            for key in self.pending:
                known = previous.queries.get(key)
                if (
                    known is not None
                    and previous.banned.get(key) == self.banned[key]
                    and same.issuperset(known.probe)
                ):
                    self.hints[key] = known
        self.stats = stats
        # Built for the first update (a one-off build never needs them).
        self.holders: dict[str, set[K]] | None = None
        #: Set by :class:`IncrementalSimilarity`: build them as soon as every answer is in.
        self.updates_expected = False
        #: Answers a change made stale, still noted in ``probed_by`` and ``considered_by``
        #: (forgotten when computed again: a change reaching most answers stays cheap).
        self.stale: dict[K, _Query] = {}
        #: Truncated posting lists a change may have reordered, made again when read, and
        #: the answers that read one of them (checked before they are given again).
        self.dirty: set[str] = set()
        self.suspect: set[K] = set()
        self.in_vectors: dict[str, int] = {}
        self.probed_by: dict[str, set[K]] = {}
        self.considered_by: dict[K, set[K]] = {}

    def answer(self, key: K) -> list[tuple[K, float]]:
        """``key``'s top-k, computed now if a change left it to compute."""
        if key in self.suspect:  # it read a posting list that may have changed
            self.suspect.discard(key)
            known = self.queries.get(key)
            for term in self.dirty.intersection(known.probe if known else ()):
                self._clean(term)
        if key in self.pending:
            for term in self.dirty.intersection(self.vectors[key]):  # what it may probe
                self._clean(term)
            query = _query(
                key,
                self.vectors,
                self.postings,
                self.banned[key],
                self.order,
                self.params,
                self.stats,
                self.hints.pop(key, None),
            )
            self.queries[key] = self._kept(query)
            self.pending.discard(key)
            if self.holders is not None:
                stale = self.stale.pop(key, None)
                if stale is not None:
                    self._forget(key, stale)
                self._note(key, query)
            elif not self.pending and self.updates_expected:
                # Every answer is in: what an update looks up is built now, while the
                # rest of the site is written, not when the next change is waited for.
                self._index()
        query = self.queries.get(key)
        return [] if query is None else list(query.result)

    def _kept(self, query: _Query) -> _Query:
        """What the model keeps of an answer: all of it, or its result alone if one-off."""
        return _Query(query.result, [], []) if self.one_off else query

    def _clean(self, term: str) -> None:
        """Make ``term``'s posting list again; if it changed, redo the answers that read it."""
        self.dirty.discard(term)
        posting = self._posting(term)
        if posting == self.postings.get(term):
            return
        assert posting is not None  # a truncated list stays one (see ``update``)
        self.postings[term] = posting
        self._redo(list(self.probed_by.get(term, ())))

    def _redo(self, keys: Iterable[K]) -> None:
        """Leave the answers of ``keys`` to compute again (their last ones noted as stale)."""
        for key in keys:
            query = self.queries.pop(key, None)
            if query is not None:
                self.stale[key] = query
            self.pending.add(key)

    def result(self) -> dict[K, list[tuple[K, float]]]:
        """Every key's answer (those left to compute are computed, in input order)."""
        return {key: self.answer(key) for key in self.keys}

    def _index(self) -> None:
        """Who holds each term, who probes it, who considered whom: what an update looks up."""
        self.holders = {}
        for key, term_counts in self.counts.items():
            for term in term_counts:
                self.holders.setdefault(term, set()).add(key)
        self.in_vectors = {}
        for vec in self.vectors.values():
            for term in vec:
                self.in_vectors[term] = self.in_vectors.get(term, 0) + 1
        for key, query in self.queries.items():
            self._note(key, query)

    def _note(self, key: K, query: _Query) -> None:
        for term in query.probe:
            self.probed_by.setdefault(term, set()).add(key)
        for other in query.considered:
            self.considered_by.setdefault(other, set()).add(key)

    def _forget(self, key: K, query: _Query) -> None:
        for term in query.probe:
            self.probed_by[term].discard(key)
        for other in query.considered:
            self.considered_by[other].discard(key)

    def _posting(self, term: str) -> list[K] | None:
        """``term``'s posting list as a run from scratch makes it."""
        if self.df.get(term, 0) <= 1:
            return None
        assert self.holders is not None
        vectors, order = self.vectors, self.order
        keys = [k for k in self.holders[term] if term in vectors[k]]
        if len(keys) > self.params.max_postings:
            return self._heaviest(term, keys)
        return sorted(keys, key=order.__getitem__) or None

    def _heaviest(self, term: str, keys: Iterable[K]) -> list[K]:
        """The ``max_postings`` documents of ``keys`` where ``term`` weighs most, heaviest first."""
        vectors, order = self.vectors, self.order
        return heapq.nsmallest(
            self.params.max_postings, keys, key=lambda k: (-vectors[k][term], order[k])
        )

    def update(
        self,
        documents: list[tuple[K, str, str]],
        exclude: Mapping[K, Iterable[K]],
        stats: SimilarityStats,
    ) -> None:
        """Bring the model to ``documents`` (same keys, same order): redo what they reach."""
        if self.holders is None:
            self._index()
        assert self.holders is not None
        params = self.params
        changed = [key for key, title, lead in documents if self.texts[key] != (title, lead)]
        # Terms whose document frequency changes: their idf, so every holder's vector.
        new_df_terms: set[str] = set()
        for key, title, lead in documents:
            if self.texts[key] == (title, lead):
                continue
            old, new = self.counts[key], _counts(title, lead, params)
            for term in old.keys() - new.keys():
                self.df[term] -= 1
                self.holders[term].discard(key)
                new_df_terms.add(term)
            for term in new.keys() - old.keys():
                self.df[term] += 1
                self.holders.setdefault(term, set()).add(key)
                new_df_terms.add(term)
            self.texts[key], self.counts[key] = (title, lead), new
        for term in new_df_terms:
            if self.df[term] <= 0:
                del self.df[term], self.holders[term]
                self.idf.pop(term, None)
            else:
                self.idf[term] = math.log(self.n / self.df[term])
        redo_vectors = set(changed)
        for term in new_df_terms:
            redo_vectors.update(self.holders.get(term, ()))
        moved: set[K] = set()  # documents whose vector changed
        terms_touched = set(new_df_terms)
        for key in redo_vectors:
            old_vec = self.vectors[key]
            vec = _vector(self.counts[key], self.idf, params.max_terms)
            if vec == old_vec:
                continue
            moved.add(key)
            self.vectors[key] = vec
            for term in old_vec.keys() - vec.keys():
                self.in_vectors[term] -= 1
                terms_touched.add(term)
            for term in vec.keys() - old_vec.keys():
                self.in_vectors[term] = self.in_vectors.get(term, 0) + 1
                terms_touched.add(term)
            # A weight alone moves a document only within a truncated list.
            for term in vec.keys() & old_vec.keys():
                if self.in_vectors[term] > params.max_postings and vec[term] != old_vec[term]:
                    terms_touched.add(term)
        new_postings: set[str] = set()
        for term in terms_touched:
            if self.in_vectors.get(term, 0) > params.max_postings and self.df[term] > 1:
                # A truncated list stays one (the term still has postings), only who is
                # in it may change: made again when an answer reads it (see ``answer``).
                self.dirty.add(term)
                self.suspect.update(self.probed_by.get(term, ()))
                continue
            self.dirty.discard(term)
            posting = self._posting(term)
            if posting != self.postings.get(term):
                new_postings.add(term)
                if posting is None:
                    del self.postings[term]
                else:
                    self.postings[term] = posting
        redo = set(moved)
        for term in new_postings:
            redo.update(self.probed_by.get(term, ()))
        for key in moved:
            redo.update(self.considered_by.get(key, ()))
        for key in self.keys:
            banned = _banned(key, exclude)
            if banned != self.banned[key]:
                self.banned[key] = banned
                redo.add(key)
        # Answered when asked (the page in view first), from the model as it now stands.
        self.hints.clear()  # they held for the model as it was made, not as it is now
        self.stats = stats
        self._redo(redo)
        stats.documents = self.n


#: ``spread(function, parts, shared)``: ``function(part, shared)`` for every part, the
#: results in any order (a task runner's map; ``shared`` travels once per worker, or,
#: a :class:`~sitewide.parts.Made`, is made by one task where the tasks run).
Spread = Callable[[Callable[..., Any], list[Any], Any], Iterable[Any]]

#: What every answer task reads: vectors, posting lists, input order, parameters.
SharedModel = tuple[Mapping[K, dict[str, float]], Mapping[str, list[K]], Mapping[K, int], _Params]


def model_for_answers(argument: tuple[list[tuple[K, str, str]], _Params]) -> SharedModel[K]:
    """A task: the vectors, posting lists and order the answer tasks read.

    Made where the answers are computed: the model (term counts, vectors,
    posting lists: 5 KB an article while it is made) never sits in the build
    process, which only sends the documents and gets the answers back.
    """
    documents, params = argument
    model = _Model(documents, {}, params, SimilarityStats(), one_off=True)
    return model.vectors, model.postings, model.order, params


def answer_part(
    part: list[tuple[K, frozenset[K]]], shared: SharedModel[K]
) -> tuple[list[tuple[K, list[tuple[K, float]]]], int, int]:
    """A task: the answers of ``part``'s keys, and the postings and cosines it took."""
    vectors, postings, order, params = shared
    stats = SimilarityStats()
    answers = [
        (key, _query(key, vectors, postings, banned, order, params, stats).result)
        for key, banned in part
    ]
    return answers, stats.postings_scanned, stats.cosines_computed


def _answered_in_parts(
    documents: list[tuple[K, str, str]],
    exclude: Mapping[K, Iterable[K]],
    params: _Params,
    stats: SimilarityStats,
    spread: Spread,
    parts: int,
) -> dict[K, list[tuple[K, float]]]:
    """Every document's answer, computed in ``parts`` tasks through ``spread``.

    The model is made by a task too (:func:`model_for_answers`), and each task
    computes the same ``_query`` as :meth:`_Model.answer` from the same numbers,
    so the answers are the same bit for bit.  (``stats.truncated_terms`` stays
    empty: the posting lists are cut where they are made.)
    """
    keys = [key for key, _, _ in documents]
    stats.documents = len(keys)
    answers: dict[K, list[tuple[K, float]]] = {}
    if len(keys) >= 2:
        chunks = contiguous_parts([(key, _banned(key, exclude)) for key in keys], parts)
        made = Made(model_for_answers, (documents, params))
        for part_answers, scanned, cosines in spread(answer_part, chunks, made):
            answers.update(part_answers)
            stats.postings_scanned += scanned
            stats.cosines_computed += cosines
    return {key: answers.get(key, []) for key in keys}


def _counts(title: str, lead: str, params: _Params) -> Counter[str]:
    return Counter(tokenize(title) * params.title_weight + tokenize(lead))


def _banned(key: K, exclude: Mapping[K, Iterable[K]]) -> frozenset[K]:
    return frozenset((*exclude.get(key, ()), key))


def similar_documents(
    documents: Iterable[tuple[K, str, str]],
    *,
    top_k: int = 5,
    min_score: float = 0.2,
    exclude: Mapping[K, Iterable[K]] | None = None,
    title_weight: int = 2,
    max_terms: int = 24,
    query_terms: int = 10,
    max_postings: int = 200,
    candidates: int = 30,
    stats: SimilarityStats | None = None,
    spread: Spread | None = None,
    parts: int = 1,
) -> dict[K, list[tuple[K, float]]]:
    """Return, for each ``(key, title, lead)``, up to ``top_k`` ``(key, score)`` pairs.

    The title counts ``title_weight`` times (it names the story; the lead adds
    context). ``exclude`` maps a key to keys it must not list (already linked); a
    document never lists itself. Scores are cosines in ``[0, 1]``; pairs below
    ``min_score`` are dropped. Ties break on input order, so output is deterministic.
    ``spread``: the model is made and the answers computed in ``parts`` tasks
    through it (the same answers; see :func:`_answered_in_parts`).
    """
    params = _Params(
        top_k, min_score, title_weight, max_terms, query_terms, max_postings, candidates
    )
    stats = stats or SimilarityStats()
    if spread is not None:
        return _answered_in_parts(list(documents), exclude or {}, params, stats, spread, parts)
    return _Model(list(documents), exclude or {}, params, stats, one_off=True).result()


class Answers(Protocol[K]):
    """What :meth:`IncrementalSimilarity.prepare` hands back."""

    def answer(self, key: K) -> list[tuple[K, float]]:
        """``key``'s up to ``top_k`` ``(key, score)`` pairs."""
        ...

    def result(self) -> dict[K, list[tuple[K, float]]]:
        """Every key's answer."""
        ...


class IncrementalSimilarity:
    """:func:`similar_documents` again and again, redoing only what a change reaches.

    A long-lived process (the dev server) asks after every save with one title
    or lead changed: a run from scratch costs seconds at 10,000 articles, while
    a changed text moves only the documents sharing its changed terms, the
    posting lists they are in, and the answers that read those.  Each answer
    is the one a run from scratch gives, bit for bit (the same functions
    compute it from the same numbers).  A different set or order of keys (an
    article added or deleted: every idf moves) computes every vector again, but
    reuses the tokens of unchanged texts and, where a document's probe terms
    and their posting lists are unchanged, its candidates: keys must then name
    the same document from run to run (not its position).
    """

    def __init__(self) -> None:
        self._model: _Model | None = None

    def run(
        self,
        documents: Iterable[tuple[K, str, str]],
        *,
        exclude: Mapping[K, Iterable[K]] | None = None,
        stats: SimilarityStats | None = None,
        **options: Any,
    ) -> dict[K, list[tuple[K, float]]]:
        """Same arguments and answer as :func:`similar_documents`."""
        return self.prepare(documents, exclude=exclude, stats=stats, **options).result()

    def prepare(
        self,
        documents: Iterable[tuple[K, str, str]],
        *,
        exclude: Mapping[K, Iterable[K]] | None = None,
        stats: SimilarityStats | None = None,
        **options: Any,
    ) -> Answers[K]:
        """The model brought to ``documents``; each answer computed when asked.

        A save shows one page: its answer is needed at once, the others while the
        rest of the site is written.  Asked after the next ``prepare``, an answer
        is that call's.
        """
        documents = list(documents)
        params = _Params(**options)
        exclude = exclude or {}
        stats = stats or SimilarityStats()
        model = self._model
        keys = [key for key, _, _ in documents]
        if (
            model is None
            or model.params != params
            or model.keys != keys
            or model.n < 2
            or len(model.order) != len(keys)
        ):
            model = self._model = _Model(documents, exclude, params, stats, model)
            model.updates_expected = True
        else:
            model.update(documents, exclude, stats)
        return model
