"""Build the lunr index and its files in another process while Pelican works.

Index building, sharding and rendering the data files is pure CPU work over
plain data (``SearchDoc`` values in, file bytes out), so on a multi-core
machine it runs beside related links and page rendering instead of after
them.  The worker hands back bytes, not the index: a few megabytes to copy
instead of a nested dict of millions of entries to pickle.  Writing stays in
the build process, after Pelican's writer has prepared the output folder.
Small archives build in-process: starting a worker costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import pickle
import site
import time
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .documents import SearchDoc
from .index_builder import Analysis, build_index, serialize_for_js
from .sharding import shard_index
from .writer import render_files

#: Below this many documents the index is built in-process.
MIN_DOCS = 500


def serialized_index(
    docs: list[SearchDoc],
    boosts: Mapping[str, float],
    analyses: dict[str, Analysis] | None = None,
) -> dict[str, Any]:
    """Build the index and return lunr.js's serialised form of it."""
    return serialize_for_js(build_index(docs, dict(boosts), analyses=analyses))


def load_analyses(path: Path | None) -> dict[str, Analysis]:
    """Document analyses kept by the last build (our own cache file), or none."""
    if path is None:
        return {}
    try:
        with path.open("rb") as stream:
            saved = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def save_analyses(path: Path | None, analyses: dict[str, Analysis]) -> None:
    """Keep this build's document analyses for the next build (atomically)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as stream:
        pickle.dump(analyses, stream, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


@dataclass(frozen=True)
class FileSpec:
    """How the index is cut into files (see ``writer.render_files``)."""

    shard_bytes: int
    docs_per_chunk: int
    unattributed: str = "Unattributed"
    #: Where tokenised documents are kept between builds (None: not kept).  An
    #: edit re-analyses one document instead of all; the index is the same.
    analyses_file: str | None = None


@dataclass(frozen=True)
class SearchFiles:
    """The rendered search files and what the build log says of them."""

    files: dict[str, bytes]
    term_count: int
    shard_count: int
    index_seconds: float
    files_seconds: float


#: Analyses a warmed-up worker loaded before its documents arrived: (file, analyses).
_preloaded: tuple[str, dict[str, Analysis]] | None = None


def warm_up(analyses_file: str | None) -> bool:
    """In a fresh worker: import the index code and load the kept analyses, ahead of time."""
    global _preloaded
    if analyses_file:
        _preloaded = (analyses_file, load_analyses(Path(analyses_file)))
    return True


def search_files(docs: list[SearchDoc], boosts: Mapping[str, float], spec: FileSpec) -> SearchFiles:
    """Index ``docs`` and render every search data file (manifest, shards, docs chunks)."""
    global _preloaded
    started = time.perf_counter()
    cache = Path(spec.analyses_file) if spec.analyses_file else None
    if _preloaded is not None and _preloaded[0] == spec.analyses_file:
        analyses = _preloaded[1]
    else:
        analyses = load_analyses(cache)
    _preloaded = None
    serialized = serialized_index(docs, boosts, analyses)
    save_analyses(cache, analyses)
    indexed = time.perf_counter()
    sharded = shard_index(serialized, spec.shard_bytes)
    files = render_files(sharded, docs, spec.docs_per_chunk, spec.unattributed)
    return SearchFiles(
        files=files,
        term_count=len(serialized["invertedIndex"]),
        shard_count=len(sharded.shards),
        index_seconds=indexed - started,
        files_seconds=time.perf_counter() - indexed,
    )


def worth_a_worker(documents: int) -> bool:
    """Whether an index of this many documents is built in a worker process."""
    return documents >= MIN_DOCS and (multiprocessing.cpu_count() or 1) > 1


class Worker:
    """A worker process, started early (while seeds are read) to be ready for the index.

    Starting one (a fresh interpreter, the index code, the kept analyses) takes
    about a second; started when the build starts, that second overlaps reading.
    """

    def __init__(self, analyses_file: str | None = None) -> None:
        # forkserver, not fork: the build may run beside threads (a dev server,
        # a browser driver); workers import this package from its folder.
        self.pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=site.addsitedir,
            initargs=(str(Path(__file__).resolve().parent.parent),),
        )
        self.pool.submit(warm_up, analyses_file)

    def close(self) -> None:
        """Stop the worker (cancelling what it has not started)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class IndexJob:
    """One index build, in a worker process when the archive is big enough."""

    def __init__(
        self,
        docs: list[SearchDoc],
        boosts: Mapping[str, float],
        spec: FileSpec,
        worker: Worker | None = None,
    ) -> None:
        """Start the build; ``worker`` is a warmed-up worker to use (else one is started)."""
        self.docs = docs
        self.boosts = dict(boosts)
        self.spec = spec
        self._worker: Worker | None = None
        self._future: Future[SearchFiles] | None = None
        if worth_a_worker(len(docs)):
            self._worker = worker or Worker(spec.analyses_file)
            assert self._worker.pool is not None
            self._future = self._worker.pool.submit(search_files, docs, self.boosts, spec)
        elif worker is not None:
            worker.close()

    def result(self) -> SearchFiles:
        """The search files (waits for the worker; re-raises its exception)."""
        if self._future is None:
            return search_files(self.docs, self.boosts, self.spec)
        try:
            return self._future.result()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker, if any."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None
