"""Audit fixtures: the fixture site served over http, and page types to audit."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.audit import VNU_JAR, StaticSite


@pytest.fixture(scope="session")
def nu_checker() -> Path:
    """The Nu HTML Checker (vnu.jar from npm) and Java to run it.

    Without them the validity tests are skipped with the reason, except where
    ``ARCHIVE_REQUIRE_BROWSER=1`` (CI): there a missing tool is a failure.
    """
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing.append("node_modules/vnu-jar (run `npm ci`)")
    if missing:
        reason = "Nu HTML Checker unavailable: " + ", ".join(missing)
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return VNU_JAR


@pytest.fixture(scope="module")
def site_http(fixture_site) -> Iterator[StaticSite]:
    """The fixture archive over http on 127.0.0.1."""
    with StaticSite(fixture_site.output) as site:
        yield site
