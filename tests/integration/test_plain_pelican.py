"""Plain ``pelican`` does not build a different archive silently: it stops and names the runner."""

from __future__ import annotations

import subprocess
import sys

from newsarchive.build import ROOT

from ..conftest import FIXTURE_ARCHIVE


def test_plain_pelican_stops_with_a_message_naming_invoke_build(tmp_path):
    output = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-o",
            str(output),
            str(FIXTURE_ARCHIVE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    said = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0, said
    assert "invoke build" in said and "not plain `pelican`" in said
    assert not any(output.rglob("*.html")), "no half-made site"
