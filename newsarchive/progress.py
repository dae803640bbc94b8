"""A progress display for long builds: counts and rate for each stage.

Fed by :data:`PROGRESS`, a named blinker signal, so no plugin knows about
the display: the seed reader sends it for its parallel parse, the articles
generator for each article page, written or found unchanged (Pelican's
``article_generator_write_article`` is sent only for pages to write).  Drawn
with rich on Pelican's own console, so warnings print above the bars instead
of through them.  Nothing is drawn when the console is not a terminal (CI,
pipes, the test suite) or with ``--quiet``; the build report ends with the
phase timings either way.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import blinker
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

#: ``PROGRESS.send(sender, stage="Parsing seeds", done=n, total=N)``: plugins report here.
PROGRESS = blinker.signal("archive.progress")


class _Rate(TextColumn):
    """Items per second of a task."""

    def __init__(self) -> None:
        super().__init__("")

    def render(self, task: Any) -> Any:
        speed = task.finished_speed or task.speed
        return super().render(task) if speed is None else f"{speed:,.0f}/s"


class BuildProgress:
    """Progress bars for one build, shown only on a terminal and when not quiet."""

    def __init__(self, console: Console | None = None, *, quiet: bool = False) -> None:
        if console is None:
            from pelican.log import console as pelican_console

            console = pelican_console
        self.enabled = not quiet and console.is_terminal
        self.console = console
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> BuildProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("{task.description:<20}"),
                BarColumn(),
                MofNCompleteColumn(),
                _Rate(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=self.console,
            )
            self._progress.start()
            PROGRESS.connect(self.on_progress)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            PROGRESS.disconnect(self.on_progress)
            self._progress.stop()
            self._progress = None

    def update(self, stage: str, done: int, total: int | None) -> None:
        """Show ``done`` of ``total`` for ``stage`` (a new bar the first time)."""
        if self._progress is None:
            return
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)

    def on_progress(self, sender: Any, **kwargs: Any) -> None:
        """:data:`PROGRESS` receiver."""
        self.update(str(kwargs["stage"]), int(kwargs["done"]), kwargs.get("total"))
