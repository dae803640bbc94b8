"""The benchmark counts worker memory and says plainly which targets it met."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tools import bench
from tools.bench import Run, TreeMemory, child_ours, edit_one_seed, format_table
from tools.generate import generate_archive

GRANDCHILD = textwrap.dedent(
    """
    import subprocess, sys
    code = "import time; block = bytearray(120 * 1024 * 1024); time.sleep(1.5)"
    subprocess.run([sys.executable, "-c", code], check=True)
    """
)


def test_tree_memory_counts_the_processes_a_build_starts():
    process = subprocess.Popen([sys.executable, "-c", GRANDCHILD])
    memory = TreeMemory(process.pid, interval=0.02)
    process.wait()
    assert memory.stop() > 120, "the grandchild's 120 MB must be in the peak"


def test_table_reports_ratios_and_verdicts(tmp_path):
    phases = {"read": 1.0, "render and write pages": 2.0}
    runs = [
        Run("stock Pelican, cold", 40.0, 190, 190, 100),
        Run("ours, cold", 48.0, 700, 900, 120, 10, phases),
        Run("ours, no change", 10.0, 400, 400, 0, 10, phases),
        Run("ours, one seed edited", 18.0, 700, 1100, 5, 10, phases),
    ]
    table = format_table(10, runs, tmp_path)
    assert "cold build / stock Pelican:      1.20x (target <= 1.3x) -- met" in table
    assert "one-seed rebuild / cold build:   0.38x (target <= 0.35x) -- missed" in table
    assert "files rewritten with no change:  0 (target 0) -- met" in table
    assert "1100 MB (target < 1024 MB) -- missed" in table
    assert "phases (one seed edited): read 1.0 s, render and write pages 2.0 s" in table


def test_table_shows_the_cold_builds_cores_busy_and_render_tasks_per_worker(tmp_path):
    cpu = {
        "read": {"seconds": 4.0, "cpu_seconds": 7.2, "cores_busy": 1.8},
        "render and write pages": {"seconds": 10.0, "cpu_seconds": 19.5, "cores_busy": 1.95},
    }
    cluster = {
        "where": "local cluster",
        "workers": 2,
        "tasks": {
            "parse": {"tcp://127.0.0.1:4001": 9, "tcp://127.0.0.1:4002": 8},
            "render": {"tcp://127.0.0.1:4001": 52, "tcp://127.0.0.1:4002": 48},
        },
    }
    runs = [
        Run("ours, cold", 48.0, 700, 900, 120, 10, {"read": 4.0}, cpu, cluster),
        Run("ours, no change", 10.0, 400, 400, 0, 10, {"read": 4.0}, {"read": cpu["read"]}, {}),
    ]
    table = format_table(10, runs, tmp_path)
    assert "cores busy (cold): read 4.0 s at 1.80, render and write pages 10.0 s at 1.95" in table
    assert (
        "render tasks per worker (cold, local cluster, workers 2): "
        "tcp://127.0.0.1:4001 52, tcp://127.0.0.1:4002 48"
    ) in table
    assert table.count("cores busy") == 1, "only the cold build's"


def test_the_child_build_hands_the_table_its_cpu_and_cluster_sections(tmp_path):
    seeds = tmp_path / "seeds"
    generate_archive(12, seeds, seed=3, broken=False)
    data = child_ours(str(seeds), str(tmp_path / "site"))
    data["tree_rss_mb"] = data["max_rss_mb"]
    table = format_table(12, [bench._run("ours, cold", data)], tmp_path / "site")
    assert "cores busy (cold): read " in table
    assert "render and write pages " in table
    # 12 pages are too few to send anywhere: the table says so rather than print nothing.
    assert (
        "render tasks per worker (cold, in-process, workers 1): "
        "none (pages rendered in the build process)"
    ) in table


def test_the_edited_seed_gains_a_paragraph_before_its_source_lines(tmp_path):
    seed = (
        "\r\n\r\n# Title\r\n\r\nLast paragraph.\r\n\r\nORIGINAL URL:\r\n\r\n<https://a.example/x>"
    )
    (tmp_path / "000000_0000000000000000.txt").write_bytes(seed.encode())
    target, original = edit_one_seed(tmp_path)
    assert original == seed.encode()
    edited = target.read_bytes().decode()
    assert edited.endswith(
        "Last paragraph.\r\n\r\nA correction was added to this article.\r\n\r\n"
        "ORIGINAL URL:\r\n\r\n<https://a.example/x>"
    )


def test_an_archive_from_an_older_generator_is_generated_again(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "BENCH_ROOT", tmp_path)
    old = tmp_path / "seeds-60-0"
    old.mkdir()
    (old / "000000_0123456789abcdef.txt").write_text("Original url: <https://old.example/>\n")
    (old / ".complete").write_text("ok\n")
    folder = bench.prepare_archive(60, 0)
    assert folder == old
    assert not (old / "000000_0123456789abcdef.txt").exists()
    assert len(list(folder.glob("*.txt"))) == 60
    stamp = (folder / ".complete").read_text()
    (folder / "000001_marker.txt").write_text("kept while the format is the same")
    assert bench.prepare_archive(60, 0) == folder
    assert (folder / "000001_marker.txt").exists() and (folder / ".complete").read_text() == stamp


def test_serve_bench_body_edit_changes_the_body_alone(tmp_path):
    """``bench-serve``'s "seed body edited" leaves title, byline, date and links as they were."""
    from seed_reader.parser import SeedError, parse_seed_bytes
    from tools.serve_bench import body_edited

    generate_archive(5, tmp_path, seed=3)
    for seed in sorted(tmp_path.glob("*.txt")):
        edited = seed.read_text("utf-8", "replace")
        try:
            before = parse_seed_bytes(edited.encode())
        except SeedError:  # the generator's deliberately broken seeds
            continue
        for n in range(3):
            edited = body_edited(edited, n)
            after = parse_seed_bytes(edited.encode())
            assert f"save {n}." in after.body_text
            for name in ("title", "authors", "agency", "date", "related_titles", "source_url"):
                assert getattr(after, name) == getattr(before, name), name
