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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lunr import __TARGET_JS_VERSION__

from .documents import SearchDoc
from .index_builder import Analysis, ArchiveBuilder, new_builder, utf16_key
from .sharding import ShardedIndex, ShardingError, delta_encode, group_terms


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
    docs: Sequence[SearchDoc],
    boosts: Mapping[str, float],
    analyses: dict[str, Analysis] | None = None,
) -> IndexEntries:
    """The shard entries of ``docs`` (refs are their positions), as lunr.py would weigh them.

    ``analyses``, when given, holds documents analysed by an earlier build; it is
    updated in place to hold exactly this build's documents (as ``build_index`` does).
    """
    builder = new_builder(boosts)
    assert isinstance(builder, ArchiveBuilder)
    if analyses is not None:
        builder._analysed_before = dict(analyses)
    fields = list(builder._fields)
    field_boosts = [builder._fields[name].boost for name in fields]
    terms: dict[str, int] = {}  # term -> _index, numbered in first-occurrence order
    postings_of: list[int] = []  # _index -> number of (field, document) postings
    lengths = [0] * len(fields)
    per_doc: list[Analysis] = []
    for doc in docs:
        analysis = builder.analyse(doc.index_record())
        per_doc.append(analysis)
        for number, (counts, length) in enumerate(analysis):
            lengths[number] += length
            for term in counts:
                index = terms.get(term)
                if index is None:
                    index = terms[term] = len(postings_of)
                    postings_of.append(0)
                postings_of[index] += 1
    if analyses is not None:
        analyses.clear()
        analyses.update(builder.analyses)
    entries = _entries(per_doc, terms, postings_of, lengths, field_boosts, builder)
    return IndexEntries(
        version=__TARGET_JS_VERSION__,
        fields=fields,
        pipeline=builder.search_pipeline.serialize(),
        doc_count=len(docs),
        entries=entries,
    )


def _entries(
    per_doc: list[Analysis],
    terms: dict[str, int],
    postings_of: list[int],
    lengths: list[int],
    field_boosts: list[float],
    builder: ArchiveBuilder,
) -> list[list[Any]]:
    documents = len(per_doc)
    n_fields = len(field_boosts)
    if not documents:
        return []
    averages = [total / documents for total in lengths]
    idfs = [idf(count, documents) for count in postings_of]
    k1, b = builder._k1, builder._b
    k1_plus_1 = k1 + 1
    # _index * fields + field -> [doc, weight in thousandths, ...], docs ascending.
    postings: list[array[int] | None] = [None] * (len(postings_of) * n_fields)
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
    entries: list[list[Any]] = []
    for term in sorted(terms, key=utf16_key):
        index = terms[term]
        entry: list[Any] = [term, index]
        for number in range(n_fields):
            key = index * n_fields + number
            flat = postings[key]
            postings[key] = None
            entry.append(delta_encode(flat.tolist()) if flat is not None else [])
        entries.append(entry)
    return entries
