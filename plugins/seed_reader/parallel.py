"""Parse many seeds at once on every core (the parser is pure, results are picklable).

Pelican reads files one by one; on a cold build of a large archive the parser
dominates that phase.  Parsing ahead in worker processes and handing the
results to the reader halves it on two cores.  Only data problems
(:class:`SeedError`) travel back as results: anything unexpected is left for
the reader to hit again in the main process, where it is reported as a bug
with its file and traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import site
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .parser import Seed, SeedError, parse_seed_bytes

#: Below this many files a pool costs more than it saves.
MIN_FILES = 400
CHUNK_SIZE = 32


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def parse_one(path: str, site_names: dict[str, str]) -> Seed | SeedError | None:
    """Parse one file: a Seed, a SeedError, or None for anything else (left to the reader)."""
    try:
        return parse_seed_bytes(Path(path).read_bytes(), site_names=site_names)
    except SeedError as exc:
        return exc
    except Exception:
        return None


def parse_files(
    paths: Iterable[str],
    site_names: dict[str, str],
    workers: int,
    min_files: int = MIN_FILES,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Seed | SeedError]:
    """Parse ``paths`` in ``workers`` processes; empty when not worth a pool.

    ``on_progress(done, total)`` is called as results come in (once per chunk).
    """
    todo = sorted(paths)
    if workers <= 1 or len(todo) < min_files:
        return {}
    # forkserver, not fork: the caller may run threads (a dev server, a browser driver).
    context = multiprocessing.get_context("forkserver")
    results: dict[str, Seed | SeedError] = {}
    # Workers import this package by name: give them the folder it lives in
    # (Pelican puts plugin folders on sys.path only while loading plugins).
    plugin_folder = str(Path(__file__).resolve().parent.parent)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=site.addsitedir,
        initargs=(plugin_folder,),
    ) as pool:
        names = [site_names] * len(todo)
        for done, (path, result) in enumerate(
            zip(todo, pool.map(parse_one, todo, names, chunksize=CHUNK_SIZE), strict=True),
            start=1,
        ):
            if result is not None:
                results[path] = result
            if on_progress is not None and (done % CHUNK_SIZE == 0 or done == len(todo)):
                on_progress(done, len(todo))
    return results
