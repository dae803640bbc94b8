"""A build whose tasks run on a local Dask cluster writes the same bytes as one in-process."""

from __future__ import annotations

import pytest

from newsarchive.build import BuildOptions, run_build

from .conftest import COUNT, assert_same_site

#: Related titles and "More on this" on the cluster too, as on a big archive.
ON_THE_CLUSTER = (("RELATED", {"CLUSTER_FROM": 1}),)


def build(seeds, tmp_path, name, scheduler, overrides=()):
    output = tmp_path / name
    report = run_build(
        BuildOptions(
            seeds=seeds,
            output=output,
            report=tmp_path / f"{name}.json",
            scheduler=scheduler,
            overrides=overrides,
        )
    )
    assert report.exit_code == 0, (report.bugs, report.errors)
    return output, report


@pytest.mark.parametrize("stream_from", [200, 10], ids=["sent-at-the-end", "sent-while-writing"])
def test_local_cluster_equals_in_process_build_byte_for_byte(
    generated_seeds, tmp_path, monkeypatch, stream_from
):
    import newsarchive.render_partitions as render_partitions

    # 10: partitions go to the workers while the writer is still at work (as on a big archive).
    monkeypatch.setattr(render_partitions, "STREAM_FROM", stream_from)
    alone, alone_report = build(
        generated_seeds, tmp_path, "in-process", "in-process", ON_THE_CLUSTER
    )
    local, local_report = build(generated_seeds, tmp_path, "local", "local", ON_THE_CLUSTER)

    assert alone_report.sections["cluster"]["where"] == "in-process"
    cluster = local_report.sections["cluster"]
    assert cluster["where"] == "local cluster"
    assert cluster["workers"] >= 1
    # The seeds were parsed and the article pages rendered by the cluster's workers.
    parse, render = cluster["tasks"]["parse"], cluster["tasks"]["render"]
    assert all(worker.startswith("tcp://") for worker in [*parse, *render])
    assert sum(render.values()) >= cluster["workers"]
    # Related titles and "More on this" were answered there too: the records sent once,
    # the "More on this" model made by a task there (it never came to the build process).
    for phase in ("related", "similar"):
        assert all(worker.startswith("tcp://") for worker in cluster["tasks"][phase]), phase
    assert cluster["costs"]["related"]["shared_bytes_in"] > 0
    assert cluster["costs"]["similar"]["shared_bytes_in"] == 0
    assert cluster["costs"]["similar"]["made_bytes"] > 0
    assert "related" not in alone_report.sections["cluster"]["tasks"], "never in-process tasks"
    assert local_report.articles_written == alone_report.articles_written > COUNT // 2
    assert_same_site(local, alone)


@pytest.mark.parametrize("scheduler", ["local", "in-process"])
def test_articles_keep_nothing_only_their_page_read_once_it_is_made(
    generated_seeds, tmp_path, scheduler
):
    """Structured data and cards leave the build process's articles when their page is made."""
    from pelican import signals

    left: dict[str, list[str]] = {}

    def after_writing(generator, writer):
        for article in generator.articles:
            kept = [
                name for name in ("jsonld", "open_graph", "twitter_card") if name in vars(article)
            ]
            if kept:
                left[article.source_path] = kept

    signals.article_writer_finalized.connect(after_writing)
    try:
        _, report = build(generated_seeds, tmp_path, scheduler, scheduler, ON_THE_CLUSTER)
    finally:
        signals.article_writer_finalized.disconnect(after_writing)
    assert report.articles_written > COUNT // 2
    assert not left, left


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


def test_an_edit_after_a_cluster_build_renders_its_pages_here_byte_for_byte(
    generated_seeds, tmp_path, monkeypatch
):
    """Auto mode: a big cold build goes to the cluster; a one-seed edit is too little for one."""
    import shutil

    import newsarchive.cluster as cluster

    seeds = tmp_path / "seeds"
    shutil.copytree(generated_seeds, seeds)
    monkeypatch.setattr(cluster, "MIN_LOCAL_ITEMS", 40)  # the 60-seed archive counts as big
    _, cold = build(seeds, tmp_path, "site", None)
    assert cold.sections["cluster"]["where"] == "local cluster"

    edited = next(p for p in sorted(seeds.glob("*.txt")) if b"\nOriginal url:" in p.read_bytes())
    data = edited.read_bytes()
    edited.write_bytes(data.replace(b"\nOriginal url:", b"\nA correction.\n\nOriginal url:", 1))
    output, again = build(seeds, tmp_path, "site", None)
    assert again.sections["cluster"]["where"] == "in-process"  # no cluster for a few pages
    assert 1 <= again.sections["render"]["rendered"] < 10
    alone, _ = build(seeds, tmp_path, "alone", "in-process")
    assert_same_site(output, alone)


@pytest.mark.parametrize("start_from", [1, 0], ids=["started-for-it", "never"])
def test_related_work_made_anew_starts_the_cluster_from_its_threshold(
    generated_seeds, tmp_path, monkeypatch, start_from
):
    """A title edited: the questions sharing its words and "More on this" are asked anew, on a
    cluster started for them (the title index and the model are not made in the build process)."""
    import shutil

    import newsarchive.cluster as cluster

    seeds = tmp_path / "seeds"
    shutil.copytree(generated_seeds, seeds)
    overrides = (("RELATED", {"CLUSTER_FROM": 1, "START_CLUSTER_FROM": start_from}),)
    _, cold = build(seeds, tmp_path, "site", "in-process", overrides)
    assert "similar" not in cold.sections["cluster"]["tasks"]

    monkeypatch.setattr(cluster, "MIN_LOCAL_ITEMS", 40)  # the 60-seed archive counts as big
    edited = next(p for p in sorted(seeds.glob("*.txt")) if p.read_bytes().startswith(b"\n\n# "))
    edited.write_bytes(edited.read_bytes().replace(b"\n\n# ", b"\n\n# Revised: ", 1))
    output, again = build(seeds, tmp_path, "site", None, overrides)
    section = again.sections["cluster"]
    if start_from:
        assert section["where"] == "local cluster"
        assert all(worker.startswith("tcp://") for worker in section["tasks"]["similar"])
        assert section["costs"]["similar"]["made_bytes"] > 0
        assert all(worker.startswith("tcp://") for worker in section["tasks"]["related"])
    else:
        assert section["where"] == "in-process"
        assert "similar" not in section["tasks"] and "related" not in section["tasks"]
    alone, _ = build(seeds, tmp_path, "alone", "in-process", overrides)
    assert_same_site(output, alone)
