"""Give the C allocator's free pages back to the system while the build runs.

Python frees what the build no longer needs, but glibc's allocator keeps the
pages: a freed text between two live objects leaves a hole no later allocation
of another size fills. Over a 10,000-article build the build process kept
150-200 MB it had freed (the related phase's title index and answers, every
page's render variables pickled for a worker), and its peak counted them.
``malloc_trim(0)`` hands whole free pages back, holes included; it walks the
heap (40 ms for 700 MB), so it runs when a phase ends and, while pages render,
each time the process has grown by a step since the last one.

Elsewhere (another C library, another system) nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import time
from collections.abc import Callable

#: Grown by this much (or by a sixteenth of its size, if more) since the last trim: trim.
STEP_BYTES = 64 * 1024 * 1024

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Glibc's ``malloc_trim``, or None where there is none."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def resident_bytes() -> int:
    """The resident memory of this process (0 where ``/proc`` does not say)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def give_back() -> float:
    """Return free pages to the system now; the seconds it took (0.0 when it cannot)."""
    trim = _malloc_trim()
    if trim is None:
        return 0.0
    started = time.perf_counter()
    trim(0)
    return time.perf_counter() - started


class GiveBackAsItGrows:
    """Calls :func:`give_back` when the process has grown by a step since the last call."""

    def __init__(self, step: int = STEP_BYTES) -> None:
        self.step = step
        self.trims = 0
        self.seconds = 0.0
        self._base = resident_bytes()

    def check(self) -> None:
        """Cheap (one small read of ``/proc``): call it as often as work is handed out."""
        now = resident_bytes()
        if now and now - self._base >= max(self.step, self._base // 16):
            self.seconds += give_back()
            self.trims += 1
            self._base = resident_bytes()
