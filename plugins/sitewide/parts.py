"""Cutting work into contiguous parts for tasks: one rule for every plugin that maps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def contiguous_parts(items: Sequence[T], count: int) -> list[list[T]]:
    """``items`` in at most ``count`` contiguous parts of equal size (the last may be shorter).

    Contiguous, so each part's results come back in input order within it.
    """
    if not items:
        return []
    size = -(-len(items) // max(1, count))
    return [list(items[start : start + size]) for start in range(0, len(items), size)]
