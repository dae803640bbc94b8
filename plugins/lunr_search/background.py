"""Build the lunr index and its files in another process while Pelican works.

Index building, sharding and rendering the data files is pure CPU work over
plain data (``SearchDoc`` values in, file bytes out), so on a multi-core
machine it runs beside related links and page rendering instead of after
them.  The worker writes the files into a staging folder of the job's and
hands back their names (``writer.StagedFiles``), not the index (a nested dict
of millions of entries to pickle) nor the bytes (half a gigabyte at 100,000
articles).  Putting them in place stays in the build process, after Pelican's
writer has prepared the output folder.
Small archives build in-process: starting a worker costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import site
import tempfile
import time
from collections.abc import Iterable, Mapping, MutableMapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from sitewide import pickling
from sitewide.state import load_keyed, save_keyed

from .documents import INDEX_FIELDS, SearchDoc
from .phrases import KeptPairs, PairCollector
from .postings import weigh
from .writer import StagedFiles, render_files

#: Below this many documents the index is built in-process.
MIN_DOCS = 500


def load_kept(path: Path | None, key: str = "") -> KeptPairs:
    """The documents' analyses kept by the last build under ``key`` (the build key), or none."""
    saved = load_keyed(path, key)
    try:
        return KeptPairs(**saved) if isinstance(saved, dict) else KeptPairs()
    except TypeError:  # kept by other code with other fields (the build key says so too)
        return KeptPairs()


def save_kept(path: Path | None, key: str, kept: KeptPairs) -> None:
    """Keep this build's analyses (plain data, not our class) for the next build."""
    save_keyed(path, key, dict(vars(kept)))


@dataclass(frozen=True)
class FileSpec:
    """How the index is cut into files (see ``writer.render_files``)."""

    shard_bytes: int
    docs_per_chunk: int
    unattributed: str = "Unattributed"
    #: Where the documents' analyses (each field's terms and their word pairs,
    #: ``phrases.KeptPairs``) are kept between builds (None: not kept). An edit
    #: analyses one document instead of all; the files are the same.
    analyses_file: str | None = None
    #: The build key (``settings["BUILD_KEY"]``): what another key kept is never used.
    build_key: str = ""


@dataclass(frozen=True)
class SearchFiles:
    """The rendered search files and what the build log says of them."""

    #: Name to bytes; from a worker, a ``writer.StagedFiles`` (remove it once written).
    files: Mapping[str, bytes]
    term_count: int
    shard_count: int
    index_seconds: float
    files_seconds: float


def kept_for(spec: FileSpec) -> KeptPairs:
    """Load what the last build with this build key kept (empty when nothing was)."""
    return load_kept(_path(spec.analyses_file), spec.build_key)


def _path(name: str | None) -> Path | None:
    return Path(name) if name else None


#: What a warmed-up worker loaded before its documents arrived: (spec, kept).
_preloaded: tuple[FileSpec, KeptPairs] | None = None


def warm_up(spec: FileSpec | None) -> bool:
    """In a fresh worker: import the index code and load the kept state, ahead of time."""
    global _preloaded
    if spec is not None:
        _preloaded = (spec, kept_for(spec))
    return True


def search_files(
    docs: Iterable[SearchDoc],
    boosts: Mapping[str, float],
    spec: FileSpec,
    files: MutableMapping[str, bytes] | None = None,
) -> SearchFiles:
    """Index ``docs`` and render every search data file (manifest, shards, docs chunks).

    The documents are read once, in order, and not held: each is analysed for
    the index and its word pairs as it comes, and only its display fields are
    kept (its text is most of it: 0.7 GB at 100,000 articles). The files are
    put into ``files`` (a dict by default) as they are made.
    """
    global _preloaded
    started = time.perf_counter()
    preloaded, _preloaded = _preloaded, None
    kept = preloaded[1] if preloaded is not None and preloaded[0] == spec else kept_for(spec)
    pairs = PairCollector(INDEX_FIELDS, kept)
    shown: list[SearchDoc] = []
    for ref, doc in enumerate(docs):
        pairs.feed(ref, doc.index_record())
        shown.append(doc.without_text())
    index = weigh(pairs, boosts)
    indexed = time.perf_counter()
    made = render_files(
        index.sharded(spec.shard_bytes),
        shown,
        spec.docs_per_chunk,
        spec.unattributed,
        kept,
        pairs=pairs,
        files={} if files is None else files,
    )
    save_kept(_path(spec.analyses_file), spec.build_key, kept)
    return SearchFiles(
        files=made,
        term_count=len(index.terms),
        shard_count=sum(name.startswith("shard-") for name in made),
        index_seconds=indexed - started,
        files_seconds=time.perf_counter() - indexed,
    )


def _state_folder(spec: FileSpec) -> Path | None:
    """Where the job's files go: beside the kept state (the system's temporary folder if none)."""
    folder = Path(spec.analyses_file).parent if spec.analyses_file else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_inputs(docs: list[SearchDoc], boosts: dict[str, float], spec: FileSpec) -> Path:
    """The worker's inputs in a file of their own (the worker reads and removes it).

    Pickled as they are, every article's text would keep a UTF-8 copy in this
    process (``sitewide.pickling``), and the pool's queue keeps the last message
    it sent until it sends another: in a file, this process holds neither.  They
    are pickled a few hundred documents at a time (``pickling.dump_items``).
    """
    handle, name = tempfile.mkstemp(
        prefix="search-inputs-", suffix=".pickle", dir=_state_folder(spec)
    )
    with os.fdopen(handle, "wb") as file:
        pickling.dump_items(chain([boosts, spec], docs), file)
    return Path(name)


def search_files_from(path: str, staging: str) -> SearchFiles:
    """:func:`search_files` of the inputs :func:`_write_inputs` left in ``path`` (removed).

    The documents are read from the file as they are indexed, a few hundred at
    a time; the files are written into the folder ``staging``, their names sent back.
    """
    inputs = Path(path)
    try:
        with open(inputs, "rb") as file:
            items = pickling.load_items(file)
            boosts, spec = next(items), next(items)
            return search_files(items, boosts, spec, StagedFiles(Path(staging)))
    finally:
        inputs.unlink(missing_ok=True)


def worth_a_worker(documents: int) -> bool:
    """Whether an index of this many documents is built in a worker process."""
    return documents >= MIN_DOCS and (multiprocessing.cpu_count() or 1) > 1


class Worker:
    """A worker process, started early (while seeds are read) to be ready for the index.

    Starting one (a fresh interpreter, the index code, the kept analyses) takes
    about a second; started when the build starts, that second overlaps reading.
    """

    def __init__(self, kept: FileSpec | None = None) -> None:
        """Start the worker; it loads what ``kept`` names as kept by the last build."""
        # forkserver, not fork: the build may run beside threads (a dev server,
        # a browser driver); workers import this package from its folder.
        self.pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=site.addsitedir,
            initargs=(str(Path(__file__).resolve().parent.parent),),
        )
        self.pool.submit(warm_up, kept)

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
        """Start the build; ``worker`` is a warmed-up worker to use (else one is started).

        Handed to a worker, the documents are not kept here (every article's text).
        """
        self.docs: list[SearchDoc] | None = docs
        self.boosts = dict(boosts)
        self.spec = spec
        self._worker: Worker | None = None
        self._future: Future[SearchFiles] | None = None
        self._inputs: Path | None = None
        self._staging: Path | None = None
        if worth_a_worker(len(docs)):
            self._worker = worker or Worker(spec)
            assert self._worker.pool is not None
            self._inputs = _write_inputs(docs, self.boosts, spec)
            self._staging = Path(tempfile.mkdtemp(prefix="search-files-", dir=_state_folder(spec)))
            self._future = self._worker.pool.submit(
                search_files_from, str(self._inputs), str(self._staging)
            )
            self.docs = None
        elif worker is not None:
            worker.close()

    def result(self) -> SearchFiles:
        """The search files (waits for the worker; re-raises its exception).

        From a worker, ``files`` is a ``writer.StagedFiles``: the caller removes it.
        """
        if self._future is None:
            if self.docs is None:
                raise RuntimeError("lunr_search: an abandoned index job has no result")
            return search_files(self.docs, self.boosts, self.spec)
        try:
            built = self._future.result()
            self._staging = None  # the caller's now
            return built
        finally:
            self.close()

    def abandon(self) -> None:
        """Let the job run out without waiting, its files removed when it ends."""
        future, staging = self._future, self._staging
        self._future = self._staging = None
        if future is not None and staging is not None:
            future.add_done_callback(lambda _: shutil.rmtree(staging, ignore_errors=True))

    def close(self) -> None:
        """Stop the worker, if any (and remove inputs it did not read, files not handed out)."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        if self._inputs is not None:
            self._inputs.unlink(missing_ok=True)
            self._inputs = None
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
