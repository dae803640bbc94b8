"""Shard entries straight from the documents' analyses, without building lunr's index.

The shards hold, per term, each field's (document, weight) postings (see
``sharding``).  Going through ``lunr.Index`` to get them builds, for every
posting, an inverted-index entry, a field-vector element, a serialised copy of
both and a token set the shards never use: at 10,000 articles the index process
held ~300 MB more than the analyses and the postings themselves.  Here the
weights come from the analyses in one pass, with lunr.py's BM25 formula and the
same float operations in the same order, and the postings are kept in compact
integer arrays until each term's entry is made.  A test asserts that the entries
equal ``encode_terms(serialize_for_js(build_index(...)))`` (and that, in turn,
stock ``lunr.Builder``'s index).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lunr import __TARGET_JS_VERSION__

from .documents import SearchDoc
from .index_builder import Analysis, ArchiveBuilder, new_builder, utf16_key
from .sharding import ShardedIndex, ShardingError, delta_encode, group_terms, iter_shards


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
        return ShardedIndex(
            version=self.version,
            fields=self.fields,
            pipeline=self.pipeline,
            doc_count=self.doc_count,
            shards=group_terms(self.entries, target_bytes),
            target_bytes=target_bytes,
        )


def idf(postings: int, documents: int) -> float:
    """lunr.py's ``idf`` from the number of (field, document) postings of a term."""
    x = (documents - postings + 0.5) / (postings + 0.5)
    return math.log(1 + abs(x))


def index_entries(
    docs: Iterable[SearchDoc],
    boosts: Mapping[str, float],
    analyses: dict[str, Analysis] | None = None,
) -> IndexEntries:
    """The shard entries of ``docs`` (refs are their positions), as lunr.py would weigh them.

    ``analyses``, when given, holds documents analysed by an earlier build; it is
    updated in place to hold exactly this build's documents (as ``build_index`` does).
    """
    maker = PostingsMaker(boosts, analyses)
    for doc in docs:
        maker.add(doc.index_record())
    postings = maker.finish()
    return IndexEntries(
        version=postings.version,
        fields=postings.fields,
        pipeline=postings.pipeline,
        doc_count=postings.doc_count,
        entries=list(postings.entries()),
    )


class PostingsMaker:
    """Documents in, one at a time (refs ``0, 1, ...``); every term's postings out.

    Fed one document at a time, the caller need not hold the documents' texts:
    only their analyses stay (and are what the next build reuses).
    """

    def __init__(
        self, boosts: Mapping[str, float], analyses: dict[str, Analysis] | None = None
    ) -> None:
        """Start empty; ``analyses`` as for :func:`index_entries`."""
        builder = new_builder(boosts)
        assert isinstance(builder, ArchiveBuilder)
        if analyses is not None:
            builder._analysed_before = dict(analyses)
        self._builder = builder
        self._kept = analyses
        self._fields = list(builder._fields)
        self._terms: dict[str, int] = {}  # term -> _index, numbered in first-occurrence order
        self._postings_of: list[int] = []  # _index -> number of (field, document) postings
        self._lengths = [0] * len(self._fields)
        self._per_doc: list[Analysis] = []

    def add(self, record: Mapping[str, Any]) -> None:
        """Add the next document (its ``index_record()``)."""
        analysis = self._builder.analyse(record)
        self._per_doc.append(analysis)
        terms, postings_of, lengths = self._terms, self._postings_of, self._lengths
        for number, (counts, length) in enumerate(analysis):
            lengths[number] += length
            for term in counts:
                index = terms.get(term)
                if index is None:
                    index = terms[term] = len(postings_of)
                    postings_of.append(0)
                postings_of[index] += 1

    def finish(self) -> Postings:
        """Every term's weighed postings (the kept analyses now hold this build's documents)."""
        builder = self._builder
        if self._kept is not None:
            self._kept.clear()
            self._kept.update(builder.analyses)
        field_boosts = [builder._fields[name].boost for name in self._fields]
        return Postings(
            version=__TARGET_JS_VERSION__,
            fields=self._fields,
            pipeline=builder.search_pipeline.serialize(),
            doc_count=len(self._per_doc),
            terms=self._terms,
            postings=_weighed(
                self._per_doc, self._terms, self._postings_of, self._lengths, field_boosts, builder
            ),
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
        return ShardedIndex(
            version=self.version,
            fields=self.fields,
            pipeline=self.pipeline,
            doc_count=self.doc_count,
            shards=iter_shards(self.entries(), target_bytes),
            target_bytes=target_bytes,
        )


def _weighed(
    per_doc: list[Analysis],
    terms: dict[str, int],
    postings_of: list[int],
    lengths: list[int],
    field_boosts: list[float],
    builder: ArchiveBuilder,
) -> list[array[int] | None]:
    documents = len(per_doc)
    n_fields = len(field_boosts)
    postings: list[array[int] | None] = [None] * (len(postings_of) * n_fields)
    if not documents:
        return postings
    averages = [total / documents for total in lengths]
    idfs = [idf(count, documents) for count in postings_of]
    k1, b = builder._k1, builder._b
    k1_plus_1 = k1 + 1
    for doc, analysis in enumerate(per_doc):
        for number, (counts, length) in enumerate(analysis):
            if not counts:
                continue
            length_norm = k1 * (1 - b + b * (length / averages[number]))
            boost = field_boosts[number]
            for term, tf in counts.items():
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
                    flat = postings[key] = array("q")
                flat.append(doc)
                flat.append(scaled)
    per_doc.clear()
    return postings
