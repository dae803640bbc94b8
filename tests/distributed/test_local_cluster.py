"""A build whose tasks run on a local Dask cluster writes the same bytes as one in-process."""

from __future__ import annotations

from newsarchive.build import BuildOptions, run_build

from .conftest import COUNT, assert_same_site


def build(seeds, tmp_path, name, scheduler):
    output = tmp_path / name
    report = run_build(
        BuildOptions(
            seeds=seeds, output=output, report=tmp_path / f"{name}.json", scheduler=scheduler
        )
    )
    assert report.exit_code == 0, (report.bugs, report.errors)
    return output, report


def test_local_cluster_equals_in_process_build_byte_for_byte(generated_seeds, tmp_path):
    alone, alone_report = build(generated_seeds, tmp_path, "in-process", "in-process")
    local, local_report = build(generated_seeds, tmp_path, "local", "local")

    assert alone_report.sections["cluster"]["where"] == "in-process"
    cluster = local_report.sections["cluster"]
    assert cluster["where"] == "local cluster"
    assert cluster["workers"] >= 1
    # The seeds were parsed and the article pages rendered by the cluster's workers.
    parse, render = cluster["tasks"]["parse"], cluster["tasks"]["render"]
    assert all(worker.startswith("tcp://") for worker in [*parse, *render])
    assert sum(render.values()) >= cluster["workers"]
    assert local_report.articles_written == alone_report.articles_written > COUNT // 2
    assert_same_site(local, alone)


def test_no_change_rebuild_on_a_local_cluster_rewrites_nothing(generated_seeds, tmp_path):
    _, first = build(generated_seeds, tmp_path, "site", "local")
    assert first.sections["cluster"]["where"] == "local cluster"
    _, again = build(generated_seeds, tmp_path, "site", "local")
    assert again.sections["sync"]["written"] == 0
    assert again.sections["render"]["rendered"] == 0
    # Nothing to parse or render: no cluster was started for it.
    assert again.sections["cluster"] == {
        "where": "in-process",
        "workers": 1,
        "tasks": {},
        "costs": {},
        "startup_seconds": 0.0,
    }
