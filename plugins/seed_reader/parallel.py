"""Parse the seeds in partitions, as tasks of the build's task runner (the parser is pure).

Pelican reads files one by one; on a cold build of a large archive the parser
dominates that phase.  The build runner offers a task runner on the
``archive.cluster`` signal (``newsarchive.cluster``: in-process for small
work, a local Dask cluster of one worker per core, or a remote cluster): the
seeds are cut into partitions of paths, each task reads and parses its own
files and returns their records, and the reader hands them to Pelican.

Only data problems (:class:`SeedError`) travel back as results: anything
unexpected is left for the reader to hit again in the build process, where it
is reported as a bug with its file and traceback.  Without a cluster (a small
archive, or outside a build), nothing is parsed ahead: the reader parses each
file itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import blinker

from sitewide.parts import contiguous_parts

from .parser import Seed, SeedError, parse_seed_bytes

#: ``CLUSTER.send(sender, items=n)``: the build runner answers with a task runner.
CLUSTER = blinker.signal("archive.cluster")


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


def parse_partition(
    paths: list[str], site_names: dict[str, str]
) -> tuple[int, dict[str, Seed | SeedError]]:
    """The task: one partition's files parsed (paths in, records out; bugs left out).

    Returns how many files it read, and the records by path.
    """
    results: dict[str, Seed | SeedError] = {}
    for path in paths:
        result = parse_one(path, site_names)
        if result is not None:
            results[path] = result
    return len(paths), results


def task_runner(items: int) -> Any | None:
    """The build's task runner for ``items`` of work, or None outside a build."""
    for _receiver, runner in CLUSTER.send(__name__, items=items):
        if runner is not None:
            return runner
    return None


def cut(items: list[str], workers: int, *, per_worker: int = 4, most: int = 256) -> list[list[str]]:
    """``items`` in contiguous partitions: a few per worker, none above ``most`` items.

    Several partitions per worker keep every worker busy to the end without
    paying for a task per file.
    """
    count = max(workers * per_worker, -(-len(items) // most))
    return contiguous_parts(items, count)


def parse_files(
    paths: Iterable[str],
    site_names: dict[str, str],
    workers: int,
    on_progress: Callable[[int, int], None] | None = None,
    keep: Callable[[Seed], Seed] | None = None,
) -> dict[str, Seed | SeedError]:
    """Parse ``paths`` in partitions on the build's task runner; empty outside a build.

    ``workers`` is the reader's setting: 1 leaves every file to the reader.
    ``on_progress(done, total)`` is called as partitions come in; ``keep`` is
    applied to each record as its partition comes in (before the next arrives).
    """
    todo = sorted(paths)
    runner = task_runner(len(todo)) if todo and workers > 1 else None
    if runner is None or runner.client is None:
        return {}  # no cluster: the reader parses each file as Pelican asks for it
    results: dict[str, Seed | SeedError] = {}
    done = 0
    for read, parsed in runner.map(
        parse_partition, cut(todo, runner.workers), site_names, phase="parse"
    ):
        if keep is not None:
            parsed = {
                path: keep(seed) if isinstance(seed, Seed) else seed
                for path, seed in parsed.items()
            }
        results.update(parsed)
        done += read
        if on_progress is not None:
            on_progress(done, len(todo))
    return results
