"""File-system paths of seeds, kept: the dev server asks for the same ones on every save.

``os.path.abspath`` and ``relpath`` cost a few microseconds each; 10,000 seeds asked
for two or three times per save add up to a tenth of a second.  A relative path
means something only against the working directory, so that is part of each key.
"""

from __future__ import annotations

import functools
import os


def absolute_path(folder: str, name: str) -> str:
    """``os.path.abspath(os.path.join(folder, name))``, kept."""
    return _absolute(folder, name, os.getcwd())


def relative_path_from(path: str, base: str) -> str:
    """``os.path.relpath(path, base)``, kept; cheap when ``path`` is below ``base``."""
    return _relative(path, base, os.getcwd())


@functools.lru_cache(maxsize=1 << 17)
def _absolute(folder: str, name: str, cwd: str) -> str:
    return os.path.abspath(os.path.join(folder, name))


@functools.lru_cache(maxsize=1 << 17)
def _relative(path: str, base: str, cwd: str) -> str:
    prefix = os.path.join(os.path.abspath(base), "")
    if os.path.isabs(path) and path.startswith(prefix) and "/." not in path:
        return path[len(prefix) :]
    return os.path.relpath(path, base)
