"""CPU time of each build phase, for this process and its worker processes together.

Wall time alone cannot tell a phase that kept every core busy from one that
ran on one core while the others waited.  At the end of each phase (the same
signals the build runner times phases by) the CPU seconds used so far by the
build process, its live descendants (a local cluster's workers, the search
worker) and its reaped children are read with psutil; the report's ``cpu``
section gives each phase's CPU seconds and ``cores_busy`` (CPU seconds per
wall second: 2.0 is two cores busy throughout).  A remote cluster's workers
are not on this machine and not counted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import psutil

logger = logging.getLogger(__name__)


def own_and_children_seconds(process: psutil.Process) -> tuple[float, float]:
    """CPU seconds of ``process`` itself, and of its live descendants plus its reaped children."""
    times = process.cpu_times()
    children = times.children_user + times.children_system
    with contextlib.suppress(psutil.Error):
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child_times = child.cpu_times()
                children += child_times.user + child_times.system
    return times.user + times.system, children


class PhaseCpu:
    """Reads CPU time at each phase's end signal; logs the report's ``cpu`` section on exit."""

    def __init__(self, phase_ends: Iterable[tuple[Any, str]]) -> None:
        self.phase_ends = list(phase_ends)
        self.process = psutil.Process(os.getpid())
        self.marks: dict[str, tuple[float, float]] = {}
        self._receivers: list[tuple[Any, Any]] = []
        self._start = (0.0, 0.0)
        self._children_high = 0.0

    def cpu_seconds(self) -> float:
        """CPU seconds of the build's process tree so far (never less than at the last reading).

        A child that has exited but is not yet reaped is in neither count for a
        moment: the children's part is held at its highest reading meanwhile.
        """
        own, children = own_and_children_seconds(self.process)
        self._children_high = max(self._children_high, children)
        return own + self._children_high

    def __enter__(self) -> PhaseCpu:
        self._start = (time.perf_counter(), self.cpu_seconds())
        for signal, phase in self.phase_ends:
            receiver = self._marker(phase)
            signal.connect(receiver)
            self._receivers.append((signal, receiver))
        return self

    def _marker(self, phase: str) -> Any:
        def mark(sender: Any, **kwargs: Any) -> None:
            if phase not in self.marks:
                self.marks[phase] = (time.perf_counter(), self.cpu_seconds())

        return mark

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for signal, receiver in self._receivers:
            signal.disconnect(receiver)
        self._receivers.clear()
        logger.info(
            "CPU per phase",
            extra={"report_section": "cpu", "report_data": self.per_phase()},
        )

    def per_phase(self) -> dict[str, dict[str, float]]:
        """Each finished phase: wall seconds, CPU seconds and cores busy on average."""
        phases: dict[str, dict[str, float]] = {}
        previous = self._start
        for _, phase in self.phase_ends:
            if phase not in self.marks:
                continue
            wall_end, cpu_end = self.marks[phase]
            wall = wall_end - previous[0]
            cpu = cpu_end - previous[1]
            phases[phase] = {
                "seconds": round(wall, 3),
                "cpu_seconds": round(cpu, 3),
                "cores_busy": round(cpu / wall, 2) if wall > 0 else 0.0,
            }
            previous = (wall_end, cpu_end)
        return phases
