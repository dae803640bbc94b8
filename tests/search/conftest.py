"""Session fixtures: the synthetic archive indexed and sharded once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lunr_search.documents import SearchDoc, number_documents
from lunr_search.index_builder import build_index, serialize_for_js
from lunr_search.phrases import PairCollector
from lunr_search.writer import WriteResult, write_search_files
from tests.search.synthetic import synthetic_inputs


@dataclass
class ShardedArchive:
    docs: list[SearchDoc]
    serialized: dict[str, Any]
    search_dir: Path
    result: WriteResult


@pytest.fixture(scope="session")
def archive_docs() -> list[SearchDoc]:
    return number_documents(synthetic_inputs())


@pytest.fixture(scope="session")
def sharded_archive(
    archive_docs: list[SearchDoc], tmp_path_factory: pytest.TempPathFactory
) -> ShardedArchive:
    """Small shards (about 1.5 KB) so that queries span several of them."""
    serialized = serialize_for_js(build_index(archive_docs))
    search_dir = tmp_path_factory.mktemp("search") / "search"
    result = write_search_files(
        search_dir, serialized, archive_docs, shard_bytes=1500, docs_per_chunk=7
    )
    return ShardedArchive(archive_docs, serialized, search_dir, result)


@pytest.fixture
def analysed(monkeypatch) -> list[int]:
    """The refs ``PairCollector.analyse`` tokenises from now on (kept documents are not)."""
    refs: list[int] = []
    real = PairCollector.analyse
    monkeypatch.setattr(
        PairCollector,
        "analyse",
        lambda self, doc, record: refs.append(doc) or real(self, doc, record),
    )
    return refs
