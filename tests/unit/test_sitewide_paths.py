"""Kept seed paths answer as os.path does, also after the working directory changes."""

from __future__ import annotations

import os

from sitewide.paths import absolute_path, relative_path_from


def test_kept_paths_follow_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        monkeypatch.chdir(tmp_path / folder)
        assert absolute_path("seeds", "x.txt") == str(tmp_path / folder / "seeds" / "x.txt")
        assert relative_path_from(str(tmp_path / "a" / "s" / "x.txt"), "..") == os.path.relpath(
            str(tmp_path / "a" / "s" / "x.txt"), ".."
        )
    assert relative_path_from("/top/seeds/x.txt", "/top") == "seeds/x.txt"
    assert relative_path_from("/top/seeds/../x.txt", "/top") == os.path.relpath(
        "/top/seeds/../x.txt", "/top"
    )
