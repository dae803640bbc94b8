"""The search benchmark reads its index figures from the build report, and insists on them."""

from __future__ import annotations

import pytest

from tools.generate import generate_archive
from tools.search_bench import SearchBenchError, build_site, search_figures


def test_a_missing_figure_stops_the_benchmark() -> None:
    with pytest.raises(SearchBenchError, match="no search section"):
        search_figures({})
    kept = {"search": {"articles": 10, "index": "kept (inputs unchanged)"}}
    with pytest.raises(SearchBenchError, match="lacks terms, index_seconds, files_seconds"):
        search_figures(kept)
    full = {"articles": 3, "terms": 40, "index_seconds": 0.25, "files_seconds": 0.5}
    assert search_figures({"search": full}) == {
        "articles": 3,
        "terms": 40,
        "index_s": 0.25,
        "files_s": 0.5,
    }


def test_a_cold_build_reports_every_figure(tmp_path) -> None:
    seeds = tmp_path / "seeds"
    generate_archive(30, seeds, seed=2, broken=False)
    figures = build_site(seeds, tmp_path / "site")
    assert figures["articles"] == 30
    assert figures["terms"] > 100
    assert figures["index_s"] > 0 and figures["files_s"] > 0 and figures["build_s"] > 0
