"""After any interruption the next good build leaves exactly a clean build's site (issue #18, item 4).

A build is killed (SIGKILL, or Ctrl-C) at many points: while seeds are read,
while pages are written into the staging folder, and before each file
operation of the sync into the output.  The next successful build, of the old
seeds or of the new, must leave the output byte for byte (and folder for
folder) as a fresh build of those seeds into an empty folder does: no page of
a deleted seed, no stale page, no temporary file.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.build import ROOT

from .helpers import build, seed, tree, write_seeds

COMMON = {
    f"{n:02d}_kept.txt": seed(f"Kept Story {n}", byline=f"[Writer {n % 3}](#) for Agency {n % 2}")
    for n in range(5)
}
OLD = {
    **COMMON,
    "10_old_only.txt": seed("Story Deleted Later", byline="[Leaving Writer](#) for Gone Agency"),
    "11_old_only.txt": seed("Another Story Deleted Later"),
    "12_changed.txt": seed("Changed Story", "The first version of this story."),
}
NEW = {
    **COMMON,
    "12_changed.txt": seed("Changed Story", "The second version, quite different."),
    "20_new_only.txt": seed("Story Added Later", byline="[New Writer](#) for New Agency"),
    "21_new_only.txt": seed("Another Story Added Later"),
}
#: (where, how many, signal): sync points cover every file operation of a small sync.
KILL_POINTS = [
    *[("sync", n, "KILL") for n in (1, 2, 3, 4, 6, 9, 13, 19, 27, 38, 52, 70)],
    ("sync", 8, "INT"),
    ("sync", 30, "INT"),
    ("page", 1, "KILL"),
    ("page", 12, "KILL"),
    ("page", 25, "INT"),
    ("read", 3, "KILL"),
]


def interrupted_build(seeds: Path, output: Path, point: tuple[str, int, str]) -> int:
    where, count, how = point
    report = output.with_name("interrupted-report.json")
    command = [sys.executable, "-m", "tests.hostile.interrupt", where, str(count), how, "--"]
    command += ["build", "--quiet", "--seeds", str(seeds), "--output", str(output)]
    command += ["--report", str(report)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120, check=False)
    return done.returncode


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("interrupted")
    seeds = {"old": write_seeds(base / "old", OLD), "new": write_seeds(base / "new", NEW)}
    expected = {}
    for label, folder in seeds.items():
        report = build(folder, base / f"clean-{label}")
        assert report.exit_code == 0, (report.warnings, report.bugs, report.errors)
        expected[label] = tree(base / f"clean-{label}")
    assert expected["old"] != expected["new"]
    return base, seeds, expected


def test_clean_builds_are_reproducible(references, tmp_path):
    _, seeds, expected = references
    build(seeds["old"], tmp_path / "again")
    assert tree(tmp_path / "again") == expected["old"]


def test_the_next_good_build_repairs_any_interruption(references, tmp_path):
    _, seeds, expected = references
    output = tmp_path / "site"
    seeds_file = output.parent / "seeds"  # a stable seed folder whose contents are swapped
    current = "old"
    write_seeds(seeds_file, OLD)
    assert build(seeds_file, output).exit_code == 0
    interrupted = 0
    for point in KILL_POINTS:
        other = "new" if current == "old" else "old"
        _swap(seeds_file, seeds[other])
        code = interrupted_build(seeds_file, output, point)
        interrupted += code in (-signal.SIGKILL, -signal.SIGINT, 130, 1)
        # the interrupted build's seeds go back: its half-published pages must go
        _swap(seeds_file, seeds[current])
        report = build(seeds_file, output)
        assert report.exit_code == 0, (point, report.errors, report.bugs)
        assert tree(output) == expected[current], (
            point,
            _difference(tree(output), expected[current]),
        )
        # and forward again, to the seeds the interrupted build had
        _swap(seeds_file, seeds[other])
        assert build(seeds_file, output).exit_code == 0
        assert tree(output) == expected[other], (point, _difference(tree(output), expected[other]))
        current = other
    assert interrupted >= len(KILL_POINTS) - 2, "the kill points were reached"


def _swap(folder: Path, source: Path) -> None:
    """Make ``folder`` hold exactly ``source``'s seeds (changed files get a new mtime)."""
    wanted = {p.name: p.read_bytes() for p in source.iterdir()}
    for path in list(folder.iterdir()):
        if path.name not in wanted:
            path.unlink()
    for name, data in wanted.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)


def _difference(got: dict[str, bytes], want: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        "extra": sorted(set(got) - set(want)),
        "missing": sorted(set(want) - set(got)),
        "differ": sorted(name for name in set(got) & set(want) if got[name] != want[name]),
    }


def test_an_incomplete_manifest_is_repaired_by_the_next_sync(tmp_path):
    from newsarchive.sync import sync_tree

    staging, output, manifest = tmp_path / "staging", tmp_path / "out", tmp_path / "m.json"
    write_seeds(staging, {"index.html": "new index", "2020/10/kept.html": "kept"})
    write_seeds(
        output, {"index.html": "old", "2020/11/half.html": "half", "2020/11/.x.html.tmp": "t"}
    )
    write_seeds(output, {"mine.txt": "not ours"})
    files = ["index.html", "2020/11/half.html", "2020/11/x.html", "2020/10/kept.html"]
    manifest.write_text(json.dumps({"files": files, "synced_at": 0, "complete": False}))
    sync_tree(staging, output, manifest)
    assert tree(output) == {
        "2020": b"/",
        "2020/10": b"/",
        "2020/10/kept.html": b"kept",
        "index.html": b"new index",
        "mine.txt": b"not ours",
    }
    assert json.loads(manifest.read_text())["complete"] is True
