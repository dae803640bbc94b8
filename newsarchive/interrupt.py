"""Ctrl-C stops the build process, never the workers it started.

A terminal sends Ctrl-C's SIGINT to its whole foreground process group: the
search index worker and a local cluster's workers would each die printing a
traceback of their own while the build process shuts them down anyway.  While
:func:`interrupts_here_only` is active, SIGINT is blocked (a signal mask every
child process inherits, across ``exec`` too, so they never see it) and a
thread waits for it: it raises ``KeyboardInterrupt`` in the main thread as the
signal would have, waking it from a blocking wait with a second signal, and
the build unwinds and stops its workers.
"""

from __future__ import annotations

import _thread
import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Iterator
from multiprocessing import resource_tracker
from typing import Any

#: Wakes the main thread from a blocking wait (a lock, a sleep) once Ctrl-C was seen.
WAKE = signal.SIGUSR1


@contextlib.contextmanager
def interrupts_here_only() -> Iterator[None]:
    """Ctrl-C raises ``KeyboardInterrupt`` in this process's main thread alone (see the module)."""
    if (
        threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "sigwait")
        or signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None)
    ):
        yield  # only the main thread (on POSIX) sets this up; an ignored Ctrl-C stays ignored
        return
    previous_wake = signal.signal(WAKE, _wake)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    ready, done = threading.Event(), threading.Event()
    main_thread = threading.get_ident()
    watcher = threading.Thread(
        target=_watch, args=(ready, done, main_thread), name="ctrl-c", daemon=True
    )
    watcher.start()
    try:
        yield
    finally:
        done.set()
        ready.wait()  # SIGINT blocked in the watcher again: this one ends its wait
        signal.pthread_kill(watcher.ident, signal.SIGINT)
        watcher.join()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(WAKE, previous_wake)


def _watch(ready: threading.Event, done: threading.Event, main_thread: int) -> None:
    # multiprocessing's resource tracker unblocks SIGINT in the thread that starts it
    # (the first worker pool would start it in the main thread, seconds from now):
    # started here, it leaves the main thread's mask alone and costs it nothing.
    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    # A Ctrl-C this thread took meanwhile went to Python's own handler: wake the
    # main thread so that it is raised there now (a wake for nothing does no harm).
    signal.pthread_kill(main_thread, WAKE)
    ready.set()
    while True:
        signal.sigwait({signal.SIGINT})
        if done.is_set():
            return
        _thread.interrupt_main()
        signal.pthread_kill(main_thread, WAKE)


def _wake(signum: int, frame: Any) -> None:
    """Nothing to do: the signal only ends a blocking wait, so the pending interrupt is raised."""


def stop_workers(timeout: float = 5.0) -> None:
    """End the worker processes an interrupted build leaves (e.g. the search index's).

    They never saw Ctrl-C; left alone, the interpreter would wait at exit for
    the work they were given.
    """
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout)
