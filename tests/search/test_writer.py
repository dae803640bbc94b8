"""Script-file format, rewrite avoidance and stale-file removal."""

from __future__ import annotations

import os
from pathlib import Path

from lunr_search.documents import DOC_COLUMNS, SearchDoc
from lunr_search.index_builder import build_index, serialize_for_js
from lunr_search.writer import script_bytes, write_search_files
from tests.search.conftest import ShardedArchive
from tools.search_stats import read_payload


def test_script_file_is_ascii_and_hands_a_json_string_to_the_callback(tmp_path: Path) -> None:
    payload = {"file": "docs-000", "docs": [['Zürich 😀 \u2028 "quoted" </script>']], "a": 1}
    data = script_bytes(payload)
    data.decode("ascii")
    assert data.startswith(b'window.ArchiveSearch.receive("{\\"a\\":1,\\"docs\\":')
    assert data.endswith(b'");\n')
    (tmp_path / "docs-000.js").write_bytes(data)
    assert read_payload(tmp_path / "docs-000.js") == payload


def test_manifest_describes_the_files(sharded_archive: ShardedArchive) -> None:
    manifest = read_payload(sharded_archive.search_dir / "manifest.js")
    assert manifest["file"] == "manifest"
    assert manifest["docCount"] == 300
    assert manifest["docsPerChunk"] == 7
    assert manifest["docColumns"] == list(DOC_COLUMNS)
    assert manifest["fields"] == ["title", "authors", "agency", "body"]
    assert manifest["pipeline"] == ["stemmer"]
    assert manifest["version"] == "2.3.9"
    assert len(manifest["v"]) == 12
    names = sorted(p.name for p in sharded_archive.search_dir.iterdir())
    assert names.count("manifest.js") == 1
    assert sum(n.startswith("shard-") for n in names) == len(manifest["shards"])
    assert sum(n.startswith("docs-") for n in names) == 43  # ceil(300 / 7)


def test_docs_chunks_hold_display_rows(sharded_archive: ShardedArchive) -> None:
    chunk = read_payload(sharded_archive.search_dir / "docs-002.js")
    assert chunk["first"] == 14
    doc = sharded_archive.docs[15]
    assert chunk["docs"][1] == [doc.title, doc.date, doc.url, doc.byline, doc.excerpt]


def _docs(bodies: list[str]) -> list[SearchDoc]:
    return [
        SearchDoc(
            str(i), f"Title {i}", ("A. Writer",), "Northwind Wire", body, f"{i}.html", "2020-01-01"
        )
        for i, body in enumerate(bodies)
    ]


def test_unchanged_files_are_not_rewritten_and_stale_ones_go(tmp_path: Path) -> None:
    docs = _docs([f"word{i} common story {i * 7}" for i in range(40)])
    serialized = serialize_for_js(build_index(docs))
    first = write_search_files(tmp_path, serialized, docs, shard_bytes=200, docs_per_chunk=5)
    assert first.unchanged == [] and first.removed == []
    past = 1_000_000_000
    for path in tmp_path.iterdir():
        os.utime(path, (past, past))

    again = write_search_files(tmp_path, serialized, docs, shard_bytes=200, docs_per_chunk=5)
    assert again.written == [] and again.removed == []
    assert sorted(again.unchanged) == sorted(first.written)
    assert all(path.stat().st_mtime == past for path in tmp_path.iterdir())

    fewer = write_search_files(tmp_path, serialized, docs, shard_bytes=10_000, docs_per_chunk=50)
    assert fewer.shard_count == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "docs-000.js",
        "manifest.js",
        "pair-000.js",
        "shard-000.js",
        "terms-000.js",
    ]
    assert len(fewer.removed) == len(first.written) - 5


def test_no_documents_still_writes_a_loadable_manifest(tmp_path: Path) -> None:
    result = write_search_files(tmp_path, serialize_for_js(build_index([])), [])
    assert result.written == ["manifest.js"]
    manifest = read_payload(tmp_path / "manifest.js")
    assert manifest["shards"] == [] and manifest["docCount"] == 0
