"""The benchmark counts worker memory and says plainly which targets it met."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tools import bench
from tools.bench import Run, TreeMemory, add_one_seed, child_ours, edit_one_seed, format_table
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
    largest, what = memory.largest()
    assert largest > 120, "the grandchild is the largest single process"
    assert what.startswith("a child process (pid "), what


def test_table_reports_ratios_and_verdicts(tmp_path):
    phases = {"read": 1.0, "render and write pages": 2.0}
    runs = [
        Run("stock Pelican, cold", 40.0, 190, 190, 100),
        Run("ours, cold", 48.0, 700, 900, 120, 10, phases),
        Run("ours, no change", 10.0, 400, 400, 0, 10, phases),
        Run("ours, one seed edited", 18.0, 700, 1100, 5, 10, phases),
        Run("ours, one seed added", 16.0, 700, 1000, 9, 11, phases),
    ]
    table = format_table(10, runs, tmp_path)
    assert "cold build / stock Pelican:       1.20x (target <= 0.6x) -- missed" in table
    assert "one seed edited / cold build:     0.38x (target <= 0.35x) -- missed" in table
    assert "one seed added / cold build:      0.33x (target <= 0.4x) -- met" in table
    assert "files rewritten with no change:   0 (target 0) -- met" in table
    # Memory targets hold at 100,000 articles: below that, figures without a verdict.
    assert "all processes together: 1100 MB (target <= 4096 MB at 100,000 articles)" in table
    assert "largest single process: 700 MB (target <= 1536 MB at 100,000 articles)" in table
    assert "phases (one seed edited): read 1.0 s, render and write pages 2.0 s" in table


def test_at_100000_the_memory_targets_get_verdicts_and_the_ratio_to_10000(tmp_path):
    runs = [
        Run("ours, cold", 500.0, 1400, 4500, 9, 9, None, None, None, 1600, "a Dask worker (pid 7)"),
        Run("ours, no change", 60.0, 900, 1200, 0, 9, None, None, None, 900, "the build process"),
    ]
    earlier = {"seconds": 50.0, "measured": "2026-12-07 15:00"}
    table = format_table(100_000, runs, tmp_path, earlier)
    assert (
        "largest single process: 1600 MB in a Dask worker (pid 7) (target <= 1536 MB) -- missed"
    ) in table
    assert "all processes together: 4500 MB (target <= 4096 MB) -- missed" in table
    assert (
        "cold 100,000 / cold 10,000:       10.00x (target <= 10.5x) -- met"
        " (10,000: 50.0 s, measured 2026-12-07 15:00)"
    ) in table


def test_the_cold_time_is_kept_for_the_ratio_at_ten_times_the_count(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "BENCH_ROOT", tmp_path)
    assert bench.earlier_cold_result(10, 0) is None
    bench.save_cold_result(10, 0, [Run("ours, no change", 1.0, 1, 1), Run("ours, cold", 4.5, 1, 1)])
    assert bench.earlier_cold_result(10, 0)["seconds"] == 4.5
    assert bench.earlier_cold_result(10, 1) is None, "another generated archive"


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


def test_the_added_seed_is_a_new_article_not_a_duplicate(tmp_path):
    from seed_reader.parser import parse_seed_bytes

    generate_archive(5, tmp_path, seed=3, broken=False)
    files = sorted(tmp_path.glob("*.txt"))
    added = add_one_seed(tmp_path)
    assert added not in files and added.parent == tmp_path
    original = parse_seed_bytes(files[len(files) // 2].read_bytes())
    new = parse_seed_bytes(added.read_bytes())
    assert new.title == f"Added for the benchmark: {original.title}"
    assert new.source_url != original.source_url and new.fingerprint != original.fingerprint
    assert new.body_text == original.body_text


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
