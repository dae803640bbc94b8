"""Only seed files become articles; odd entries of the seed folder are report lines (issue #18, items 2-3).

- A symbolic link in the seed folder never brings in a file from elsewhere, and
  no other reader (Markdown, reST) reads anything in the seed folder.
- A FIFO, a socket or a device is never opened (a FIFO blocked the build
  forever); symbolic link loops are not walked (``sub/up -> ..`` walked for
  minutes, ``self -> .`` counted 40 duplicates).  Each is one report line
  naming the file, and the build goes on.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsarchive.build import ROOT
from seed_reader.listing import list_seed_folders

from .helpers import build, seed, write_seeds

HOSTILE_MARKDOWN = """Title: Injected
Date: 2020-10-01

<script>window.__pwned='md'</script>
<img src=x onerror="window.__pwned='onerror'">
<meta http-equiv="refresh" content="0; url=https://evil.example/">
"""


def reasons(report) -> dict[str, str]:
    """Base name -> reason, for every skipped seed and every warning naming a file."""
    lines = {Path(item["file"]).name: item["reason"] for item in report.skipped}
    lines |= {Path(w["file"]).name: w["message"] for w in report.warnings if w["file"]}
    return lines


def assert_no_injection(output: Path) -> None:
    for page in output.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "__pwned" not in text and "evil.example" not in text, page
        document = BeautifulSoup(text, "html.parser")
        assert document.find("meta", attrs={"http-equiv": "refresh"}) is None, page
        assert not [t for t in document.find_all(True) if "onerror" in t.attrs], page


def test_symbolic_links_never_bring_in_other_files(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    write_seeds(
        elsewhere,
        {
            "elsewhere.md": HOSTILE_MARKDOWN,
            "private.txt": seed("Private Notes", "Not for publishing."),
            "folder/hidden.txt": seed("Hidden Folder Story", "Not for publishing either."),
        },
    )
    seeds = write_seeds(
        tmp_path / "seeds",
        {
            "ok.txt": seed("A Plain Story"),
            "notes.md": HOSTILE_MARKDOWN,
            "page.rst": "Injected\n########\n\n:date: 2020-10-01\n\n.. raw:: html\n\n"
            "   <script>window.__pwned='rst'</script>\n",
        },
    )
    (seeds / "x.md").symlink_to(elsewhere / "elsewhere.md")
    (seeds / "relative.md").symlink_to(Path("..") / "elsewhere" / "elsewhere.md")
    (seeds / "link.txt").symlink_to(elsewhere / "private.txt")
    (seeds / "folder").symlink_to(elsewhere / "folder")
    output = tmp_path / "out"
    report = build(seeds, output)

    assert report.bugs == [] and report.errors == []
    assert report.articles_written == 1
    pages = sorted(p.relative_to(output).as_posix() for p in output.glob("2020/*/*.html"))
    assert pages == ["2020/10/a-plain-story.html"]
    assert_no_injection(output)
    for page in output.rglob("*.html"):
        assert "Not for publishing" not in page.read_text("utf-8"), page
    lines = reasons(report)
    for name in ("x.md", "relative.md", "link.txt", "folder"):
        assert "outside the seed folder" in lines[name], (name, lines.get(name))
        assert "symbolic link" in lines[name]
    assert {Path(f).name for f in report.ignored_files} == {"notes.md", "page.rst"}
    assert report.exit_code == 0, "data problems: reported, the build goes on"


def test_a_symbolic_link_inside_the_seed_folder_is_read_as_its_target(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"real.txt": seed("Linked Story")})
    (seeds / "alias.txt").symlink_to("real.txt")
    (seeds / "alias.md").symlink_to("real.txt")
    report = build(seeds, tmp_path / "out")
    assert report.articles_written == 1
    dropped = report.sections["duplicates"]["dropped"]
    assert [Path(item["file"]).name for item in dropped] == ["real.txt"]
    assert [Path(f).name for f in report.ignored_files] == ["alias.md"]


def run_build_process(seeds: Path, output: Path, *extra: str, timeout: float = 90) -> dict:
    """Build in a child process (a hang fails the test instead of blocking it)."""
    report = output.with_name("report.json")
    command = [sys.executable, "-m", "newsarchive", "build", "--quiet"]
    command += ["--seeds", str(seeds), "--output", str(output), "--report", str(report), *extra]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not finish in {timeout} s")
    data = json.loads(report.read_text("utf-8"))
    assert data["exit_code"] == done.returncode
    return data


@pytest.fixture
def odd_folder(tmp_path):
    seeds = write_seeds(
        tmp_path / "seeds", {"ok.txt": seed("Top Story"), "sub/deep.txt": seed("Deep Story")}
    )
    os.mkfifo(seeds / "pipe.txt")
    os.mkfifo(seeds / "sub" / "pipe.md")
    (seeds / "sub" / "up").symlink_to("..")
    (seeds / "self").symlink_to(".")
    (seeds / "root").symlink_to(seeds)
    (seeds / "loop.txt").symlink_to("loop.txt")
    (seeds / "ping.txt").symlink_to("pong.txt")
    (seeds / "pong.txt").symlink_to("ping.txt")
    (seeds / "gone.txt").symlink_to("nowhere.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(seeds / "sock.txt"))
    return seeds


def test_special_files_and_link_loops_are_report_lines(odd_folder, tmp_path):
    data = run_build_process(odd_folder, tmp_path / "out", timeout=60)
    assert data["bugs"] == [] and data["errors"] == []
    assert data["articles_written"] == 2
    assert sorted(p.name for p in (tmp_path / "out/2020/10").glob("*.html")) == [
        "deep-story.html",
        "top-story.html",
    ]
    skipped = {Path(item["file"]).name: item["reason"] for item in data["skipped"]}
    warned = {Path(w["file"]).name: w["message"] for w in data["warnings"] if w["file"]}
    assert "not a regular file" in skipped["pipe.txt"] and "FIFO" in skipped["pipe.txt"]
    assert "not a regular file" in skipped["sock.txt"] and "socket" in skipped["sock.txt"]
    assert "not a regular file" in warned["pipe.md"]
    for name in ("up", "self", "root"):
        assert "loop" in warned[name], (name, warned.get(name))
    for name in ("loop.txt", "ping.txt", "pong.txt"):
        assert "loop" in skipped[name], (name, skipped.get(name))
    assert "broken symbolic link" in skipped["gone.txt"]
    # every entry is one line: no duplicate, nothing counted twice
    files = [item["file"] for item in data["skipped"]] + [w["file"] for w in data["warnings"]]
    assert len(files) == len(set(files))
    assert data["seeds_found"] == 2 + len(skipped)
    assert data["exit_code"] == 0


def test_strict_fails_on_an_odd_entry(odd_folder, tmp_path):
    data = run_build_process(odd_folder, tmp_path / "out", "--strict", timeout=60)
    assert data["exit_code"] == 1
    assert data["sections"]["sync"]["published"] is False


def test_a_folder_met_twice_is_listed_once(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", {"a.txt": "a", "sub/b.txt": "b", "sub/c.md": "c"})
    listing = list_seed_folders([str(seeds), str(seeds / "sub"), str(seeds)])
    assert listing.seeds == [str(seeds / "a.txt"), str(seeds / "sub" / "b.txt")]
    assert listing.other_files == [str(seeds / "sub" / "c.md")]
    assert [entry.reason for entry in listing.not_read] == [
        "a folder already listed (a loop, or seed folders that overlap); not read again"
    ] * 2
