"""Cut a serialised lunr index into term-range shards the browser loads on demand.

Why this is exact (checked against lunr.js 2.3.9's source): a document's score is
``queryVector . fieldVector / |queryVector|`` summed over its matching fields, where
the query vector only has entries at the ``_index`` of the terms the query matched, and
the field vectors hold BM25 weights computed at build time. So an index made of the
matched terms' postings (``_index`` kept) and of the field-vector entries at those
indexes ranks and scores exactly like the whole index.

Every (term, field, document) posting has exactly one field-vector entry (the weight of
that term in that field of that document), so a shard stores them together::

    [term, _index, [doc, weight, doc, weight, ...] for each field in manifest order]

with each field's documents ascending, ``doc`` as the difference from the previous one
(the first is absolute) and ``weight`` in thousandths (lunr rounds weights to 3
decimals; ``w / 1000`` in JavaScript gives back the very same double). Refs are the
documents' positions (``"0"`` .. ``"N-1"``), so the full field-ref list that a purely
negated query needs is implied by ``docCount`` and ``fields``.

Terms are sorted in JavaScript's UTF-16 order (lunr.js's ``TokenSet.Builder`` requires
it, Python sorts by code point), and shards cover consecutive, disjoint term ranges.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .index_builder import utf16_key

#: Close a shard once its JSON reaches this many bytes (a single frequent term can
#: make one larger).
DEFAULT_SHARD_BYTES = 24 * 1024


class ShardingError(ValueError):
    """The serialised index does not have the shape the shard loader relies on."""


@dataclass(frozen=True)
class Shard:
    """One ``shard-NNN.js``: a consecutive range of terms with postings and weights."""

    number: int
    first: str
    last: str
    terms: list[list[Any]]
    #: ``compact_json`` of each term entry, when the grouping already made it.
    encoded_terms: list[str] | None = None

    @property
    def name(self) -> str:
        """File stem, e.g. ``shard-007``."""
        return shard_name(self.number)

    def payload(self) -> dict[str, Any]:
        """Return what the script file hands to the page's callback."""
        return {"file": self.name, "terms": self.terms}

    def payload_json(self) -> str:
        """``compact_json(self.payload())``, from the entries encoded while grouping."""
        if self.encoded_terms is None:
            return compact_json(self.payload())
        return f'{{"file":{compact_json(self.name)},"terms":[{",".join(self.encoded_terms)}]}}'


@dataclass(frozen=True)
class ShardedIndex:
    """Shards plus what the manifest needs to know about the index."""

    version: str
    fields: list[str]
    pipeline: list[str]
    doc_count: int
    #: A list, or an iterator read once (``postings.Postings.sharded``: made as written).
    shards: Iterable[Shard]
    #: The size files of this index are cut to (word pairs and term lists too).
    target_bytes: int = DEFAULT_SHARD_BYTES

    def manifest_core(self, ranges: Sequence[Sequence[str]]) -> dict[str, Any]:
        """Manifest entries describing the index, its shards' ``[first, last]`` terms given.

        (The writer adds the file versions.)
        """
        return {
            "docCount": self.doc_count,
            "fields": self.fields,
            "pipeline": self.pipeline,
            "shards": [list(pair) for pair in ranges],
            "version": self.version,
        }


def shard_name(number: int) -> str:
    """``shard-007``; the JavaScript loader pads the same way."""
    return f"shard-{number:03d}"


def compact_json(value: Any) -> str:
    """Deterministic compact JSON (sorted keys, no spaces, UTF-8 left as is)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _entries_by_term_index(
    field_vectors: Sequence[Sequence[Any]], fields: Sequence[str]
) -> tuple[int, dict[int, list[int]]]:
    """Invert the field vectors: ``_index * len(fields) + field`` -> [doc, weight, ...].

    Weights are in thousandths; documents come out ascending because field vectors are
    in document order. (One flat list per key: this loop touches every posting.)
    """
    n_fields = len(fields)
    if len(field_vectors) % n_fields:
        raise ShardingError("lunr_search: field vectors are not one per document and field")
    by_key: defaultdict[int, list[int]] = defaultdict(list)
    for position, (field_ref, elements) in enumerate(field_vectors):
        doc, field = divmod(position, n_fields)
        if field_ref != f"{fields[field]}/{doc}":
            raise ShardingError(
                f"lunr_search: field vector {position} is {field_ref!r}, expected"
                f" '{fields[field]}/{doc}' (refs must be document positions, in order)"
            )
        weights = elements[1::2]
        scaled = [round(weight * 1000) for weight in weights]
        if any(value / 1000 != weight for value, weight in zip(scaled, weights, strict=True)):
            raise ShardingError(f"lunr_search: {field_ref} has weights with more than 3 decimals")
        for term_index, value in zip(elements[0::2], scaled, strict=True):
            by_key[term_index * n_fields + field] += (doc, value)
    return len(field_vectors) // n_fields, by_key


def delta_encode(flat: list[int]) -> list[int]:
    """[doc, w, doc, w, ...] -> [delta, w, ...], each doc as the gap from the previous one."""
    docs = flat[0::2]
    flat[2::2] = [doc - previous for previous, doc in pairwise(docs)]
    return flat


def encode_terms(serialized: Mapping[str, Any]) -> tuple[int, list[list[Any]]]:
    """All terms of a serialised index as shard entries, in UTF-16 order.

    Returns the document count and the entries.
    """
    fields = list(serialized["fields"])
    n_fields = len(fields)
    doc_count, by_key = _entries_by_term_index(serialized["fieldVectors"], fields)
    entries: list[list[Any]] = []
    for term, posting in sorted(serialized["invertedIndex"], key=lambda e: utf16_key(e[0])):
        term_index = posting["_index"]
        entry: list[Any] = [term, term_index]
        for number, field in enumerate(fields):
            flat = by_key.pop(term_index * n_fields + number, [])
            if len(flat) != 2 * len(posting[field]):
                raise ShardingError(
                    f"lunr_search: term {term!r} field {field!r}: {len(posting[field])}"
                    f" postings but {len(flat) // 2} field-vector entries"
                )
            entry.append(delta_encode(flat) if flat else flat)
        entries.append(entry)
    return doc_count, entries


def group_terms(entries: Iterable[list[Any]], target_bytes: int) -> list[Shard]:
    """Consecutive entries into shards, each closed once it reaches ``target_bytes``."""
    return list(iter_shards(entries, target_bytes))


def iter_shards(entries: Iterable[list[Any]], target_bytes: int) -> Iterator[Shard]:
    """:func:`group_terms`, each shard handed out as it closes (the entries read as needed)."""
    if target_bytes < 1:
        raise ShardingError("lunr_search: shard size must be positive")
    number = 0
    current: list[list[Any]] = []
    encoded: list[str] = []
    size = 0
    for entry in entries:
        text = compact_json(entry)
        current.append(entry)
        encoded.append(text)
        size += len(text.encode("utf-8")) + 1
        if size >= target_bytes:
            yield Shard(number, current[0][0], current[-1][0], current, encoded)
            number += 1
            current, encoded, size = [], [], 0
    if current:
        yield Shard(number, current[0][0], current[-1][0], current, encoded)


def shard_index(
    serialized: Mapping[str, Any], target_bytes: int = DEFAULT_SHARD_BYTES
) -> ShardedIndex:
    """Cut a lunr-schema index (``Index.serialize()``) into term-range shards."""
    doc_count, entries = encode_terms(serialized)
    return ShardedIndex(
        version=str(serialized["version"]),
        fields=list(serialized["fields"]),
        pipeline=list(serialized["pipeline"]),
        doc_count=doc_count,
        shards=group_terms(entries, target_bytes),
        target_bytes=target_bytes,
    )


def decode_shards(
    manifest: Mapping[str, Any],
    shard_payloads: Iterable[Mapping[str, Any]],
    *,
    all_field_refs: bool = False,
) -> dict[str, Any]:
    """Rebuild a lunr-schema index from shards, as the page's loader does.

    Field vectors hold only the loaded terms' entries; with ``all_field_refs`` every
    field ref is listed (in the whole index's order), as a negated query needs.
    Terms come out in UTF-16 order (what lunr.js needs; sort by code point for lunr.py).
    """
    fields = list(manifest["fields"])
    vectors: dict[str, list[tuple[int, float]]] = {}
    if all_field_refs:
        for doc in range(manifest["docCount"]):
            for field in fields:
                vectors[f"{field}/{doc}"] = []
    inverted: list[list[Any]] = []
    for payload in shard_payloads:
        for term, term_index, *lists in payload["terms"]:
            posting: dict[str, Any] = {"_index": term_index}
            for field, flat in zip(fields, lists, strict=True):
                refs: dict[str, dict[str, Any]] = {}
                doc = 0
                for i in range(0, len(flat), 2):
                    doc += flat[i]
                    refs[str(doc)] = {}
                    vectors.setdefault(f"{field}/{doc}", []).append(
                        (term_index, flat[i + 1] / 1000)
                    )
                posting[field] = refs
            inverted.append([term, posting])
    inverted.sort(key=lambda entry: utf16_key(entry[0]))
    return {
        "version": manifest["version"],
        "fields": fields,
        "fieldVectors": [
            [ref, [x for pair in sorted(pairs) for x in pair]] for ref, pairs in vectors.items()
        ],
        "invertedIndex": inverted,
        "pipeline": list(manifest["pipeline"]),
    }
