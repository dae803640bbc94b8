"""Shared fixtures: the fixture archive is built once per test session."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsarchive.build import STAGING_ENV, BuildOptions, run_build
from newsarchive.report import BuildReport

TESTS = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    """Stage test builds in a temporary folder, not in the project's .cache/."""
    if STAGING_ENV not in os.environ:
        folder = tempfile.mkdtemp(prefix="archive-staging-")
        os.environ[STAGING_ENV] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


FIXTURE_ARCHIVE = TESTS / "fixtures" / "archive"
REAL_SEED = TESTS.parent / "seeds" / "000_de2c79a0c33f0dde.txt"


@dataclass
class BuiltSite:
    """A finished build of a fixture archive."""

    seeds: Path
    output: Path
    report: BuildReport
    report_json: dict

    def page(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")


def build_site(seeds: Path, output: Path, report_path: Path, **options) -> BuiltSite:
    report = run_build(BuildOptions(seeds=seeds, output=output, report=report_path, **options))
    return BuiltSite(seeds, output, report, json.loads(report_path.read_text("utf-8")))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The hand-made fixture archive (real seed + variants + broken files), built once."""
    base = tmp_path_factory.mktemp("fixture-site")
    return build_site(FIXTURE_ARCHIVE, base / "output", base / "build-report.json")
