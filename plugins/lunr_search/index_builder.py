"""Build the whole search index with lunr.py, fast enough for a large archive.

Profiling lunr.py 0.8.0 on synthetic news (600 words per article) showed
``Builder.add`` spending most of its time in the character-by-character tokenizer and
in running trimmer, stop-word filter and Porter stemmer once per *token*, and
``build()`` spending most of the rest inserting field-vector entries one by one into
sorted lists. ``ArchiveBuilder`` keeps lunr.py's data structures, BM25 formula and
serialisation, and changes only how they are filled:

- tokens are split with one regular expression on lunr's own separator characters;
- the (per-token, pure) indexing pipeline runs once per distinct string and field,
  memoised over the vocabulary;
- each field vector is sorted once instead of by repeated insertion.

A test asserts that the serialised index equals stock ``lunr.Builder``'s.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.idf import idf as lunr_idf
from lunr.index import Index
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.token_set import TokenSet
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.trimmer import trimmer
from lunr.utils import as_string
from lunr.vector import Vector

from .documents import INDEX_FIELDS, SearchDoc
from .stemmer import js_stemmer

logger = logging.getLogger(__name__)

#: Field boosts applied at build time (baked into the field vectors).
DEFAULT_BOOSTS: dict[str, float] = {"title": 10, "authors": 1, "agency": 1, "body": 1}

_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")
# Postings carry no metadata (empty whitelist): share one empty mapping between
# all of them instead of a dict per (term, field, document).
_NO_METADATA: dict[str, list[Any]] = {}


class ArchiveBuilder(Builder):
    """A ``lunr.Builder`` whose output equals the stock builder's, built faster."""

    def __init__(self) -> None:
        """Start empty, with a per-field memo of pipeline results."""
        super().__init__()
        self._memo: dict[str, dict[str, list[str]]] = {}

    def _term_counts(self, value: Any, field_name: str) -> tuple[dict[str, int], int]:
        """Tokenise like ``lunr.Tokenizer``, run the pipeline once per distinct token.

        Returns each term's count, in the order terms first occur (which numbers
        new terms in the index, as the stock builder does), and the field length
        (the number of terms).  Tokens are counted first, by ``Counter`` in C:
        a body has hundreds of words but far fewer distinct ones.
        """
        if value is None:
            return {}, 0
        if isinstance(value, list | tuple):
            strings = [as_string(element).lower() for element in value]
        else:
            strings = _SEPARATORS.split(str(value).lower())
        memo = self._memo.setdefault(field_name, {})
        counts: dict[str, int] = {}
        length = 0
        for string, count in Counter(strings).items():
            if not string:
                continue
            processed = memo.get(string)
            if processed is None:
                tokens = self.pipeline.run([Token(string, {})], field_name)
                processed = memo[string] = [str(token) for token in tokens]
            for term in processed:
                counts[term] = counts.get(term, 0) + count
            length += len(processed) * count
        return counts, length

    def add(self, doc: Mapping[str, Any], attributes: Mapping[str, Any] | None = None) -> None:
        """Add one document, as ``lunr.Builder.add`` does (without token metadata)."""
        if self.metadata_whitelist:  # positions wanted: only the stock path records them
            super().add(doc, attributes)
            return
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        inverted_index = self.inverted_index
        analysis = self.analyse(doc)
        for field_name, (counts, length) in zip(self._fields, analysis, strict=True):
            field_ref = str(FieldRef(doc_ref, field_name))
            self.field_term_frequencies[field_ref] = counts
            self.field_lengths[field_ref] = length
            for term in counts:
                posting = inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    inverted_index[term] = posting
                posting[field_name][doc_ref] = _NO_METADATA

    def analyse(self, doc: Mapping[str, Any]) -> Analysis:
        """Each field's term counts and length."""
        return tuple(
            self._term_counts(doc[name] if field.extractor is None else field.extractor(doc), name)
            for name, field in self._fields.items()
        )

    def _create_field_vectors(self) -> None:
        """Compute lunr.py's BM25 weights (same float operations), sorting each vector once."""
        field_vectors: dict[str, Vector] = {}
        k1, b = self._k1, self._b
        k1_plus_1 = k1 + 1
        # term -> (index, idf), computed once per term instead of per posting.
        terms = {
            term: (posting["_index"], lunr_idf(posting, self.document_count))
            for term, posting in self.inverted_index.items()
        }
        for field_ref, term_frequencies in self.field_term_frequencies.items():
            parsed = FieldRef.from_string(field_ref)
            field_name = parsed.field_name
            field_length = self.field_lengths[field_ref]
            field_boost = self._fields[field_name].boost
            doc_boost = self._documents[parsed.doc_ref].get("boost", 1)
            average = self.average_field_length[field_name]
            # The same float operations as lunr.py, the per-field part computed once
            # (an empty field has no terms to weigh, and may have a zero average).
            length_norm = k1 * (1 - b + b * (field_length / average)) if term_frequencies else 0
            pairs: list[tuple[int, float]] = []
            for term, tf in term_frequencies.items():
                index, idf = terms[term]
                score = idf * (k1_plus_1 * tf) / (length_norm + tf)
                score *= field_boost
                score *= doc_boost
                pairs.append((index, round(score, 3)))
            pairs.sort()
            field_vectors[field_ref] = Vector([x for pair in pairs for x in pair])
        self.field_vectors = field_vectors


#: One document's analysis: per field, each term's count (in first-occurrence
#: order) and the field length.
Analysis = tuple[tuple[dict[str, int], int], ...]


def new_builder(boosts: Mapping[str, float], *, fast: bool = True) -> Builder:
    """Return a builder with lunr's default pipelines (trimmer, stop words, stemmer), our fields.

    The stemmer is lunr.js's (``stemmer.py``): the page stems the words typed with it.
    ``fast=False`` gives stock ``lunr.Builder``, the reference the tests compare with.
    """
    builder = ArchiveBuilder() if fast else Builder()
    # What lunr.get_default_builder() sets up (without NLTK languages).
    builder.pipeline.add(trimmer, stop_word_filter, js_stemmer)
    builder.search_pipeline.add(js_stemmer)
    builder.ref("ref")
    for name in INDEX_FIELDS:
        builder.field(name, boost=boosts.get(name, 1))
    return builder


def build_index(
    docs: Sequence[SearchDoc],
    boosts: Mapping[str, float] | None = None,
    *,
    fast: bool = True,
) -> Index:
    """Index ``docs`` in order (their refs must be their positions, see ``number_documents``).

    The whole lunr.py index: the reference the search files are tested against
    (the build weighs the postings straight from its analyses, see ``postings``).
    """
    started = time.perf_counter()
    builder = new_builder(DEFAULT_BOOSTS if boosts is None else boosts, fast=fast)
    for doc in docs:
        builder.add(doc.index_record())
    if not docs:  # lunr.py divides by the document count
        return Index({}, {}, TokenSet(), list(INDEX_FIELDS), builder.search_pipeline)
    index = builder.build()
    logger.debug(
        "lunr_search: indexed %d documents, %d terms in %.2fs",
        len(docs),
        len(index.inverted_index),
        time.perf_counter() - started,
    )
    return index


def utf16_key(term: str) -> bytes:
    """Sort key giving JavaScript's string order (UTF-16 code units), not code points.

    Python orders by code point, so an astral character (e.g. an emoji, U+1F600) sorts
    after U+FFxx; in JavaScript its surrogate pair (0xD83D ...) sorts before U+E000.
    lunr.js's ``TokenSet.Builder`` throws "Out of order word insertion" on such input.
    """
    return term.encode("utf-16-be", "surrogatepass")


def serialize_for_js(index: Index) -> dict[str, Any]:
    """Serialise with the inverted index in JavaScript order, as ``lunr.Index.load`` needs."""
    serialized = index.serialize()
    serialized["invertedIndex"].sort(key=lambda entry: utf16_key(entry[0]))
    return serialized
