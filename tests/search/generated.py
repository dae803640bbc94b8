"""A generated archive (tools.generate) as search documents, indexed and written once."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lunr_search.documents import DocInput, SearchDoc, number_documents
from lunr_search.index_builder import build_index, serialize_for_js
from lunr_search.writer import write_search_files
from seed_reader.parser import SeedError, parse_seed_bytes
from tests.search.synthetic import ROOT
from tools.generate import generate_archive

LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.min.js"
QUERIES_JS = Path(__file__).with_name("queries.js")


@dataclass
class GeneratedIndex:
    docs: list[SearchDoc]
    search_dir: Path
    whole: Path

    def run(
        self, work: Path, search: list[str], suggest: list[str] = (), typing: list[str] = ()
    ) -> dict[str, Any]:
        """The loader's answers (and the whole index's) under node; see queries.js."""
        node = shutil.which("node")
        if node is None or not LUNR_JS.is_file():
            import pytest

            pytest.skip("node and node_modules/lunr are needed to run lunr.js")
        queries = work / "queries.json"
        queries.write_text(
            json.dumps({"search": search, "suggest": list(suggest), "typing": list(typing)}),
            "utf-8",
        )
        completed = subprocess.run(
            [
                node,
                str(QUERIES_JS),
                str(LUNR_JS),
                str(self.search_dir),
                str(self.whole),
                str(queries),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout)


def generated_index(
    work: Path, count: int, seed: int = 5, shard_bytes: int = 6000
) -> GeneratedIndex:
    """Generate ``count`` seeds, read them as the seed reader does, index and write them."""
    seeds = work / "seeds"
    generate_archive(count, seeds, seed=seed, broken=False)
    inputs = []
    for path in sorted(seeds.glob("*.txt")):
        try:
            parsed = parse_seed_bytes(path.read_bytes())
        except SeedError:
            continue
        inputs.append(
            DocInput(
                title=parsed.title,
                authors=list(parsed.authors),
                agency=parsed.agency,
                body=parsed.body_text,
                url=f"{parsed.slug}.html",
                date=parsed.date,
            )
        )
    docs = number_documents(inputs)
    serialized = serialize_for_js(build_index(docs))
    whole = work / "whole-index.json"
    whole.write_text(json.dumps(serialized), "utf-8")
    search_dir = work / "search"
    write_search_files(search_dir, serialized, docs, shard_bytes=shard_bytes, docs_per_chunk=10)
    return GeneratedIndex(docs, search_dir, whole)
