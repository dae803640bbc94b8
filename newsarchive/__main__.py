"""Command line: ``python -m newsarchive build [--seeds DIR] [--output DIR] ...``.

The invoke tasks call :func:`main`; the live-reload watcher runs it in a fresh
process per rebuild so an edited plugin or template is always picked up and a
crash can never stop the watcher.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .build import ROOT, BuildOptions, run_build
from .interrupt import interrupts_here_only, stop_workers
from .progress import BuildProgress


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the build command line."""
    parser = argparse.ArgumentParser(prog="python -m newsarchive")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the archive once")
    build.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="folder of .txt seeds")
    build.add_argument("--output", type=Path, default=ROOT / "output", help="site folder to write")
    build.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py")
    build.add_argument("--report", type=Path, default=ROOT / "build-report.json")
    build.add_argument("--strict", action="store_true", help="fail on any skipped seed or warning")
    build.add_argument("--quiet", action="store_true", help="only errors on the console")
    build.add_argument("--verbose", action="store_true", help="informational messages too")
    build.add_argument(
        "--scheduler",
        default=None,
        help="run the build's tasks on this Dask scheduler (tcp://HOST:8786); "
        "default: $ARCHIVE_SCHEDULER, else a local cluster when the archive is big enough",
    )
    return parser.parse_args(argv)


#: The shell's exit status for a command ended by Ctrl-C (128 + SIGINT).
INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    """Run the command and return the exit status (130 after Ctrl-C, with one line said)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        with interrupts_here_only():
            return build(args)
    except KeyboardInterrupt:
        # The staging folder keeps its unfinished mark (and the sync its journal):
        # the next build starts afresh and repairs the output.
        stop_workers()
        print("Interrupted.", file=sys.stderr)
        return INTERRUPTED


def build(args: argparse.Namespace) -> int:
    """Build once, print the summary; the exit status."""
    setup_logging(quiet=args.quiet, verbose=args.verbose)
    with BuildProgress(quiet=args.quiet):
        report = run_build(
            BuildOptions(
                settings_file=args.settings,
                seeds=args.seeds,
                output=args.output,
                report=args.report,
                strict=args.strict,
                scheduler=args.scheduler,
            )
        )
    print(report.summary())
    cpu = report.sections.get("cpu") or {}
    if cpu:
        print(
            "Cores busy per phase: "
            + ", ".join(f"{phase} {figures['cores_busy']:.1f}" for phase, figures in cpu.items())
        )
    if args.report:
        print(f"Report: {args.report}")
    return report.exit_code


def setup_logging(*, quiet: bool = False, verbose: bool = False) -> None:
    """Pelican's console logging, at the level asked for."""
    from pelican.log import init

    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    init(level=level)
    logging.getLogger().setLevel(logging.INFO)  # report sections are INFO records
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
