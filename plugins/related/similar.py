"""'More on this': top-k similar documents by TF-IDF cosine, in about linear time.

Pure logic (stdlib only). Comparing every pair is ``O(n^2)``: 50 million pairs for a
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
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from .normalize import title_tokens

__all__ = ["SimilarityStats", "similar_documents", "tokenize"]

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


def _weights(
    docs: Mapping[K, Counter[str]], idf: Mapping[str, float], max_terms: int
) -> dict[K, dict[str, float]]:
    """Length-normalised ``(1 + log tf) * idf`` vectors of each text's top terms.

    Keeping only the ``max_terms`` heaviest terms bounds the cost of each cosine; the
    dropped tail is made of the commonest words, which say least about the topic.
    """
    vectors: dict[K, dict[str, float]] = {}
    for key, counts in docs.items():
        vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items() if idf[t] > 0}
        if len(vec) > max_terms:
            vec = dict(sorted(vec.items(), key=lambda i: (-i[1], i[0]))[:max_terms])
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors[key] = {t: w / norm for t, w in vec.items()}
    return vectors


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
) -> dict[K, list[tuple[K, float]]]:
    """Return, for each ``(key, title, lead)``, up to ``top_k`` ``(key, score)`` pairs.

    The title counts ``title_weight`` times (it names the story; the lead adds
    context). ``exclude`` maps a key to keys it must not list (already linked); a
    document never lists itself. Scores are cosines in ``[0, 1]``; pairs below
    ``min_score`` are dropped. Ties break on input order, so output is deterministic.
    """
    exclude = exclude or {}
    stats = stats if stats is not None else SimilarityStats()
    counts: dict[K, Counter[str]] = {}
    order: dict[K, int] = {}
    for key, title, lead in documents:
        order[key] = len(order)
        terms = tokenize(title) * title_weight + tokenize(lead)
        counts[key] = Counter(terms)
    n = len(counts)
    stats.documents = n
    if n < 2:
        return {key: [] for key in counts}

    df: Counter[str] = Counter()
    for term_counts in counts.values():
        df.update(term_counts.keys())
    idf = {t: math.log(n / d) for t, d in df.items()}
    vectors = _weights(counts, idf, max_terms)

    # Impact-ordered postings: each term keeps only the documents where it weighs most,
    # so a common term still proposes the stories it is central to, at bounded cost.
    postings: dict[str, list[K]] = {}
    for key, vec in vectors.items():
        for term in vec:
            if df[term] > 1:
                postings.setdefault(term, []).append(key)
    for term, keys in postings.items():
        if len(keys) > max_postings:
            keys.sort(key=lambda k, t=term: (-vectors[k][t], order[k]))
            del keys[max_postings:]
            stats.truncated_terms.add(term)

    result: dict[K, list[tuple[K, float]]] = {}
    for key, vec in vectors.items():
        banned = set(exclude.get(key, ()))
        banned.add(key)
        probe = heapq.nsmallest(
            query_terms, (t for t in vec if t in postings), key=lambda t: (-vec[t], t)
        )
        shared: Counter[K] = Counter()
        for term in probe:
            posting = postings[term]
            stats.postings_scanned += len(posting)
            shared.update(posting)
        scored: list[tuple[float, int, K]] = []
        for other, _ in shared.most_common(candidates + len(banned)):
            if other in banned:
                continue
            other_vec = vectors[other]
            # Key-view intersection runs in C; fsum is exactly rounded, so the hash
            # order of the intersection cannot change a score between builds.
            terms = vec.keys() & other_vec.keys()
            score = math.fsum(vec[t] * other_vec[t] for t in terms)
            stats.cosines_computed += 1
            if score >= min_score:
                scored.append((score, order[other], other))
        scored.sort(key=lambda item: (-item[0], item[1]))
        result[key] = [(other, round(score, 4)) for score, _, other in scored[:top_k]]
    return result
