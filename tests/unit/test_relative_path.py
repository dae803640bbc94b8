"""The fast relative path used for every link equals posixpath.relpath on site paths."""

from __future__ import annotations

import posixpath

import pytest

from sitewide.links import relative_path


@pytest.mark.parametrize(
    ("target", "folder"),
    [
        ("index.html", ""),
        ("2020/10/a.html", "2020/10"),
        ("2020/10/a.html", "2020/11"),
        ("authors/x.html", "2020/10"),
        ("a/b/c.html", "a"),
        ("x.html", "a/b/c"),
        ("a/index.html", "a"),
        ("theme/css/x.css", "archives/2020/10"),
        ("../outside.html", "a"),
    ],
)
def test_relative_path_matches_relpath(target, folder):
    assert relative_path(target, folder) == posixpath.relpath(target, folder or ".")
