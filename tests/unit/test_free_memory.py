"""Free pages go back to the system when the process has grown by a step."""

from __future__ import annotations

import pytest

from sitewide import free_memory


def test_give_back_runs_once_per_step_of_growth(monkeypatch) -> None:
    sizes = iter([100, 120, 150, 165, 150, 200, 200, 200])
    calls: list[int] = []
    monkeypatch.setattr(free_memory, "resident_bytes", lambda: next(sizes))
    monkeypatch.setattr(free_memory, "give_back", lambda: calls.append(1) or 0.25)
    watcher = free_memory.GiveBackAsItGrows(step=50)  # base 100
    watcher.check()  # 120: not yet
    assert calls == []
    watcher.check()  # 150: a step -> given back, base read again (165)
    assert calls == [1] and watcher.trims == 1 and watcher.seconds == 0.25
    watcher.check()  # 150: below the new base
    watcher.check()  # 200: not a step above 165
    assert calls == [1]
    watcher.check()  # 200... base 165 + 50 = 215 not reached
    assert watcher.trims == 1


def test_give_back_really_returns_memory_on_this_system() -> None:
    """On glibc, freed memory in holes of the heap leaves the process."""
    if free_memory._malloc_trim() is None:
        pytest.skip("no malloc_trim in this C library: giving back is a no-op here")
    keep, junk = [], []
    for n in range(60_000):
        keep.append(bytes(64))
        junk.append(bytes(3_000 + n % 7))
    before = free_memory.resident_bytes()
    del junk
    free_memory.give_back()
    assert free_memory.resident_bytes() < before - 100 * 1024 * 1024
