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
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from .text_store import StoredText

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


#: Values per pickle in :func:`dump_items`.
CHUNK = 500


class _TextPickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> bytes | None:
        if type(obj) is StoredText:  # its bytes as the store holds them: no text made
            return obj.data()
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


def dump_items(items: Iterable[Any], file: BinaryIO) -> None:
    """Pickle ``items`` into ``file`` as a run of small pickles (read by :func:`load_items`).

    A pickler keeps every object it wrote (each text's encoded bytes too) until
    its ``dump`` returns: for a whole archive, a second copy of every text at
    once. Between chunks of :data:`CHUNK` items it forgets them.
    """
    pickler = _TextPickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            pickler.dump(chunk)
            pickler.clear_memo()
            chunk = []
    pickler.dump(chunk)


def load_items(file: BinaryIO) -> Iterator[Any]:
    """The items :func:`dump_items` wrote to ``file``, in order."""
    while True:
        try:  # an unpickler per chunk: each numbers what it remembers from 0
            chunk = _TextUnpickler(file).load()
        except EOFError:
            return
        if not isinstance(chunk, list):
            raise pickle.UnpicklingError("not a run of pickled chunks")
        yield from chunk


def dumps(value: Any) -> bytes:
    """:func:`dump` into bytes."""
    buffer = io.BytesIO()
    dump(value, buffer)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """What :func:`dumps` pickled."""
    return load(io.BytesIO(data))
