"""What the seed folders hold: seeds, other files, and entries never read (pure, no Pelican).

Only regular files are read, and only ``.txt`` ones are seeds.  Folders are
walked without following symbolic links to folders, so a link loop
(``sub/up -> ..``, ``self -> .``) is never walked and no file is seen twice.
A symbolic link to a file is read as that file only when the file lies inside
a seed folder.  Everything else (a FIFO, which would block the build forever,
a socket, a device, a link loop, a link out of the seed folder, a broken link)
is an :class:`Entry` with the reason it is not read; hidden names (``.git``)
are passed over silently.

A process that lists the same folders again (the dev server, on every save) may
reuse a listing while :func:`still_current` holds: no folder walked has changed
since (a file's text saved in place changes no folder).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

SEED_SUFFIX = ".txt"
#: A folder changed this close to its listing may change again within the file
#: system's timestamp resolution, unseen: such a listing is not reused (git's "racy" rule).
RACY_NS = 2_000_000_000

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True)
class Entry:
    """An entry of a seed folder that is not read, and why."""

    path: str
    reason: str

    @property
    def looks_like_seed(self) -> bool:
        """Named like a seed: reported as a skipped seed rather than a stray entry."""
        return self.path.endswith(SEED_SUFFIX)


@dataclass
class SeedListing:
    """The seed folders' contents, every path absolute and unresolved, each list sorted."""

    seeds: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    not_read: list[Entry] = field(default_factory=list)
    #: The folders asked for, and every folder walked as (path, device, inode, mtime in ns).
    folders: tuple[str, ...] = ()
    stamps: list[tuple[str, int, int, int]] = field(default_factory=list)
    #: When the listing was taken (ns); whether it can ever be reused (see still_current).
    taken_ns: int = 0
    reusable: bool = True


def list_seed_folders(folders: Sequence[str]) -> SeedListing:
    """Sort every entry below ``folders`` into seeds, other files and entries not read."""
    roots = [os.path.realpath(folder) for folder in folders]
    listing = SeedListing(folders=tuple(folders), taken_ns=time.time_ns())
    seen: set[tuple[int, int]] = set()
    for folder in folders:
        if not os.path.isdir(folder):
            listing.reusable = False  # its creation would change no folder listed
            continue
        for path, entry in _walk(os.path.abspath(folder), seen, listing.stamps):
            if entry is None:
                listing.not_read.append(
                    Entry(
                        path,
                        "a folder already listed (a loop, or seed folders that overlap); not read again",
                    )
                )
            else:
                _sort(listing, path, entry, roots)
    listing.seeds.sort()
    listing.other_files.sort()
    listing.not_read.sort(key=lambda entry: entry.path)
    return listing


def still_current(listing: SeedListing, folders: Sequence[str]) -> bool:
    """Whether listing ``folders`` again would give ``listing``: no folder walked changed since.

    Adding, removing or renaming an entry changes its folder's modification time;
    saving a file's text in place does not.  A symbolic link's target can change
    unseen, so a listing that met one is never reused; nor is one whose folders
    changed within :data:`RACY_NS` of its taking.
    """
    if not listing.reusable or listing.folders != tuple(folders) or not listing.stamps:
        return False
    for path, device, inode, mtime in listing.stamps:
        if mtime >= listing.taken_ns - RACY_NS:
            return False
        try:
            info = os.stat(path)
        except OSError:
            return False
        if (info.st_dev, info.st_ino, info.st_mtime_ns) != (device, inode, mtime):
            return False
    return True


def _walk(
    folder: str,
    seen: set[tuple[int, int]],
    stamps: list[tuple[str, int, int, int]],
) -> Iterator[tuple[str, os.DirEntry[str] | None]]:
    """Every non-folder entry below ``folder`` (links to folders included), never through a link.

    A folder met twice (a bind mount of its own parent, or seed folders that
    overlap) is yielded once with ``None`` instead of being walked again.
    """
    try:
        info = os.stat(folder)
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    if (info.st_dev, info.st_ino) in seen:
        yield folder, None
        return
    seen.add((info.st_dev, info.st_ino))
    stamps.append((folder, info.st_dev, info.st_ino, info.st_mtime_ns))
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, seen, stamps)
        else:
            yield entry.path, entry


def _sort(listing: SeedListing, path: str, entry: os.DirEntry[str], roots: list[str]) -> None:
    if entry.is_symlink():
        listing.reusable = False  # its target may change, its folder not
        reason = _link_problem(path, roots)
        if reason:
            listing.not_read.append(Entry(path, reason))
            return
    elif entry.is_file(follow_symlinks=False):  # the common case, known without a stat call
        (listing.seeds if path.endswith(SEED_SUFFIX) else listing.other_files).append(path)
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        listing.not_read.append(Entry(path, f"cannot read: {exc.strerror or exc}"))
        return
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        listing.not_read.append(Entry(path, f"not a regular file ({kind}); not read"))
    elif path.endswith(SEED_SUFFIX):
        listing.seeds.append(path)
    else:
        listing.other_files.append(path)


def _link_problem(path: str, roots: list[str]) -> str:
    """Why the symbolic link ``path`` is not followed ("" when it names a file inside a seed folder)."""
    try:
        target_mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop; not followed"
        return f"a broken symbolic link ({exc.strerror or exc}); not followed"
    target = os.path.realpath(path)
    inside = any(_within(target, root) for root in roots)
    if stat.S_ISDIR(target_mode):
        if _within(os.path.realpath(os.path.dirname(path)), target):
            return "a symbolic link loop (to a folder that holds it); not followed"
        if not inside:
            return "a symbolic link to a folder outside the seed folder; not followed"
        return "a symbolic link to a folder inside the seed folder; not followed (its files are read there)"
    if not inside:
        return "a symbolic link to a file outside the seed folder; not read"
    return ""


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(os.path.join(folder, ""))
