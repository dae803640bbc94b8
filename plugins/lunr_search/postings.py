"""Shard entries straight from the documents' analyses, without building lunr's index.

The shards hold, per term, each field's (document, weight) postings (see
``sharding``). The analyses are the word pairs' (``phrases.PairCollector``):
each field's terms in order, which is all the weights need. Going through
``lunr.Index`` to get them builds, for every posting, an inverted-index entry, a
field-vector element, a serialised copy of both and a token set the shards never
use: at 10,000 articles the index process held ~300 MB more than the analyses
and the postings themselves. Here the weights come from the analyses (a pass for
the document frequencies, a pass for the weights), with lunr.py's BM25 formula
and the same float operations in the same order, and the postings are kept in
compact integer arrays until each term's entry is made. A test asserts that the
entries equal ``encode_terms(serialize_for_js(build_index(...)))`` (and that, in
turn, stock ``lunr.Builder``'s index).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lunr import __TARGET_JS_VERSION__
from lunr.builder import Builder

from .documents import INDEX_FIELDS, SearchDoc
from .index_builder import new_builder, utf16_key
from .phrases import KeptPairs, PairAnalysis, PairCollector
from .sharding import (
    Shard,
    ShardedIndex,
    ShardingError,
    delta_encode,
    group_terms,
    iter_shards,
)


@dataclass(frozen=True)
class IndexEntries:
    """What the shards and the manifest are made from (cut into shards by :meth:`sharded`)."""

    version: str
    fields: list[str]
    pipeline: list[str]
    doc_count: int
    #: ``[term, _index, [doc delta, weight, ...] per field]`` in JavaScript's term order.
    entries: list[list[Any]]

    def sharded(self, target_bytes: int) -> ShardedIndex:
        """The entries cut into term-range shards (``sharding.shard_index`` of the index)."""
        return _sharded(self, group_terms(self.entries, target_bytes), target_bytes)


def idf(postings: int, documents: int) -> float:
    """lunr.py's ``idf`` from the number of (field, document) postings of a term."""
    x = (documents - postings + 0.5) / (postings + 0.5)
    return math.log(1 + abs(x))


def index_entries(
    docs: Iterable[SearchDoc],
    boosts: Mapping[str, float],
    kept: KeptPairs | None = None,
) -> IndexEntries:
    """The shard entries of ``docs`` (refs are their positions), as lunr.py would weigh them.

    ``kept``, when given, holds documents analysed by an earlier build (see
    ``phrases.PairCollector``): those are not tokenised again.
    """
    pairs = PairCollector(INDEX_FIELDS, kept)
    for ref, doc in enumerate(docs):
        pairs.feed(ref, doc.index_record())
    postings = weigh(pairs, boosts)
    return IndexEntries(
        version=postings.version,
        fields=postings.fields,
        pipeline=postings.pipeline,
        doc_count=postings.doc_count,
        entries=list(postings.entries()),
    )


def weigh(pairs: PairCollector, boosts: Mapping[str, float]) -> Postings:
    """Every term's weighed postings, from the documents' analyses the word pairs are made of.

    A field's terms in order (``PairCollector.analyse``: lunr's tokens through the
    index pipeline) are all the index needs: each term's count and the field's
    length. One analysis serves both, and no second one (a dict of term counts
    per field and document, as ``lunr.Builder`` makes) is held or kept.
    """
    builder = new_builder(boosts)
    fields = list(builder._fields)
    if pairs.fields != fields:
        raise ValueError(f"lunr_search: word pairs of {pairs.fields}, index of {fields}")
    per_doc = pairs.documents()
    terms: dict[str, int] = {}  # term -> _index, numbered in first-occurrence order
    postings_of: list[int] = []  # _index -> number of (field, document) postings
    lengths = [0] * len(fields)
    for analysis in per_doc:
        for number, (word_ids, _) in enumerate(analysis):
            lengths[number] += len(word_ids)
            for term in dict.fromkeys(pairs.terms(word_ids)):
                index = terms.get(term)
                if index is None:
                    index = terms[term] = len(postings_of)
                    postings_of.append(0)
                postings_of[index] += 1
    field_boosts = [builder._fields[name].boost for name in fields]
    return Postings(
        version=__TARGET_JS_VERSION__,
        fields=fields,
        pipeline=builder.search_pipeline.serialize(),
        doc_count=len(per_doc),
        terms=terms,
        postings=_weighed(per_doc, terms, postings_of, lengths, field_boosts, builder, pairs),
    )


@dataclass
class Postings:
    """Every (term, field)'s documents and weights, compact, until made into entries."""

    version: str
    fields: list[str]
    pipeline: list[str]
    doc_count: int
    terms: dict[str, int]
    #: ``_index * fields + field`` -> [doc, weight in thousandths, ...], docs ascending.
    postings: list[array[int] | None]

    def entries(self) -> Iterator[list[Any]]:
        """``[term, _index, [doc delta, weight, ...] per field]`` in JavaScript's term order.

        Made one at a time, each term's postings let go of as its entry is made:
        the entries of every term at once (Python lists of numbers) are several
        times the size of the postings.
        """
        n_fields = len(self.fields)
        postings, terms = self.postings, self.terms
        for term in sorted(terms, key=utf16_key):
            index = terms[term]
            entry: list[Any] = [term, index]
            for number in range(n_fields):
                key = index * n_fields + number
                flat = postings[key]
                postings[key] = None
                entry.append(delta_encode(flat.tolist()) if flat is not None else [])
            yield entry

    def sharded(self, target_bytes: int) -> ShardedIndex:
        """The entries cut into shards as they are made (``shards`` is an iterator: once)."""
        return _sharded(self, iter_shards(self.entries(), target_bytes), target_bytes)


def _sharded(index: IndexEntries | Postings, shards: Iterable[Shard], target: int) -> ShardedIndex:
    return ShardedIndex(
        version=index.version,
        fields=index.fields,
        pipeline=index.pipeline,
        doc_count=index.doc_count,
        shards=shards,
        target_bytes=target,
    )


def _weighed(
    per_doc: Sequence[PairAnalysis],
    terms: dict[str, int],
    postings_of: list[int],
    lengths: list[int],
    field_boosts: list[float],
    builder: Builder,
    pairs: PairCollector,
) -> list[array[int] | None]:
    """lunr.py's BM25 weights (the same float operations in the same order), per posting."""
    documents = len(per_doc)
    n_fields = len(field_boosts)
    postings: list[array[int] | None] = [None] * (len(postings_of) * n_fields)
    if not documents:
        return postings
    averages = [total / documents for total in lengths]
    idfs = [idf(count, documents) for count in postings_of]
    k1, b = builder._k1, builder._b
    k1_plus_1 = k1 + 1
    kind = _typecode(documents, k1_plus_1, field_boosts)
    for doc, analysis in enumerate(per_doc):
        for number, (word_ids, _) in enumerate(analysis):
            if not word_ids:
                continue
            length_norm = k1 * (1 - b + b * (len(word_ids) / averages[number]))
            boost = field_boosts[number]
            for term, tf in Counter(pairs.terms(word_ids)).items():
                index = terms[term]
                score = idfs[index] * (k1_plus_1 * tf) / (length_norm + tf)
                score *= boost
                weight = round(score, 3)
                scaled = round(weight * 1000)
                if scaled / 1000 != weight:
                    raise ShardingError(
                        f"lunr_search: {term!r} in document {doc} has a weight with more"
                        " than 3 decimals"
                    )
                key = index * n_fields + number
                flat = postings[key]
                if flat is None:
                    flat = postings[key] = array(kind)
                flat.append(doc)
                flat.append(scaled)
    return postings


def _typecode(documents: int, k1_plus_1: float, field_boosts: Sequence[float]) -> str:
    """4-byte integers for documents and weights, unless a weight could outgrow them.

    Always, in practice: half the memory of 8-byte ones (170 MB at 100,000 articles).
    A BM25 weight is at most idf (< ln(1 + documents)) times ``k1 + 1`` times the boost.
    """
    largest = 1000 * math.log(1 + documents) * k1_plus_1 * max(map(abs, field_boosts), default=1)
    return "i" if max(largest + 1, documents) < 2**31 - 1 else "q"
