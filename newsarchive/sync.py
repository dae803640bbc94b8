"""Publish a finished build from its staging folder into the output folder.

Pelican writes every file on every build.  Building into a staging folder and
copying only files whose bytes changed means a failed build leaves the old
site untouched, unchanged files keep their mtime (rsync and caches see no
change), and pages of deleted seeds go away.  Only files this tool wrote
before (listed in a manifest kept outside the site) are ever deleted, so an
output folder shared with other files is safe.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path


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


def sync_tree(staging: Path, output: Path, manifest: Path) -> SyncResult:
    """Make ``output`` hold exactly what ``staging`` holds, touching only changes."""
    result = SyncResult()
    new_files = list_files(staging)
    old_files = set(json.loads(manifest.read_text("utf-8"))) if manifest.is_file() else set()
    output.mkdir(parents=True, exist_ok=True)
    for name in sorted(new_files):
        source, target = staging / name, output / name
        if (
            target.is_file()
            and not target.is_symlink()
            and filecmp.cmp(source, target, shallow=False)
        ):
            result.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        result.written.append(name)
    for name in sorted(old_files - new_files):
        target = output / name
        if target.is_file() or target.is_symlink():
            target.unlink()
            result.deleted.append(name)
            _remove_empty_parents(target.parent, output)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(sorted(new_files), indent=0), "utf-8")
    return result


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
