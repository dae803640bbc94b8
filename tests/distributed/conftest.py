"""A small generated archive, and helpers to compare built sites byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.generate import generate_archive

#: Enough articles for several parse and render partitions per worker, few enough to build fast.
COUNT = 60


@pytest.fixture(scope="session")
def generated_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("distributed") / "seeds"
    generate_archive(COUNT, folder, seed=7)
    return folder


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_same_site(built: Path, expected: Path) -> None:
    got, want = tree_bytes(built), tree_bytes(expected)
    assert sorted(got) == sorted(want)
    differing = [name for name in want if got[name] != want[name]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
