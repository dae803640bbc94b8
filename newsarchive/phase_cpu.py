"""CPU time of each build phase, for this process and its worker processes together.

Wall time alone cannot tell a phase that kept every core busy from one that
ran on one core while the others waited.  At the end of each phase (the same
signals the build runner times phases by) the CPU seconds used so far by the
build process, its live worker processes (a local cluster's workers, the
search worker) and its reaped children are read; the report's ``cpu``
section gives each phase's CPU seconds and ``cores_busy`` (CPU seconds per
wall second: 2.0 is two cores busy throughout).  A remote cluster's workers
are not on this machine and not counted.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any

logger = logging.getLogger(__name__)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux ``/proc``; 0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stream:
            fields = stream.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_and_children_seconds() -> tuple[float, float]:
    """CPU seconds of this process, and of its live worker processes plus its reaped children.

    The worker processes (a local cluster's, the search index's) are this
    process's ``multiprocessing`` children; reading ``/proc`` directly keeps
    the cost of a reading (and of the build's imports) near nothing.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    live = sum(process_cpu_seconds(child.pid) for child in multiprocessing.active_children())
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, live + reaped.ru_utime + reaped.ru_stime


class PhaseCpu:
    """Reads CPU time at each phase's end signal; logs the report's ``cpu`` section on exit."""

    def __init__(self, phase_ends: Iterable[tuple[Any, str]]) -> None:
        self.phase_ends = list(phase_ends)
        self.marks: dict[str, tuple[float, float]] = {}
        self._receivers: list[tuple[Any, Any]] = []
        self._start = (0.0, 0.0)
        self._children_high = 0.0

    def cpu_seconds(self) -> float:
        """CPU seconds of the build's process tree so far (never less than at the last reading).

        A child that has exited but is not yet reaped is in neither count for a
        moment: the children's part is held at its highest reading meanwhile.
        """
        own, children = own_and_children_seconds()
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
