"""Repeated builds (as `invoke build` runs them) take the incremental path: nothing redone when nothing changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from newsarchive.build import staging_folder
from newsarchive.rebuild import build_command, rebuild

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "archive"


def _build(seeds: Path, output: Path, report: Path) -> dict:
    assert rebuild(build_command(seeds, output, report, quiet=True)) == 0
    return json.loads(report.read_text("utf-8"))


def test_livereload_rebuilds_render_only_what_changed(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES, seeds)
    output, report = tmp_path / "site", tmp_path / "report.json"

    first = _build(seeds, output, report)
    assert first["sections"]["render"]["rendered"] > 10

    again = _build(seeds, output, report)
    assert again["sections"]["render"]["rendered"] == 0
    assert again["sections"]["sync"]["written"] == 0

    seed = seeds / "002_two_authors.txt"
    seed.write_text(seed.read_text("utf-8") + "\nA correction was added.\n", "utf-8")
    edited = _build(seeds, output, report)
    rendered = edited["sections"]["render"]["rendered"]
    assert 1 <= rendered < first["sections"]["render"]["rendered"] // 2
    assert edited["sections"]["sync"]["written"] >= 1


def test_the_theme_analysis_is_kept_with_the_render_state(tmp_path):
    """What the templates read is worked out once per site key, then read back."""
    output, report = tmp_path / "site", tmp_path / "report.json"
    _build(FIXTURES, output, report)
    state = json.loads((staging_folder(str(output)) / "render-state.json").read_text("utf-8"))
    assert "articles" in state["variables"] and "all_articles" not in state["variables"]
