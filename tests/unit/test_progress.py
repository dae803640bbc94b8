"""Progress bars: drawn on a terminal from the signals, never otherwise."""

from __future__ import annotations

import io

from rich.console import Console

from newsarchive.progress import PROGRESS, BuildProgress


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    stream = io.StringIO()
    return Console(file=stream, force_terminal=terminal, width=100), stream


def _feed(progress: BuildProgress) -> None:
    PROGRESS.send("test", stage="Parsing seeds", done=64, total=128)
    PROGRESS.send("test", stage="Rendering articles", done=2, total=4)


def _listens(progress: BuildProgress) -> bool:
    return any(
        getattr(ref, "__self__", None) is progress or _deref(ref) == progress.on_progress
        for ref in PROGRESS.receivers.values()
    )


def _deref(ref):
    return ref() if callable(ref) else ref


def test_bars_show_counts_for_each_stage_on_a_terminal():
    console, stream = _console(terminal=True)
    with BuildProgress(console) as progress:
        assert _listens(progress)
        _feed(progress)
    assert not _listens(progress)
    shown = stream.getvalue()
    assert "Parsing seeds" in shown and "64/128" in shown
    assert "Rendering articles" in shown and "2/4" in shown


def test_nothing_is_drawn_off_a_terminal_or_when_quiet():
    for terminal, quiet in ((False, False), (True, True)):
        console, stream = _console(terminal)
        with BuildProgress(console, quiet=quiet) as progress:
            assert not _listens(progress)
            _feed(progress)
        assert stream.getvalue() == "", (terminal, quiet)


def test_our_signal_reaches_nobody_after_the_build():
    console, stream = _console(terminal=True)
    with BuildProgress(console):
        pass
    written = stream.getvalue()
    PROGRESS.send("test", stage="Parsing seeds", done=1, total=2)
    assert stream.getvalue() == written
