"""The live-reload rebuild: the build command, in a fresh process each time.

``invoke livereload`` calls :func:`rebuild` on every change.  It runs exactly
what ``invoke build`` runs (same command line, same staging folder, same
caches), so a rebuild after an edit takes the incremental path: only what
changed is parsed, rendered and copied.  A fresh process picks up edited
plugins, and no error in a seed, template or plugin can stop the watcher.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from .build import ROOT

logger = logging.getLogger(__name__)


def build_command(
    seeds: Path,
    output: Path,
    report: Path | None = None,
    *,
    settings: Path = ROOT / "pelicanconf.py",
    strict: bool = False,
    quiet: bool = False,
) -> list[str]:
    """Arguments of ``python -m newsarchive`` for one build."""
    argv = ["build", "--seeds", str(seeds), "--output", str(output)]
    argv += ["--report", str(report or ROOT / "build-report.json"), "--settings", str(settings)]
    if strict:
        argv.append("--strict")
    if quiet:
        argv.append("--quiet")
    return argv


def rebuild(argv: list[str]) -> int:
    """Run one build in a fresh process; say so (and keep going) when it fails."""
    result = subprocess.run([sys.executable, "-m", "newsarchive", *argv], cwd=ROOT, check=False)
    if result.returncode:
        logger.warning("Build failed (exit %s); still watching for changes.", result.returncode)
    return result.returncode
