"""Parsing ahead in worker processes gives exactly what the reader would parse itself."""

from __future__ import annotations

from seed_reader.parallel import parse_files, parse_one
from seed_reader.parser import SeedError

from ..conftest import FIXTURE_ARCHIVE


def test_parallel_results_equal_sequential_ones():
    paths = [str(p) for p in sorted(FIXTURE_ARCHIVE.glob("*.txt"))]
    parallel = parse_files(paths, {}, workers=2, min_files=1)
    assert set(parallel) == set(paths)
    for path in paths:
        expected = parse_one(path, {})
        got = parallel[path]
        if isinstance(expected, SeedError):
            assert isinstance(got, SeedError) and str(got) == str(expected)
        else:
            assert got == expected


def test_small_batches_are_left_to_the_reader():
    paths = [str(p) for p in sorted(FIXTURE_ARCHIVE.glob("*.txt"))]
    assert parse_files(paths, {}, workers=2) == {}
    assert parse_files(paths, {}, workers=1, min_files=1) == {}
