"""Article texts kept in a file for the length of a build, read back when asked for.

Pelican holds every article at once, with its HTML body, its plain text and
(once its page is made) its JSON-LD: about 17 KB per article of a build process
that held 60 KB per article (1.7 GB at 100,000). Outside the render of its own
page, search's documents and the related links' rewrite, nothing reads them.
While a store is open
(:func:`storing`, the build runner's one-off builds), a :class:`StoredAttribute`
keeps such a text in the store's file and only a small :class:`StoredText` in
the object; reading the attribute reads the file. With no store open (the dev
server, a plain Pelican run) the attribute is an ordinary one.

A ``StoredText`` reads as the text where a template meets it (``str``, truth,
``|safe``, escaping: it has no ``__html__``, so it is escaped as its text
would be), pickles as the text, and compares equal to it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Shorter texts stay in memory (a handle and a read cost more than they save).
MIN_CHARS = 512


class TextStore:
    """An append-only file of UTF-8 texts, open for one build and removed after it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        self._end = 0
        self._lock = threading.Lock()
        self.texts = 0

    def put(self, text: str) -> StoredText:
        """Keep ``text`` in the file; the handle that reads it back."""
        data = text.encode("utf-8", "surrogatepass")
        with self._lock:
            offset = self._end
            view = memoryview(data)
            while view:
                written = os.pwrite(self._fd, view, offset + len(data) - len(view))
                view = view[written:]
            self._end += len(data)
            self.texts += 1
        return StoredText(self, offset, len(data))

    def read(self, offset: int, length: int) -> str:
        """The text kept at ``offset``."""
        return self.read_bytes(offset, length).decode("utf-8", "surrogatepass")

    def read_bytes(self, offset: int, length: int) -> bytes:
        """The UTF-8 bytes of the text kept at ``offset``."""
        if self._fd < 0:  # never another file's bytes under a reused descriptor
            raise ValueError(f"the text store {self.path} is closed: its build has ended")
        data = os.pread(self._fd, length, offset)
        while len(data) < length:  # a short read (large texts on some systems)
            data += os.pread(self._fd, length - len(data), offset + len(data))
        return data

    @property
    def size(self) -> int:
        """Bytes written to the file so far."""
        return self._end

    def close(self) -> None:
        """Close and remove the file: handles into it can no longer be read."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self.path.unlink(missing_ok=True)


class StoredText:
    """A text kept in a :class:`TextStore`: small in memory, read as the text."""

    __slots__ = ("_length", "_offset", "_store")

    def __init__(self, store: TextStore, offset: int, length: int) -> None:
        self._store = store
        self._offset = offset
        self._length = length

    def text(self) -> str:
        """The text (read from the store's file)."""
        return self._store.read(self._offset, self._length)

    def data(self) -> bytes:
        """The text's UTF-8 bytes (surrogates passed through), as the store holds them."""
        return self._store.read_bytes(self._offset, self._length)

    def __str__(self) -> str:
        return self.text()

    def __bool__(self) -> bool:
        return self._length > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredText):
            return self._length == other._length and self.data() == other.data()
        if isinstance(other, str):
            return self.text() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text())

    def __repr__(self) -> str:
        digest = hashlib.blake2b(self.data(), digest_size=16).hexdigest()
        return f"StoredText({digest})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (str, (self.text(),))  # another process, a cache file: the text itself


_current: TextStore | None = None


def current() -> TextStore | None:
    """The store open for this build (None: texts stay in memory)."""
    return _current


@contextlib.contextmanager
def storing(path: Path) -> Iterator[TextStore]:
    """Open a store at ``path`` for what runs inside; removed at the end."""
    global _current, _last_read
    if _current is not None:
        raise RuntimeError("a text store is already open")
    store = _current = TextStore(path)
    try:
        yield store
    finally:
        _current = _last_read = None
        store.close()


#: The text :func:`plain` read last and its handle: kept again, it is not written twice
#: (Pelican's reader cache hands an article its stored HTML, which the article keeps).
_last_read: tuple[str, StoredText] | None = None


def kept(value: Any) -> Any:
    """``value``, in the open store when it is a long text and a store is open."""
    store = _current
    if store is not None and type(value) is str and len(value) >= MIN_CHARS:
        last = _last_read
        if last is not None and last[0] is value and last[1]._store is store:
            return last[1]
        return store.put(value)
    return value


def plain(value: Any) -> Any:
    """``value`` with a stored text read back (anything else as it is)."""
    global _last_read
    if type(value) is not StoredText:
        return value
    text = value.text()
    _last_read = (text, value)
    return text


class StoredAttribute:
    """An instance attribute whose long text value lives in the open store (if any).

    Set on a class (``body_text = StoredAttribute()``): assigning keeps the text
    in the store, reading reads it back. The instance's ``__dict__`` holds the
    handle under the attribute's own name, so ``vars()`` still lists it.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            value = instance.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        return value.text() if type(value) is StoredText else value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.name] = kept(value)

    def __delete__(self, instance: Any) -> None:
        try:
            del instance.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


def keep_attributes(instance: Any, names: tuple[str, ...]) -> None:
    """Move the long texts ``instance`` holds in ``names`` into the open store."""
    if _current is None:
        return
    state = instance.__dict__
    for name in names:
        if name in state:
            state[name] = kept(state[name])


def held(instance: Any, name: str, default: Any = None) -> Any:
    """What ``instance`` holds under ``name``: a stored text's handle, not its text.

    For a reader that passes a text on without reading it (to another process,
    which gets the text when the handle is pickled): nothing is read back here.
    """
    value = vars(instance).get(name)
    return value if type(value) is StoredText else getattr(instance, name, default)
