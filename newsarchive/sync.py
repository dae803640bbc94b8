"""Publish a finished build from its staging folder into the output folder.

Pelican writes every file on every build.  Building into a staging folder and
copying only files whose bytes changed means a failed build leaves the old
site untouched, unchanged files keep their mtime (rsync and caches see no
change), and pages of deleted seeds go away.  Only files this tool wrote
before (listed in a manifest kept outside the site) are ever deleted, so an
output folder shared with other files is safe.

Nothing is written or deleted outside the output folder: every target is
checked before the first file is copied (a ``..`` name, or a folder inside the
output that is a symbolic link to elsewhere, fails the sync with
:class:`SyncError` and leaves the output as it was).
"""

from __future__ import annotations

import filecmp
import functools
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from plugins.sitewide.state import replacing, temporary_path, write_atomic


class SyncError(RuntimeError):
    """The staged site cannot be published without writing outside the output folder."""


@dataclass
class SyncResult:
    """What a sync changed in the output folder."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


def list_files(folder: Path) -> set[str]:
    """Every file below ``folder``, as POSIX paths relative to it."""
    if not folder.is_dir():
        return set()
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() or (path.is_symlink() and not path.is_dir())
    }


@dataclass(frozen=True)
class Manifest:
    """What the output folder may hold of ours, and whether the sync that wrote it finished."""

    files: frozenset[str]
    synced_at: float = 0.0
    complete: bool = True


def read_manifest(manifest: Path) -> Manifest:
    """The last sync's manifest (empty if none or unreadable)."""
    try:
        data = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return Manifest(frozenset())
    if isinstance(data, list):  # the first format: just the names
        return Manifest(frozenset(data))
    return Manifest(
        frozenset(data.get("files", [])),
        float(data.get("synced_at", 0.0)),
        bool(data.get("complete", True)),
    )


def write_manifest(manifest: Path, record: Manifest) -> None:
    """Replace the manifest in one step: an interruption leaves the old one or the new one."""
    data = {"files": sorted(record.files), "synced_at": record.synced_at}
    write_atomic(manifest, json.dumps({**data, "complete": record.complete}))


def sync_tree(staging: Path, output: Path, manifest: Path) -> SyncResult:
    """Make ``output`` hold exactly what ``staging`` holds, touching only changes.

    A staging file not modified since the last sync started was published by
    it and is trusted without reading; every other file is compared byte for
    byte, so a build that failed after rendering (and was never published) is
    still published in full by the next good one.

    A sync may be interrupted at any point (SIGKILL, Ctrl-C, power): before it
    touches the output it records every name it may leave there (the old
    files and the new) as an incomplete manifest.  The next sync, finding
    one, trusts no modification time, removes temporary files left behind and
    deletes every recorded name the site no longer has, so the output ends
    exactly as a clean build would leave it.
    """
    result = SyncResult()
    started = time.time()
    _folder_inside.cache_clear()
    filecmp.clear_cache()  # its results are keyed by size and mtime, which a rewrite can keep
    new_files = list_files(staging)
    last = read_manifest(manifest)
    os.makedirs(output, exist_ok=True)
    root = output.resolve()
    outside = sorted(name for name in new_files if not _confined(root, name))
    if outside:
        raise SyncError(
            f"{len(outside)} file(s) would be written outside {output}"
            f" (e.g. {outside[0]!r}); nothing published"
        )
    old_files = {name for name in last.files if _confined(root, name)}
    synced_at = last.synced_at if last.complete else 0.0
    if not last.complete:
        _remove_temporary_files(output, old_files)
    write_manifest(manifest, Manifest(frozenset(old_files | new_files), 0.0, complete=False))
    for name in sorted(new_files):
        source, target = staging / name, output / name
        if (
            name in old_files
            and synced_at
            and source.stat().st_mtime < synced_at
            and target.is_file()
        ):
            result.unchanged += 1
            continue
        if (
            target.is_file()
            and not target.is_symlink()
            and filecmp.cmp(source, target, shallow=False)
        ):
            result.unchanged += 1
            continue
        with replacing(target) as tmp:
            shutil.copyfile(source, tmp)
        result.written.append(name)
    for name in sorted(old_files - new_files):
        target = output / name
        if target.is_file() or target.is_symlink():
            os.unlink(target)
            result.deleted.append(name)
        _remove_empty_parents(target.parent, output)
    write_manifest(manifest, Manifest(frozenset(new_files), started, complete=True))
    return result


def _remove_temporary_files(output: Path, names: set[str]) -> None:
    """Temporary files an interrupted sync left beside the files it was writing."""
    for name in names:
        tmp = temporary_path(output / name)
        if tmp.is_file() or tmp.is_symlink():
            os.unlink(tmp)


def _confined(root: Path, name: str) -> bool:
    """Whether ``root / name`` stays inside ``root``, following any symbolic links on the way.

    The file itself may be a symbolic link (it is replaced, never followed);
    the folders leading to it must resolve inside ``root``.
    """
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or "\0" in name:
        return False
    return _folder_inside(root, (root / relative).parent)


@functools.lru_cache(maxsize=4096)
def _folder_inside(root: Path, folder: Path) -> bool:
    # Thousands of files share a few hundred folders: resolve each folder once
    # per sync (the cache is cleared at the start of every sync).
    resolved = folder.resolve()
    return resolved == root or resolved.is_relative_to(root)


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while (
        folder != stop and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir())
    ):
        os.rmdir(folder)
        folder = folder.parent
