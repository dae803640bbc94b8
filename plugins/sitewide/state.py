"""State kept between builds: written atomically, used only under the key it was made for."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def temporary_path(path: Path) -> Path:
    """Where ``path`` is written before it replaces the old file (hidden, beside it)."""
    return path.with_name(f".{path.name}.tmp")


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Write to the path this yields; it replaces ``path`` in one step when the block ends.

    An interruption leaves the old file or the new one, never half of either;
    a failed block removes its temporary file.
    """
    os.makedirs(path.parent, exist_ok=True)
    tmp = temporary_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.is_file():
            tmp.unlink()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` in one step: a crash never leaves half a file."""
    with replacing(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, "utf-8")
        else:
            tmp.write_bytes(data)


def save_keyed(path: Path | None, key: str, value: Any) -> None:
    """Keep ``value`` for the next build, valid while ``key`` is the same."""
    if path is not None:
        # Streamed to the file: no second copy of a big value in memory.
        with replacing(path) as tmp, open(tmp, "wb") as file:
            pickle.dump((key, value), file, protocol=pickle.HIGHEST_PROTOCOL)


def load_keyed(path: Path | None, key: str) -> Any:
    """What :func:`save_keyed` kept under ``key``, or None (missing, unreadable or stale)."""
    if path is None:
        return None
    try:
        with open(path, "rb") as file:
            saved_key, value = pickle.load(file)
    except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError, AttributeError):
        return None
    return value if saved_key == key else None
