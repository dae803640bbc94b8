"""A list computed on first use: an article's "More on this" in the dev server.

After a save, the dev server shows one page at once and writes the others in
the background; computing every article's "More on this" before the first page
(seconds at 10,000 articles when an article comes or goes) would keep the user
waiting for pages nobody looks at yet.  Templates and the incremental writer's
fingerprints read it as any sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")


class LazyList(Sequence[T]):
    """The list ``compute()`` returns, computed the first time it is read."""

    __slots__ = ("_compute", "_items")

    def __init__(self, compute: Callable[[], list[T]]) -> None:
        self._compute: Callable[[], list[T]] | None = compute
        self._items: list[T] | None = None

    def _list(self) -> list[T]:
        if self._items is None:
            assert self._compute is not None
            self._items, self._compute = self._compute(), None
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: Any) -> Any:
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())

    def __iter__(self) -> Iterator[T]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyList):
            return self._list() == other._list()
        return self._list() == other

    __hash__ = None  # type: ignore[assignment]  # a list's: mutable, unhashable

    def __repr__(self) -> str:
        return repr(self._list()) if self._items is not None else "LazyList(<not computed>)"
