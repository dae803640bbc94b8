"""Sizes and per-query costs for the benchmark."""

from __future__ import annotations

from tests.search.conftest import ShardedArchive
from tools.search_stats import index_stats, query_cost


def test_index_stats_counts_files(sharded_archive: ShardedArchive) -> None:
    stats = index_stats(sharded_archive.search_dir)
    assert stats["shard"]["raw"]["count"] == sharded_archive.result.shard_count
    assert stats["docs"]["raw"]["count"] == 43
    assert 0 < stats["shard"]["gzip"]["median"] < stats["shard"]["raw"]["median"]
    assert stats["manifest.js"]["raw"] > 0
    assert stats["lunr.js"] == {"raw": 0, "gzip": 0}  # the glue copies it, not the writer


def test_query_cost_counts_rounds_and_files(sharded_archive: ShardedArchive) -> None:
    cost = query_cost(sharded_archive.search_dir, "patov", results_shown=10)
    assert (cost.shards, cost.rounds, cost.full_scan) == (1, 3, False)
    assert cost.results > 10
    assert 1 <= cost.docs_chunks <= 10
    assert cost.requests == 2 + cost.shards + cost.docs_chunks  # manifest.js, lunr.js
    assert 0 < cost.gzip_bytes < cost.raw_bytes

    nothing = query_cost(sharded_archive.search_dir, "zzznotaword")
    assert (nothing.results, nothing.docs_chunks) == (0, 0)
    assert nothing.rounds == 1 + nothing.shards

    fuzzy = query_cost(sharded_archive.search_dir, "armi~2")
    assert fuzzy.full_scan and fuzzy.shards == sharded_archive.result.shard_count
    one_edit = query_cost(sharded_archive.search_dir, "patov~1")  # found in the term files
    assert not one_edit.full_scan and one_edit.shards < 4
