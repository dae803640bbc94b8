"""A build that exits non-zero leaves the previous site untouched (issue #18, item 5)."""

from __future__ import annotations

from .conftest import snapshot
from .helpers import build, seed, tree, write_seeds


def test_a_strict_build_with_a_warning_publishes_nothing(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"a.txt": seed("First Story")})
    output = tmp_path / "out"
    assert build(seeds, output, strict=True).exit_code == 0
    before_bytes, before_stat = tree(output), snapshot(output)

    write_seeds(seeds, {"b.txt": seed("Second Story"), "empty.txt": ""})  # a skipped seed
    report = build(seeds, output, strict=True)
    assert report.exit_code == 1
    assert report.sections["sync"]["published"] is False
    assert "--strict" in report.sections["sync"]["reason"]
    assert "Build FAILED" in report.summary()
    assert tree(output) == before_bytes
    assert snapshot(output) == before_stat, "not one file touched"

    report = build(seeds, output)  # the same seeds without --strict: published
    assert report.exit_code == 0 and report.sections["sync"]["published"] is True
    assert (output / "2020/10/second-story.html").is_file()
