"""Pure tests of the index builder, sharding and decoding."""

from __future__ import annotations

import json

import pytest

from lunr_search.documents import SearchDoc
from lunr_search.index_builder import build_index, serialize_for_js, utf16_key
from lunr_search.sharding import (
    ShardingError,
    compact_json,
    decode_shards,
    encode_terms,
    group_terms,
    shard_index,
)
from tests.search.conftest import ShardedArchive
from tools.search_stats import read_payload


def test_fast_builder_equals_stock_lunr_builder(archive_docs: list[SearchDoc]) -> None:
    docs = archive_docs[:120]
    fast = build_index(docs).serialize()
    stock = build_index(docs, fast=False).serialize()
    assert json.dumps(fast, sort_keys=True) == json.dumps(stock, sort_keys=True)


def test_utf16_key_orders_like_javascript() -> None:
    # Code points: U+FF46 < U+1F600; UTF-16 units: 0xD83D (surrogate) < 0xFF46.
    assert "xｆ" < "x😀"
    assert sorted(["xｆ", "x😀", "x\ue000", "xa"], key=utf16_key) == ["xa", "x😀", "x\ue000", "xｆ"]


def test_shards_cover_sorted_disjoint_ranges(sharded_archive: ShardedArchive) -> None:
    sharded = shard_index(sharded_archive.serialized, 1500)
    terms = [entry[0] for shard in sharded.shards for entry in shard.terms]
    assert terms == sorted(terms, key=utf16_key)
    assert len(terms) == len(set(terms)) == len(sharded_archive.serialized["invertedIndex"])
    assert sorted(terms, key=utf16_key) != sorted(terms), "fixture must exercise UTF-16 order"
    for shard in sharded.shards:
        assert (shard.first, shard.last) == (shard.terms[0][0], shard.terms[-1][0])
    assert len(sharded.shards) > 20


def test_shard_text_reuses_the_grouping_encoding_exactly(sharded_archive: ShardedArchive) -> None:
    sharded = shard_index(sharded_archive.serialized, 1500)
    assert all(shard.encoded_terms is not None for shard in sharded.shards)
    for shard in sharded.shards:
        assert shard.payload_json() == compact_json(shard.payload())
    assert any(not entry[0].isascii() for s in sharded.shards for entry in s.terms)


def test_every_shard_but_the_last_reaches_the_target() -> None:
    entries = [[f"t{i:03d}", i, [0, 1000 + i]] for i in range(200)]
    shards = group_terms(entries, 300)
    sizes = [sum(len(compact_json(e)) + 1 for e in shard.terms) for shard in shards]
    assert all(300 <= size < 300 + 30 for size in sizes[:-1])
    assert [e for shard in shards for e in shard.terms] == entries


def test_decoding_every_shard_gives_back_the_whole_index(sharded_archive: ShardedArchive) -> None:
    manifest = read_payload(sharded_archive.search_dir / "manifest.js")
    payloads = [
        read_payload(sharded_archive.search_dir / f"shard-{n:03d}.js")
        for n in range(len(manifest["shards"]))
    ]
    decoded = decode_shards(manifest, payloads, all_field_refs=True)
    assert decoded == sharded_archive.serialized


def test_shard_entry_format() -> None:
    docs = [
        SearchDoc(str(i), "", (), "", body, f"{i}.html", "")
        for i, body in enumerate(["war peace", "peace", "peace talks peace"])
    ]
    doc_count, entries = encode_terms(serialize_for_js(build_index(docs)))
    assert doc_count == 3
    peace = next(entry for entry in entries if entry[0] == "peac")
    # [term, _index, title, authors, agency, body]; body: doc deltas and weights in 1/1000
    assert peace[2:5] == [[], [], []]
    assert peace[5][0::2] == [0, 1, 1]
    assert all(isinstance(weight, int) and weight > 0 for weight in peace[5][1::2])


def test_refs_must_be_positions(archive_docs: list[SearchDoc]) -> None:
    serialized = serialize_for_js(build_index(archive_docs[:5]))
    serialized["fieldVectors"][0][0] = "title/x"
    with pytest.raises(ShardingError, match="refs must be document positions"):
        shard_index(serialized)


def test_empty_index_shards_to_nothing() -> None:
    sharded = shard_index(serialize_for_js(build_index([])))
    assert (sharded.doc_count, sharded.shards) == (0, [])
