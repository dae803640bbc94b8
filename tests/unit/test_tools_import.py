"""The tools import as a user's ``invoke`` runs them: from the repository root, no test paths."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newsarchive.build import ROOT

MODULES = [
    "tools.related_eval",
    "tools.bench",
    "tools.generate",
    "tools.title_evaluation",
    "tools.search_bench",
    "tools.search_stats",
]


@pytest.mark.parametrize("module", MODULES)
def test_a_tool_imports_without_pytests_paths(module):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
