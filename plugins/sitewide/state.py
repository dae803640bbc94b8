"""State kept between builds: written atomically, used only under the key it was made for."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` in one step: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    if isinstance(data, str):
        tmp.write_text(data, "utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def save_keyed(path: Path | None, key: str, value: Any) -> None:
    """Keep ``value`` for the next build, valid while ``key`` is the same."""
    if path is not None:
        write_atomic(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))


def load_keyed(path: Path | None, key: str) -> Any:
    """What :func:`save_keyed` kept under ``key``, or None (missing, unreadable or stale)."""
    if path is None:
        return None
    try:
        saved_key, value = pickle.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError, AttributeError):
        return None
    return value if saved_key == key else None
