"""The shard loader ranks and scores exactly like lunr.js on the whole index (under node)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.search.conftest import ShardedArchive
from tests.search.synthetic import ROOT
from tools.search_stats import plan_query, read_payload

LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.min.js"
SCRIPT = Path(__file__).with_name("equivalence.js")

QUERIES = [
    "patov",
    "Patov",
    "kremlin",
    "patov kremlin",
    "patov patov",
    "title:patov body:army",
    "+patov +army kremlin",
    "army peace treaty",
    "arm*",
    "gov*",
    "pa*ov",
    "title:patov",
    "title:arm*",
    "authors:müller",
    "agency:northwind",
    "body:kreml*",
    "patov^10 army",
    "+patov -kremlin",
    "+patov +army",
    "+zzznotaword patov",
    "-kremlin",
    "-kremlin -army",
    "patov~1",
    "armi~2",
    "*lin",
    "zzznotaword",
    "müller",
    "café",
    "東京",
    "😀",
    "x😀*",
    "x*",
    "z*",
    "𠜎*",
    "running",
    "",
    "nosuchfield:patov",
]

FULL_SCAN = {"armi~2", "*lin"}


@pytest.fixture(scope="module")
def node_output(sharded_archive: ShardedArchive, tmp_path_factory: pytest.TempPathFactory) -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot run lunr.js")
    if not LUNR_JS.is_file():
        pytest.skip(f"{LUNR_JS} missing: run `npm ci`")
    work = tmp_path_factory.mktemp("node")
    whole = work / "whole-index.json"
    whole.write_text(json.dumps(sharded_archive.serialized), encoding="utf-8")
    queries = work / "queries.json"
    doc_refs = ["0", "8", "7", "299", "150"]
    queries.write_text(json.dumps({"queries": QUERIES, "docRefs": doc_refs}), encoding="utf-8")
    completed = subprocess.run(
        [
            node,
            str(SCRIPT),
            str(LUNR_JS),
            str(sharded_archive.search_dir),
            str(whole),
            str(queries),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.parametrize("query", QUERIES)
def test_shard_loader_equals_whole_index(node_output: Any, query: str) -> None:
    outcome = node_output[query]
    whole, shards = outcome["whole"], outcome["shards"]
    if isinstance(whole, dict):  # a syntax error must be the same error
        assert shards == whole
        return
    assert [r["ref"] for r in shards] == [r["ref"] for r in whole]
    for got, expected in zip(shards, whole, strict=True):
        assert math.isclose(got["score"], expected["score"], rel_tol=0, abs_tol=1e-9)
        assert got["terms"] == expected["terms"]


def test_queries_are_meaningful(node_output: Any) -> None:
    """Guard against a vacuous comparison: the fixture matches what the queries ask."""
    counts = {q: len(node_output[q]["whole"]) for q in QUERIES if q != "nosuchfield:patov"}
    for query in ("patov", "arm*", "title:patov", "authors:müller", "東京", "x😀*", "𠜎*"):
        assert counts[query] > 0, query
    assert counts["zzznotaword"] == counts["+zzznotaword patov"] == 0
    assert 0 < counts["-kremlin"] < counts[""] == 300
    assert counts["patov~1"] >= counts["patov"]
    assert counts["armi~2"] > counts["armi"] if "armi" in counts else counts["armi~2"] > 0
    assert "error" in node_output["nosuchfield:patov"]["whole"]


def test_plain_queries_load_few_shards(node_output: Any, sharded_archive: ShardedArchive) -> None:
    manifest = read_payload(sharded_archive.search_dir / "manifest.js")
    total = len(manifest["shards"])
    for query in ("patov", "kremlin", "title:patov", "müller", "😀"):
        assert len(node_output[query]["planned"]) == 1, query
        assert node_output[query]["fullScan"] is False
    # a term one edit away: only the shards of the terms it matches (found in the term files)
    assert node_output["patov~1"]["fullScan"] is False
    assert 1 <= len(node_output["patov~1"]["planned"]) <= 3
    assert node_output["patov"]["requested"] == [f"{node_output['patov']['planned'][0]}.js"]
    # loaded shards are cached: the same term again needs no request
    assert node_output["Patov"]["requested"] == node_output["title:patov"]["requested"] == []
    assert len(node_output["patov kremlin"]["planned"]) <= 2
    assert len(node_output["zzznotaword"]["planned"]) <= 1
    for query in FULL_SCAN:
        assert node_output[query]["fullScan"] is True
        assert len(node_output[query]["planned"]) == total


def test_load_docs_returns_metadata_in_order(
    node_output: Any, sharded_archive: ShardedArchive
) -> None:
    docs = node_output["<docs>"]["docs"]
    by_ref = {doc.ref: doc for doc in sharded_archive.docs}
    assert [doc["ref"] for doc in docs] == ["0", "8", "7", "299", "150"]
    for doc in docs:
        expected = by_ref[doc["ref"]]
        assert doc["title"] == expected.title
        assert doc["url"] == expected.url
        assert doc["date"] == expected.date
        assert doc["byline"] == expected.byline
        assert doc["excerpt"] == expected.excerpt
        assert doc["href"].endswith("/../" + expected.url)
    # refs 0 and 8 and 7 share chunks of 7 documents: docs-000, docs-001, docs-021, docs-042
    assert node_output["<docs>"]["requested"] == [
        "docs-000.js",
        "docs-001.js",
        "docs-021.js",
        "docs-042.js",
    ]


@pytest.mark.parametrize("query", [q for q in QUERIES if q != "nosuchfield:patov"])
def test_python_plan_mirrors_the_loader(
    node_output: Any, sharded_archive: ShardedArchive, query: str
) -> None:
    manifest = read_payload(sharded_archive.search_dir / "manifest.js")
    plan = plan_query(manifest, query, sharded_archive.search_dir)
    assert [f"shard-{n:03d}" for n in plan.shards] == node_output[query]["planned"]
    assert plan.full_scan == node_output[query]["fullScan"]


def test_default_limit_refuses_full_scans(
    node_output: Any, sharded_archive: ShardedArchive
) -> None:
    limit = node_output["<limit>"]
    assert limit["fuzzy"]["error"].startswith(
        "SearchTooBroadError: ArchiveSearch: this query needs"
    )
    assert limit["allowed"] == len(node_output["armi~2"]["whole"])
    plan = limit["plan"]
    assert plan["fullScan"] is True
    assert len(plan["shards"]) == plan["shardCount"] == sharded_archive.result.shard_count
    shard_files = sharded_archive.search_dir.glob("shard-*.js")
    assert plan["estimatedBytes"] == sum(p.stat().st_size for p in shard_files)
