"""The shard entries made from the analyses are the ones lunr.py's index gives."""

from __future__ import annotations

import dataclasses

from lunr_search.documents import INDEX_FIELDS, SearchDoc, number_documents
from lunr_search.index_builder import DEFAULT_BOOSTS, build_index, serialize_for_js
from lunr_search.phrases import PairCollector
from lunr_search.postings import _typecode, index_entries
from lunr_search.sharding import encode_terms, shard_index
from tests.search.synthetic import synthetic_inputs


def test_entries_equal_those_of_lunrs_index(archive_docs: list[SearchDoc]) -> None:
    serialized = serialize_for_js(build_index(archive_docs))
    doc_count, expected = encode_terms(serialized)
    made = index_entries(archive_docs, DEFAULT_BOOSTS)
    assert made.doc_count == doc_count == len(archive_docs)
    assert made.entries == expected
    assert any(not entry[0].isascii() for entry in made.entries), "JavaScript order is tested"
    assert (made.version, made.fields, made.pipeline) == (
        serialized["version"],
        serialized["fields"],
        serialized["pipeline"],
    )


def test_sharded_entries_equal_the_sharded_index(archive_docs: list[SearchDoc]) -> None:
    serialized = serialize_for_js(build_index(archive_docs))
    for size in (1500, 24 * 1024):
        assert index_entries(archive_docs, DEFAULT_BOOSTS).sharded(size) == shard_index(
            serialized, size
        )


def test_other_boosts_weigh_as_lunr_does(archive_docs: list[SearchDoc]) -> None:
    boosts = {"title": 3, "authors": 2, "agency": 0.5, "body": 1}
    docs = archive_docs[:40]
    _, expected = encode_terms(serialize_for_js(build_index(docs, boosts)))
    assert index_entries(docs, boosts).entries == expected
    assert expected != encode_terms(serialize_for_js(build_index(docs)))[1]


def test_kept_analyses_are_reused_and_weigh_as_from_nothing(analysed) -> None:
    docs = number_documents(synthetic_inputs(30))
    pairs = PairCollector(list(INDEX_FIELDS))
    for ref, doc in enumerate(docs):
        pairs.feed(ref, doc.index_record())
    kept = pairs.kept()
    analysed.clear()
    edited = [dataclasses.replace(docs[0], body="an edited body with new words"), *docs[1:20]]
    again = index_entries(edited, DEFAULT_BOOSTS, kept)
    assert analysed == [0], "only the edited document is tokenised again"
    _, expected = encode_terms(serialize_for_js(build_index(edited)))
    assert again.entries == expected
    assert again.entries != index_entries(docs, DEFAULT_BOOSTS).entries


def test_no_documents_no_entries() -> None:
    made = index_entries([], DEFAULT_BOOSTS)
    assert (made.doc_count, made.entries) == (0, [])
    assert made.sharded(1500) == shard_index(serialize_for_js(build_index([])), 1500)


def test_weights_too_large_for_4_bytes_are_kept_in_8() -> None:
    """A huge boost needs 8-byte integers; the entries are still lunr's."""
    assert _typecode(1_000_000, 2.2, [10, 1, 1, 1]) == "i"
    assert _typecode(1_000_000, 2.2, [100_000, 1, 1, 1]) == "q"
    docs = number_documents(synthetic_inputs(20))
    boosts = {"title": 10_000_000, "authors": 1, "agency": 1, "body": 1}
    _, expected = encode_terms(serialize_for_js(build_index(docs, boosts)))
    made = index_entries(docs, boosts).entries
    assert made == expected
    assert max(w for entry in made for w in entry[2][1::2]) > 2**31, "past 4 bytes"
