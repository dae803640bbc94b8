"""A big archive's word pairs, collected in shares, are the pairs collected at once."""

from __future__ import annotations

import dataclasses

import pytest

import lunr_search.background as background
from lunr_search import phrases
from lunr_search.documents import INDEX_FIELDS, number_documents
from lunr_search.index_builder import DEFAULT_BOOSTS
from lunr_search.phrases import FILE_GROUPS, PairCollector, pair_file, pair_name
from lunr_search.writer import read_script

from .synthetic import synthetic_inputs

SPEC = background.FileSpec(shard_bytes=2_000, docs_per_chunk=7)


def _pairs_of(files) -> tuple[int, dict[str, list[str]]]:
    """How many pair files there are, and every pair's strings (each checked in its file)."""
    count = read_script(files["manifest.js"])["pairFiles"]
    assert sum(name.startswith("pair-") for name in files) == count
    entries: dict[str, list[str]] = {}
    for number in range(count):
        held = read_script(files[f"{pair_name(number)}.js"])["pairs"]
        keys = [key for key, *_ in held]
        assert keys == sorted(keys), "sorted in each file"
        for key, *strings in held:
            assert pair_file(key, count) == number, "where the page looks for it"
            assert key not in entries
            entries[key] = strings
    return count, entries


@pytest.fixture
def docs():
    return number_documents(synthetic_inputs(60))


def _in_shares(docs, monkeypatch) -> list[int]:
    """From now on the documents' pairs come in three shares (as 12 million would by default).

    Returns the share counts :meth:`PairCollector.collect_shares` is called with.
    """
    collector = PairCollector(INDEX_FIELDS)
    for ref, doc in enumerate(docs):
        collector.feed(ref, doc.index_record())
    monkeypatch.setattr(phrases, "OCCURRENCES_PER_SHARE", collector.occurrences // 3 + 1)
    used: list[int] = []
    real = PairCollector.collect_shares
    monkeypatch.setattr(
        PairCollector, "collect_shares", lambda self, n: used.append(n) or real(self, n)
    )
    return used


def test_pairs_collected_in_shares_are_the_pairs_collected_at_once(docs, monkeypatch):
    whole = background.search_files(docs, DEFAULT_BOOSTS, SPEC).files
    whole_count, whole_pairs = _pairs_of(whole)
    used = _in_shares(docs, monkeypatch)
    shared = background.search_files(docs, DEFAULT_BOOSTS, SPEC).files
    assert used == [3]
    count, pairs = _pairs_of(shared)
    assert pairs == whole_pairs, "every pair, with every occurrence"
    assert count % FILE_GROUPS == 0 and count >= whole_count > 1
    assert {n: d for n, d in shared.items() if not n.startswith(("pair-", "manifest"))} == {
        n: d for n, d in whole.items() if not n.startswith(("pair-", "manifest"))
    }


def test_an_edit_in_shares_gives_the_files_of_a_build_from_nothing(docs, monkeypatch, tmp_path):
    used = _in_shares(docs, monkeypatch)
    kept = dataclasses.replace(SPEC, analyses_file=str(tmp_path / "analyses.pickle"))
    background.search_files(docs, DEFAULT_BOOSTS, kept)
    edited = [*docs[:-1], dataclasses.replace(docs[-1], body=docs[-1].body + " zeppelin airship")]
    used.clear()
    followed = background.search_files(edited, DEFAULT_BOOSTS, kept).files
    assert not used, "the edit is followed, not collected anew"
    assert followed == background.search_files(edited, DEFAULT_BOOSTS, SPEC).files
    assert used == [3]
