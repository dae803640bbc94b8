"""Pickle for another process without leaving a second copy of each text here.

CPython keeps the UTF-8 form of a non-ASCII ``str`` once anything asks for it,
and pickle asks: every article text pickled (a document sent to the search
process, Pelican's content cache) then stayed in the build process twice, as
text and as UTF-8 (about 9 KB per article, 0.9 GB at 100,000). ``str.encode``
makes a new ``bytes`` without keeping it, so long non-ASCII texts travel as
their encoded bytes (a persistent id) and become text again on the other side.
Pages sent to render workers copy their long texts instead (``newsarchive.
render_partitions``): a persistent id is asked of every object pickled, which
costs more than the copy of a few texts per page.
"""

from __future__ import annotations

import io
import pickle
from typing import Any, BinaryIO

#: Shorter texts are pickled as they are (titles, names: few bytes kept, less work).
MIN_CHARS = 256


def is_long_text(value: Any) -> bool:
    """Whether pickling ``value`` would leave a UTF-8 copy worth avoiding on it."""
    return type(value) is str and len(value) >= MIN_CHARS and not value.isascii()


def own_copy(value: Any) -> Any:
    """A long text as an equal string of its own (pickled, the copy keeps the UTF-8 form)."""
    if is_long_text(value):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    return value


class _TextPickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> bytes | None:
        return obj.encode("utf-8", "surrogatepass") if is_long_text(obj) else None


class _TextUnpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> str:
        if not isinstance(pid, bytes):
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return pid.decode("utf-8", "surrogatepass")


def dump(value: Any, file: BinaryIO) -> None:
    """``pickle.dump`` that leaves no UTF-8 copy on the texts it pickles."""
    _TextPickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump(value)


def load(file: BinaryIO) -> Any:
    """What :func:`dump` wrote to ``file``."""
    return _TextUnpickler(file).load()


def dumps(value: Any) -> bytes:
    """:func:`dump` into bytes."""
    buffer = io.BytesIO()
    dump(value, buffer)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """What :func:`dumps` pickled."""
    return load(io.BytesIO(data))
