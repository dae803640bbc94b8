"""One generated archive shared by the generator's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.generate import GroundTruth, generate_archive

from .seedfiles import COUNT


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth]:
    folder = tmp_path_factory.mktemp("generated") / "seeds"
    return folder, generate_archive(COUNT, folder, seed=0)
