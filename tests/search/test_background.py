"""The index built in a worker process is the index built in-process."""

from __future__ import annotations

import dataclasses
import datetime as dt
from array import array
from pathlib import Path

import pytest

import lunr_search.background as background
from lunr_search.documents import number_documents
from lunr_search.index_builder import DEFAULT_BOOSTS, build_index, serialize_for_js
from lunr_search.phrases import KeptPairs, Moves, PairCollector, _encode_codes, decode_occurrences
from lunr_search.sharding import shard_index
from lunr_search.writer import StagedFiles, read_script, render_files, write_files

from .synthetic import synthetic_inputs

SPEC = background.FileSpec(shard_bytes=2_000, docs_per_chunk=7)


@pytest.fixture
def spec(monkeypatch, tmp_path):
    """Every index built in a worker, its kept state and files in ``tmp_path / "cache"``."""
    monkeypatch.setattr(background, "MIN_DOCS", 1)
    return dataclasses.replace(SPEC, analyses_file=str(tmp_path / "cache" / "analyses.pickle"))


def _files(docs):
    """The files made through lunr.py's own index (the reference)."""
    sharded = shard_index(serialize_for_js(build_index(docs, DEFAULT_BOOSTS)), SPEC.shard_bytes)
    return render_files(sharded, docs, SPEC.docs_per_chunk)


def test_worker_build_equals_in_process_build(spec):
    docs = number_documents(synthetic_inputs(60))
    job = background.IndexJob(docs, DEFAULT_BOOSTS, spec)
    assert job._future is not None, "a worker was started"
    built = job.result()
    assert built.files == _files(docs)
    assert built.shard_count > 1 and built.term_count > 100
    built.files.remove()


def test_the_worker_writes_its_files_and_sends_back_only_their_names(spec, tmp_path):
    """No file's bytes come back to the build process: they are moved into place from disk."""
    docs = number_documents(synthetic_inputs(60))
    built = background.IndexJob(docs, DEFAULT_BOOSTS, spec).result()
    assert isinstance(built.files, StagedFiles)
    staged = built.files.folder
    assert staged.parent == tmp_path / "cache"
    assert sorted(p.name for p in staged.iterdir()) == sorted(_files(docs))
    out = tmp_path / "site" / "search"
    (out.parent).mkdir()
    first = write_files(out, built.files)
    assert sorted(first.written) == sorted(_files(docs)) and not first.unchanged
    assert not list(staged.iterdir()), "every file was moved, not copied"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == _files(docs)
    built.files.remove()
    assert not staged.exists()

    again = background.IndexJob(docs, DEFAULT_BOOSTS, spec).result()
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    second = write_files(out, again.files)
    assert second.unchanged == first.written and not second.written
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps, "none rewritten"
    again.files.remove()
    assert not list((tmp_path / "cache").glob("search-files-*"))


def test_files_of_a_job_not_collected_are_removed(spec, tmp_path):
    docs = number_documents(synthetic_inputs(30))
    closed = background.IndexJob(docs, DEFAULT_BOOSTS, spec)
    closed.close()
    abandoned = background.IndexJob(docs, DEFAULT_BOOSTS, spec)
    future = abandoned._future
    abandoned.abandon()
    future.result()  # the worker finished writing; its files are removed when it ends
    abandoned._worker.close()
    assert not list((tmp_path / "cache").glob("search-files-*"))


def test_the_worker_reads_its_documents_from_a_file_it_removes(spec, tmp_path):
    """Nothing of the documents stays in the pool's queue or the job (they travel in a file)."""
    docs = number_documents(synthetic_inputs(30))
    job = background.IndexJob(docs, DEFAULT_BOOSTS, spec)
    assert job._inputs is not None and job._inputs.parent == tmp_path / "cache"
    assert job.result().files == _files(docs)
    assert not list((tmp_path / "cache").glob("search-inputs-*")), "the worker removed it"
    assert job._inputs is None


def test_small_archives_build_in_process():
    docs = number_documents(synthetic_inputs(5))
    job = background.IndexJob(docs, DEFAULT_BOOSTS, SPEC)
    assert job._future is None
    assert job.result().files == _files(docs)


def test_kept_analyses_give_the_same_files_and_follow_an_edit(tmp_path):
    docs = number_documents(synthetic_inputs(40))
    spec = background.FileSpec(
        shard_bytes=SPEC.shard_bytes,
        docs_per_chunk=SPEC.docs_per_chunk,
        analyses_file=str(tmp_path / "analyses.pickle"),
    )
    first = background.search_files(docs, DEFAULT_BOOSTS, spec)
    kept = background.load_kept(tmp_path / "analyses.pickle").analyses
    assert len(kept) == len(docs)
    assert background.search_files(docs, DEFAULT_BOOSTS, spec).files == first.files

    edited = [*docs[:-1], dataclasses.replace(docs[-1], body=docs[-1].body + " zeppelin")]
    rebuilt = background.search_files(edited, DEFAULT_BOOSTS, spec)
    assert rebuilt.files == _files(edited), "the same files as a build from nothing"
    assert rebuilt.files != first.files
    now = background.load_kept(tmp_path / "analyses.pickle").analyses
    assert len(now) == len(docs) and set(now) != set(kept), "the edited document replaced"


def test_kept_word_pairs_give_the_same_files_and_an_edit_analyses_one_document(
    tmp_path, monkeypatch, analysed
):
    docs = number_documents(synthetic_inputs(40))
    spec = background.FileSpec(
        shard_bytes=SPEC.shard_bytes,
        docs_per_chunk=SPEC.docs_per_chunk,
        analyses_file=str(tmp_path / "analyses.pickle"),
        build_key="k1",
    )
    first = background.search_files(docs, DEFAULT_BOOSTS, spec)
    assert len(background.load_kept(tmp_path / "analyses.pickle", "k1").analyses) == len(docs)
    assert not background.load_kept(tmp_path / "analyses.pickle", "k2").analyses, "keyed"

    analysed.clear()
    assert background.search_files(docs, DEFAULT_BOOSTS, spec).files == first.files
    assert analysed == [], "no change: every document's pairs are kept"

    reencoded = []
    real_reencoded = PairCollector.reencoded
    monkeypatch.setattr(
        PairCollector,
        "reencoded",
        lambda self, key, before: reencoded.append(key) or real_reencoded(self, key, before),
    )
    edited = [*docs[:-1], dataclasses.replace(docs[-1], body=docs[-1].body + " zeppelin airship")]
    rebuilt = background.search_files(edited, DEFAULT_BOOSTS, spec)
    assert analysed == [len(docs) - 1], "an edit analyses the edited document's pairs only"
    pairs = sum(
        len(read_script(data)["pairs"]) for name, data in first.files.items() if "pair" in name
    )
    assert 0 < len(reencoded) < pairs / 5, "only the edited document's pairs are encoded again"
    assert rebuilt.files == _files(edited), "the same files as a build from nothing"
    assert rebuilt.files != first.files
    middle = [
        *edited[:10],
        dataclasses.replace(edited[10], title="Zeppelin over Kyiv"),
        *edited[11:],
    ]
    assert background.search_files(middle, DEFAULT_BOOSTS, spec).files == _files(middle)
    long_body = " ".join(f"word{n} other{n * 7}" for n in range(3000))
    longer = [*middle[:5], dataclasses.replace(middle[5], body=long_body), *middle[6:]]
    grew = background.search_files(longer, DEFAULT_BOOSTS, spec)
    assert grew.files == _files(longer), "more pair files than before"
    assert sum("pair" in name for name in grew.files) > sum("pair" in n for n in rebuilt.files)
    assert background.search_files(middle, DEFAULT_BOOSTS, spec).files == _files(middle)
    newest = dataclasses.replace(docs[0], ref=str(len(docs)), date="2099-01-01", url="new.html")
    grown = background.search_files([*middle, newest], DEFAULT_BOOSTS, spec)
    assert grown.files == _files([*middle, newest]), "an article added as the newest"
    assert background.search_files(middle, DEFAULT_BOOSTS, spec).files == _files(middle)
    removed = background.search_files(edited[:-5], DEFAULT_BOOSTS, spec)
    assert removed.files == _files(edited[:-5])
    assert len(background.load_kept(tmp_path / "analyses.pickle", "k1").analyses) == len(docs) - 5

    other_code = dataclasses.replace(spec, build_key="k2")
    analysed.clear()
    assert background.search_files(docs, DEFAULT_BOOSTS, other_code).files == first.files
    assert len(analysed) == len(docs), "another build key never reuses kept pairs"


def test_an_article_added_or_deleted_mid_archive_moves_the_later_documents_pairs(
    tmp_path, monkeypatch, analysed
):
    """Every later document's ref moves by one: its pairs are moved, not collected again."""
    inputs = synthetic_inputs(60)
    docs = number_documents(inputs)
    spec = background.FileSpec(
        shard_bytes=SPEC.shard_bytes,
        docs_per_chunk=SPEC.docs_per_chunk,
        analyses_file=str(tmp_path / "analyses.pickle"),
    )
    background.search_files(docs, DEFAULT_BOOSTS, spec)
    collected_all: list[int] = []
    real_collect_all = PairCollector.collect_all
    monkeypatch.setattr(
        PairCollector,
        "collect_all",
        lambda self: collected_all.append(1) or real_collect_all(self),
    )
    # dated between two articles: ref 25 (synthetic dates rise with the index)
    added = dataclasses.replace(
        inputs[3],
        title="Zeppelin over Patov",
        url="2014/05/added.html",
        date=inputs[25].date - dt.timedelta(minutes=1),
    )
    with_added = number_documents([*inputs, added])
    assert with_added[25].url == "2014/05/added.html"
    expected = {"added": _files(with_added), "deleted": _files(docs)}
    with_oldest = number_documents(
        [*inputs, dataclasses.replace(added, date=inputs[0].date - dt.timedelta(days=1))]
    )
    expected["oldest"] = _files(with_oldest)  # (the reference analyses every document)
    analysed.clear(), collected_all.clear()

    grown = background.search_files(with_added, DEFAULT_BOOSTS, spec)
    assert grown.files == expected["added"], "the same files as a build from nothing"
    assert analysed == [25] and not collected_all, "only the added article analysed"
    deleted = background.search_files(docs, DEFAULT_BOOSTS, spec)
    assert deleted.files == expected["deleted"], "the article deleted again"
    assert analysed == [25] and not collected_all
    oldest = background.search_files(with_oldest, DEFAULT_BOOSTS, spec)
    assert oldest.files == expected["oldest"], "every document one ref further"
    assert analysed == [25, 0] and not collected_all


def test_moves_between_two_builds_documents():
    assert Moves.between(list("abcd"), list("abXcd")) == Moves(2, 2, 3, 4)
    assert Moves.between(list("abXcd"), list("abcd")) == Moves(2, 3, 2, 5)
    assert Moves.between(list("abcd"), list("aXcd")) == Moves(1, 2, 2, 4), "an edit"
    assert Moves.between(list("ab"), list("aab")) == Moves(1, 1, 2, 2), "a repeated document"
    assert Moves.between([], list("ab")) == Moves(0, 0, 2, 0)
    moves = Moves.between(list("abcd"), list("abXYcd"))
    assert moves.doc(1) == 1 and moves.doc(2) == 4 and moves.doc(3) == 5


@pytest.mark.parametrize(
    ("occurrences", "moved"),
    [
        ([(0, 3)], [(0, 3)]),
        ([(5, 3)], [(7, 3)]),
        ([(1, 3), (1, 9), (4, 0), (40000, 2)], [(1, 3), (1, 9), (6, 0), (40002, 2)]),
        ([(4, 1), (4, 2), (9, 0)], [(6, 1), (6, 2), (11, 0)]),
        ([(0, 1), (3, 5)], [(0, 1), (3, 5)]),
    ],
)
def test_a_pair_string_moves_only_its_later_documents(occurrences, moved):
    """Two documents inserted at ref 4: occurrences from ref 4 on are two refs further."""
    moves = Moves(start=4, old_end=4, new_end=6, old_count=50000)
    before = _encode_codes(array("q", [doc << 24 | position for doc, position in occurrences]))
    assert decode_occurrences(moves.shifted(before)) == moved


def test_a_damaged_analyses_file_is_ignored(tmp_path):
    damaged = tmp_path / "analyses.pickle"
    damaged.write_bytes(b"not a pickle")
    assert background.load_kept(damaged) == KeptPairs()


def test_a_warmed_up_worker_builds_the_same_files(monkeypatch, tmp_path):
    docs = number_documents(synthetic_inputs(60))
    monkeypatch.setattr(background, "MIN_DOCS", 1)
    spec = background.FileSpec(
        shard_bytes=SPEC.shard_bytes,
        docs_per_chunk=SPEC.docs_per_chunk,
        analyses_file=str(tmp_path / "analyses.pickle"),
    )
    background.search_files(docs, DEFAULT_BOOSTS, spec)  # leaves analyses to preload
    worker = background.Worker(spec)
    job = background.IndexJob(docs, DEFAULT_BOOSTS, spec, worker)
    assert job._worker is worker
    assert job.result().files == _files(docs)
    assert worker.pool is None, "the worker is stopped with its job"


def test_a_warmed_up_worker_is_stopped_when_the_index_is_small():
    worker = background.Worker()
    job = background.IndexJob(number_documents(synthetic_inputs(5)), DEFAULT_BOOSTS, SPEC, worker)
    assert job._future is None and worker.pool is None


def test_staged_files_are_copied_across_file_systems(tmp_path, monkeypatch):
    """Without a cache folder the files wait in the system's temporary folder, maybe another disk."""
    import errno
    import os

    import lunr_search.writer as writer

    staged = writer.stage_files(tmp_path / "staged", {"shard-000.js": b"one", "docs-000.js": b"2"})

    real_replace = os.replace

    def across(source, target):  # os.replace of a staged file: another disk
        if Path(source).parent == staged.folder:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", across)
    result = write_files(tmp_path / "out", staged)
    assert sorted(result.written) == ["docs-000.js", "shard-000.js"]
    assert (tmp_path / "out" / "shard-000.js").read_bytes() == b"one"
    staged.remove()
    assert not (tmp_path / "staged").exists()
