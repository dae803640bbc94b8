"""Seeds parsed ahead as tasks give exactly what the reader would parse itself."""

from __future__ import annotations

from newsarchive.cluster import ClusterSession
from seed_reader.parallel import cut, parse_files, parse_one
from seed_reader.parser import SeedError

from ..conftest import FIXTURE_ARCHIVE


def test_parsed_ahead_on_a_local_cluster_equals_sequential_parsing():
    paths = [str(p) for p in sorted(FIXTURE_ARCHIVE.glob("*.txt"))]
    with ClusterSession("local", local_workers=2) as session:
        parsed = parse_files(paths, {}, workers=2)
    assert set(parsed) == set(paths)
    for path in paths:
        expected = parse_one(path, {})
        got = parsed[path]
        if isinstance(expected, SeedError):
            assert isinstance(got, SeedError) and str(got) == str(expected)
        else:
            assert got == expected
    tasks = session.summary()["tasks"]["parse"]
    assert sum(tasks.values()) == len(cut(paths, 2)) and all(w.startswith("tcp://") for w in tasks)


def test_without_a_cluster_the_reader_parses():
    paths = [str(p) for p in sorted(FIXTURE_ARCHIVE.glob("*.txt"))]
    assert parse_files(paths, {}, workers=2) == {}  # outside a build: no runner answers
    with ClusterSession() as session:  # a small archive: no cluster is started
        assert parse_files(paths, {}, workers=2) == {}
    assert session.where == "in-process"
    with ClusterSession("local"):
        assert parse_files(paths, {}, workers=1) == {}  # the reader's setting: one worker


def test_partitions_keep_every_worker_busy_and_stay_bounded():
    items = [str(n) for n in range(1000)]
    parts = cut(items, 2)
    assert [item for part in parts for item in part] == items
    assert len(parts) == 8 and max(map(len, parts)) == 125
    assert max(map(len, cut(items * 10, 2))) <= 256
    assert cut([], 4) == []
    assert cut(["a"], 4) == [["a"]]


def test_a_task_returns_data_problems_and_leaves_bugs_to_the_reader(tmp_path, monkeypatch):
    import seed_reader.parallel as parallel

    good, empty, buggy = tmp_path / "good.txt", tmp_path / "empty.txt", tmp_path / "bug.txt"
    good.write_bytes((FIXTURE_ARCHIVE / "001_agency_only.txt").read_bytes())
    empty.write_bytes(b"")
    buggy.write_bytes(b"# Title\n\nBOOM\n")
    real = parallel.parse_seed_bytes

    def parse(data, **kwargs):
        if b"BOOM" in data:
            raise KeyError("a bug")
        return real(data, **kwargs)

    monkeypatch.setattr(parallel, "parse_seed_bytes", parse)
    read, results = parallel.parse_partition([str(good), str(empty), str(buggy)], {})
    assert read == 3
    assert set(results) == {str(good), str(empty)}  # the bug is not a result
    assert isinstance(results[str(empty)], SeedError)
    assert results[str(good)].title


def test_the_local_cluster_monitors_its_workers_less_often_than_dask_by_default():
    """Its nannies and scheduler run in the build process: polling every worker's memory ten
    times a second and sampling the machine twice a second took cores the workers need."""
    with ClusterSession("local", local_workers=2) as session:
        runner = session.answer(None, items=10**6, start=True)
        cluster = session._cluster
        nannies = list(cluster.workers.values())
        assert [nanny.memory_manager.memory_monitor_interval for nanny in nannies] == [1.0, 1.0]
        assert cluster.scheduler.monitor.monitor_disk_io is False
        on_workers = runner.client.run(
            lambda: __import__("dask").config.get("distributed.admin.system-monitor.interval")
        )
        assert set(on_workers.values()) == {"2s"}
