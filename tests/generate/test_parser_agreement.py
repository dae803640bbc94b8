"""The seed parser reads every generated file as its ground truth says, in every layout."""

from __future__ import annotations

import collections
import html
from pathlib import Path

import pytest

from seed_reader.parser import SeedError, parse_seed_bytes
from tools.generate import GroundTruth


def cited(text: str) -> str:
    """A related title as the parser hands it on: entities decoded, spaces collapsed."""
    return " ".join(html.unescape(text).split())


def test_every_article_parses_to_its_ground_truth(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    related = collections.defaultdict(list)
    for record in truth.related:
        related[record.citing].append(cited(record.text))
    wrong: list[str] = []
    for article in truth.articles:
        try:
            seed = parse_seed_bytes((folder / article.file).read_bytes())
        except SeedError as exc:
            wrong.append(f"{article.file} {article.layout} refused: {exc}")
            continue
        got = {
            "title": seed.title,
            "authors": seed.authors,
            "agency": seed.agency,
            "date": seed.date.isoformat(),
            "date_source": seed.date_source,
            "source_url": seed.source_url,
            "caption": seed.caption,
            "credit": seed.credit,
            "related": list(seed.related_titles),
            "url in body": article.source_url in seed.body_text + seed.body_html,
            # every layout variant is understood: the only warning is Latin-1's encoding
            "warnings": [w for w in seed.warnings if not w.startswith("not valid UTF-8")],
        }
        expected = {
            "title": article.title,
            "authors": article.authors,
            "agency": article.agency,
            "date": article.date,
            "date_source": article.date_source,
            "source_url": article.source_url,
            "caption": article.caption,
            "credit": article.credit,
            "related": related[article.file],
            "url in body": False,
            "warnings": [],
        }
        wrong += [
            f"{article.file} {article.layout} {key}: {got[key]!r} != {expected[key]!r}"
            for key in expected
            if got[key] != expected[key]
        ]
    assert not wrong, f"{len(wrong)} fields misread:\n" + "\n".join(wrong[:30])


def test_broken_files_are_refused_or_read_as_recorded(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    for record in truth.broken:
        data = (folder / record.file).read_bytes()
        if record.builds or record.kind == "duplicate":
            parse_seed_bytes(data)  # an article (a duplicate is dropped later, by the build)
        else:
            with pytest.raises(SeedError):
                parse_seed_bytes(data)
