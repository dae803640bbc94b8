"""Cutting work into contiguous parts for tasks: one rule for every plugin that maps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def contiguous_parts(items: Sequence[T], count: int) -> list[list[T]]:
    """``items`` in at most ``count`` contiguous parts of equal size (the last may be shorter).

    Contiguous, so each part's results come back in input order within it.
    """
    if not items:
        return []
    size = -(-len(items) // max(1, count))
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


@dataclass(frozen=True)
class Made:
    """A value every task of a map reads, made by a task where the tasks run.

    Handed to a ``spread`` in place of the value itself: ``function(argument)``
    runs as one task on the cluster and its result stays there (each worker
    fetches it from the one that made it), so a large model built only for the
    tasks never sits in the build process.  ``function`` is a module-level
    function of our code (a worker imports it by name).
    """

    function: Callable[[Any], Any]
    argument: Any

    def make(self) -> Any:
        """The value, made here (in-process, or for a test's spread)."""
        return self.function(self.argument)
