"""``python -m tools.generate --count N --output DIR`` (or ``invoke generate``)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from .archive import generate_archive
from .truth import GROUND_TRUTH_NAME, GenerateError


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.generate --count N --output DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.generate",
        description="Write a deterministic synthetic news archive in the seed format.",
    )
    parser.add_argument("--count", type=int, required=True, help="number of seed files")
    parser.add_argument("--output", type=Path, required=True, help="folder for the seed files")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--no-broken", dest="broken", action="store_false", help="no deliberately broken files"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        truth = generate_archive(args.count, args.output, args.seed, args.broken)
    except GenerateError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - started
    print(
        f"wrote {args.count:,} seed files to {args.output} in {elapsed:.1f} s "
        f"({len(truth.articles):,} articles, {len(truth.broken)} broken, "
        f"{len(truth.related):,} related lines); ground truth in "
        f"{args.output / GROUND_TRUTH_NAME}"
    )
    return 0
