"""A seed listing is reused only while listing the folders again would give the same one."""

from __future__ import annotations

import os
from pathlib import Path

from seed_reader import listing as listing_module
from seed_reader.listing import list_seed_folders, still_current

LONG_AGO = 1_500_000_000  # seconds: folders stamped well before any listing


def _aged(*folders: Path) -> None:
    for folder in folders:
        os.utime(folder, (LONG_AGO, LONG_AGO))


def _folders(tmp_path: Path) -> tuple[Path, list[str]]:
    seeds = tmp_path / "seeds"
    (seeds / "2020").mkdir(parents=True)
    (seeds / "a.txt").write_text("a")
    (seeds / "2020" / "b.txt").write_text("b")
    _aged(seeds, seeds / "2020")
    return seeds, [str(seeds)]


def test_a_file_saved_in_place_keeps_the_listing(tmp_path):
    seeds, folders = _folders(tmp_path)
    listing = list_seed_folders(folders)
    assert still_current(listing, folders)
    (seeds / "a.txt").write_text("a, edited")
    assert still_current(listing, folders)
    assert not still_current(listing, [*folders, str(tmp_path / "other")])


def test_an_entry_added_removed_or_renamed_anywhere_lists_again(tmp_path):
    seeds, folders = _folders(tmp_path)
    for change in (
        lambda: (seeds / "2020" / "c.txt").write_text("c"),
        lambda: (seeds / "2020" / "c.txt").unlink(),
        lambda: (seeds / "a.txt").rename(seeds / "z.txt"),
        lambda: (seeds / "2021").mkdir(),
    ):
        listing = list_seed_folders(folders)
        assert still_current(listing, folders)
        change()
        assert not still_current(listing, folders)
        _aged(*(p for p in [seeds, *seeds.rglob("*")] if p.is_dir()))


def test_a_folder_changed_just_before_its_listing_is_not_trusted(tmp_path, monkeypatch):
    seeds, folders = _folders(tmp_path)
    (seeds / "fresh.txt").write_text("x")  # the folder's time is now
    assert not still_current(list_seed_folders(folders), folders)
    monkeypatch.setattr(listing_module, "RACY_NS", 0)
    assert still_current(list_seed_folders(folders), folders)


def test_links_and_missing_folders_are_always_listed_again(tmp_path):
    seeds, folders = _folders(tmp_path)
    (seeds / "link.txt").symlink_to(seeds / "a.txt")
    _aged(seeds)
    assert not still_current(list_seed_folders(folders), folders)
    (seeds / "link.txt").unlink()
    _aged(seeds)
    missing = [*folders, str(tmp_path / "later")]
    assert not still_current(list_seed_folders(missing), missing)
    assert still_current(list_seed_folders(folders), folders)
