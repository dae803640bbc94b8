"""Run ``python -m newsarchive`` and kill it at a chosen point (a test helper, run as a script).

    python -m tests.hostile.interrupt {sync|page|read} N {KILL|INT} -- build --seeds ...

``sync N``: the process signals itself just before the Nth file operation of
the sync into the output (copy, replace, unlink, rmdir, makedirs; the
manifest's replacements included, in ``sitewide.state`` too); ``page N``: when Pelican has written its
Nth file into the staging folder; ``read N``: when the Nth seed has been read.
``KILL`` is SIGKILL (nothing runs after it), ``INT`` is Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
import types
from typing import Any

from pelican import signals

import newsarchive.sync as sync
import plugins.sitewide.state as state
from newsarchive.__main__ import main

_count = 0


def _arm(limit: int, signum: int) -> Any:
    def tick(*args: Any, **kwargs: Any) -> None:
        global _count
        _count += 1
        if _count >= limit:
            os.kill(os.getpid(), signum)
            # The build's Ctrl-C watcher (newsarchive/interrupt.py) raises KeyboardInterrupt
            # in this thread: here, while it waits, not a few file operations later.
            time.sleep(10)

    return tick


def _counted(module: types.ModuleType, names: tuple[str, ...], tick: Any) -> types.SimpleNamespace:
    """A stand-in for ``module`` whose ``names`` call ``tick`` first."""

    def wrap(function: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            tick()
            return function(*args, **kwargs)

        return counted

    namespace = types.SimpleNamespace(**{k: getattr(module, k) for k in dir(module)})
    for name in names:
        setattr(namespace, name, wrap(getattr(module, name)))
    return namespace


def run(point: str, limit: int, how: str, argv: list[str]) -> int:
    """Build with ``argv``, signalling this process at ``point`` number ``limit``."""
    tick = _arm(limit, signal.SIGKILL if how == "KILL" else signal.SIGINT)
    if point == "sync":
        sync.os = _counted(os, ("replace", "unlink", "rmdir", "makedirs"), tick)  # type: ignore[assignment]
        sync.shutil = _counted(shutil, ("copyfile",), tick)  # type: ignore[assignment]
        # the sync's files and its manifest replace their old versions through sitewide.state
        state.os = _counted(os, ("replace", "makedirs"), tick)  # type: ignore[assignment]
    elif point == "page":
        signals.content_written.connect(tick, weak=False)
    else:
        signals.article_generator_context.connect(tick, weak=False)
    return main(argv)


if __name__ == "__main__":
    point, limit, how, separator, *rest = sys.argv[1:]
    assert separator == "--"
    sys.exit(run(point, int(limit), how, rest))
