"""One build in a fresh process, with the command line ``invoke build`` runs.

:func:`build_command` is what the tasks run (``python -m newsarchive build ...``);
:func:`rebuild` runs it in a fresh process and says so, and keeps going, when it
fails.  The dev server no longer rebuilds this way (it keeps the archive warm:
see warm.py); the incremental-build tests drive builds through it, exactly as a
user's repeated ``invoke build`` runs them.
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
