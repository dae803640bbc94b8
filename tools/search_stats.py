"""Sizes of a written search index and what a query costs the page, for benchmarks.

Mirrors the shard selection of ``theme/static/js/search-index.js`` with lunr.py's
query parser and pipeline, and finds the results to show by running the query on
the shards it selected (so the docs chunks counted are the ones the page would load).
"""

from __future__ import annotations

import bisect
import gzip
import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query import Query
from lunr.query_parser import QueryParser
from lunr.token_set import TokenSet

from plugins.lunr_search.index_builder import utf16_key
from plugins.lunr_search.sharding import decode_shards, shard_name
from plugins.lunr_search.stemmer import js_stemmer
from plugins.lunr_search.suggestions import key_chars, terms_name, utf16_length
from plugins.lunr_search.writer import CALLBACK, MANIFEST, docs_name

_PREFIX = f"{CALLBACK}(".encode("ascii")
_SUFFIX = b");\n"


def gzip_size(data: bytes) -> int:
    """Bytes on the wire with gzip level 6 (a common server default)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def read_payload(path: Path) -> dict[str, Any]:
    """Return the JSON a data file hands to the callback."""
    data = path.read_bytes()
    if not (data.startswith(_PREFIX) and data.endswith(_SUFFIX)):
        raise ValueError(f"lunr_search: {path} is not a search data file")
    return json.loads(json.loads(data[len(_PREFIX) : -len(_SUFFIX)]))


def _summary(sizes: Sequence[int]) -> dict[str, int]:
    if not sizes:
        return {"count": 0, "total": 0, "min": 0, "median": 0, "p90": 0, "max": 0}
    ordered = sorted(sizes)
    return {
        "count": len(ordered),
        "total": sum(ordered),
        "min": ordered[0],
        "median": int(statistics.median(ordered)),
        "p90": ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))],
        "max": ordered[-1],
    }


def index_stats(search_dir: Path) -> dict[str, Any]:
    """Count and raw/gzip size distribution of shards and docs chunks, plus fixed files."""
    search_dir = Path(search_dir)
    groups: dict[str, tuple[list[int], list[int]]] = {"shard": ([], []), "docs": ([], [])}
    for path in sorted(search_dir.glob("*-*.js")):
        kind = path.name.split("-", 1)[0]
        if kind in groups:
            data = path.read_bytes()
            groups[kind][0].append(len(data))
            groups[kind][1].append(gzip_size(data))
    stats: dict[str, Any] = {
        kind: {"raw": _summary(raw), "gzip": _summary(packed)}
        for kind, (raw, packed) in groups.items()
    }
    for name in (MANIFEST, "lunr.js"):
        path = search_dir / name
        data = path.read_bytes() if path.is_file() else b""
        stats[name] = {"raw": len(data), "gzip": gzip_size(data) if data else 0}
    return stats


@dataclass(frozen=True)
class QueryPlan:
    """Shards a query needs, as the page's loader decides."""

    shards: list[int]
    full_scan: bool
    negated: bool


def search_pipeline() -> Pipeline:
    """The page's search pipeline: lunr.js's stemmer (lunr.py's stems differently)."""
    pipeline = Pipeline()
    pipeline.add(js_stemmer)
    return pipeline


def fuzzy_terms(manifest: Mapping[str, Any], search_dir: Path, term: str) -> list[str]:
    """Every indexed term one edit from ``term``, from the term files (as ``fullPlan`` does)."""
    firsts = [(utf16_key(char), length) for char, length in manifest["termFiles"]]
    length = utf16_length(term)
    numbers: set[int] = set()
    for char in key_chars(term):
        key = utf16_key(char)
        low = bisect.bisect_right(firsts, (key, max(1, length - 1))) - 1
        high = bisect.bisect_right(firsts, (key, length + 1)) - 1
        numbers.update(range(max(low, 0), max(high, 0) + 1))
    near: set[str] = set()
    for number in numbers:
        for char, size, entries in read_payload(search_dir / f"{terms_name(number)}.js")["keys"]:
            if char in key_chars(term) and length - 1 <= size <= length + 1:
                near.update(entry[0] for entry in entries)
    matcher = TokenSet.from_list(sorted(near)).intersect(TokenSet.from_fuzzy_string(term, 1))
    return matcher.to_list()


def plan_query(
    manifest: Mapping[str, Any], query_string: str, search_dir: Path | None = None
) -> QueryPlan:
    """Python mirror of ``planQuery`` in search-index.js (``fullPlan`` with ``search_dir``).

    Quoted phrases are not mirrored.
    """
    query = Query(list(manifest["fields"]))
    QueryParser(query_string, query).parse()
    if list(manifest["pipeline"]) != ["stemmer"]:
        raise ValueError(f"lunr_search: unknown search pipeline {manifest['pipeline']!r}")
    pipeline = search_pipeline()
    ranges = [(utf16_key(first), utf16_key(last)) for first, last in manifest["shards"]]
    needed: set[int] = set()
    for clause in query.clauses:
        terms = (
            pipeline.run_string(clause.term, {"fields": clause.fields})
            if clause.use_pipeline
            else [clause.term]
        )
        for term in terms:
            star = term.find("*")
            fuzzy = clause.edit_distance == 1 and star == -1 and utf16_length(term) >= 2
            if fuzzy and search_dir is not None and manifest.get("termFiles"):
                for near in fuzzy_terms(manifest, search_dir, term):
                    key = utf16_key(near)
                    needed.update(
                        number
                        for number, (first, last) in enumerate(ranges)
                        if first <= key <= last
                    )
                continue
            if clause.edit_distance or star == 0:
                return QueryPlan(list(range(len(ranges))), True, query.is_negated())
            if star > 0:
                prefix = term[:star]
                key = utf16_key(prefix)
                needed.update(
                    number
                    for number, (first, last) in enumerate(ranges)
                    if last >= key
                    and (first <= key or manifest["shards"][number][0].startswith(prefix))
                )
            else:
                key = utf16_key(term)
                needed.update(
                    number for number, (first, last) in enumerate(ranges) if first <= key <= last
                )
    return QueryPlan(sorted(needed), False, query.is_negated())


@dataclass(frozen=True)
class QueryCost:
    """What the page transfers for one query, up to showing its first results."""

    query: str
    shards: int
    full_scan: bool
    results: int
    docs_chunks: int
    requests: int  # lunr.js included (its bytes only when it is in search_dir)
    rounds: int  # requests one after another: manifest + lunr.js, shards, docs
    raw_bytes: int
    gzip_bytes: int

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, for JSON reports."""
        return asdict(self)


def query_cost(search_dir: Path, query_string: str, results_shown: int = 10) -> QueryCost:
    """Bytes and requests from an empty cache to the first ``results_shown`` results."""
    search_dir = Path(search_dir)
    manifest = read_payload(search_dir / MANIFEST)
    plan = plan_query(manifest, query_string, search_dir)
    shard_files = [search_dir / f"{shard_name(n)}.js" for n in plan.shards]
    serialized = decode_shards(
        manifest, (read_payload(path) for path in shard_files), all_field_refs=plan.negated
    )
    # lunr.py's TokenSet builder wants code-point order.
    serialized["invertedIndex"].sort(key=lambda entry: entry[0])
    index = Index.load(serialized)
    index.pipeline = search_pipeline()
    refs = [result["ref"] for result in index.search(query_string)]
    shown = refs[:results_shown]
    chunks = sorted({int(ref) // manifest["docsPerChunk"] for ref in shown})
    files = [
        search_dir / MANIFEST,
        search_dir / "lunr.js",
        *shard_files,
        *(search_dir / f"{docs_name(n)}.js" for n in chunks),
    ]
    contents = [path.read_bytes() for path in files if path.is_file()]
    return QueryCost(
        query=query_string,
        shards=len(shard_files),
        full_scan=plan.full_scan,
        results=len(refs),
        docs_chunks=len(chunks),
        requests=len(files),
        rounds=1 + int(bool(shard_files)) + int(bool(chunks)),
        raw_bytes=sum(len(data) for data in contents),
        gzip_bytes=sum(gzip_size(data) for data in contents),
    )


def query_costs(
    search_dir: Path, queries: Iterable[str], results_shown: int = 10
) -> list[QueryCost]:
    """``query_cost`` for each query."""
    return [query_cost(search_dir, query, results_shown) for query in queries]
