"""Build the lunr index in another process while Pelican renders pages.

Index building is pure CPU work over plain data (``SearchDoc`` values in,
a serialisable dict out), so on a multi-core machine it can run beside page
rendering instead of after it.  Small archives build in-process: starting a
worker costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import site
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .documents import SearchDoc
from .index_builder import build_index, serialize_for_js

#: Below this many documents the index is built in-process.
MIN_DOCS = 500


def serialized_index(docs: list[SearchDoc], boosts: Mapping[str, float]) -> dict[str, Any]:
    """Build the index and return lunr.js's serialised form of it."""
    return serialize_for_js(build_index(docs, dict(boosts)))


class IndexJob:
    """One index build, in a worker process when the archive is big enough."""

    def __init__(self, docs: list[SearchDoc], boosts: Mapping[str, float]) -> None:
        self.docs = docs
        self.boosts = dict(boosts)
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[dict[str, Any]] | None = None
        if len(docs) >= MIN_DOCS and (multiprocessing.cpu_count() or 1) > 1:
            # forkserver, not fork: the build may run beside threads (a dev server,
            # a browser driver); workers import this package from its folder.
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=site.addsitedir,
                initargs=(str(Path(__file__).resolve().parent.parent),),
            )
            self._future = self._pool.submit(serialized_index, docs, self.boosts)

    def result(self) -> dict[str, Any]:
        """The serialised index (waits for the worker; re-raises its exception)."""
        if self._future is None:
            return serialized_index(self.docs, self.boosts)
        try:
            return self._future.result()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker, if any."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
