"""A save that changes a seed's body alone is taken into the warm archive; anything more is not.

The dev server's warm core (``WarmSite``) takes a body edit into the last model
(``change.how == "text"``, a tenth of a second at 10,000 articles) and makes the
whole model again for every other save.  Each test saves one kind of edit and
checks which way the change was made and that the result is a cold build's: the
never-stale comparison of every served file is in test_warm_preview.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.build import ROOT, BuildOptions, run_build
from newsarchive.warm import WarmSite, collector_paused
from tools.generate import generate_archive
from tools.serve_bench import paragraph_after_date


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarmSite]:
    base = tmp_path_factory.mktemp("warm-text")
    seeds = base / "seeds"
    generate_archive(40, seeds, seed=11)
    options = BuildOptions(
        settings_file=ROOT / "pelicanconf.py", seeds=seeds, output=base / "out", report=None
    )
    run_build(options)
    warm = WarmSite(options)
    warm.finish(warm.apply(()))
    yield warm


def _valid(site: WarmSite) -> list[Path]:
    """Seeds the last model built, in path order."""
    built = {
        Path(article.source_path).name
        for generator in site.change.generators
        for article in getattr(generator, "articles", [])
    }
    seeds = Path(site.settings["ARTICLE_PATHS"][0])
    return [path for path in sorted(seeds.glob("*.txt")) if path.name in built]


def _save(site: WarmSite, path: Path, text: str) -> str:
    path.write_text(text, "utf-8")
    with collector_paused():
        change = site.apply([str(path)])
    site.finish(change)
    assert not [p for p in change.problems if p.kind == "bug"], change.problems
    return change.how


def _article(site: WarmSite, path: Path):
    for generator in site.change.generators:
        for article in getattr(generator, "articles", []):
            if Path(article.source_path).name == path.name:
                return article
    return None


def test_a_body_edit_is_taken_into_the_last_model(site):
    seed = _valid(site)[3]
    before = _article(site, seed)
    assert (
        _save(site, seed, paragraph_after_date(seed.read_text("utf-8"), "Text saved alone."))
        == "text"
    )
    after = _article(site, seed)
    assert after is before  # the same object, in every listing that holds it
    assert "Text saved alone." in after.content
    assert "Text saved alone." in Path(site.output, after.save_as).read_text("utf-8")
    # And again: the store keeps the new text for the next change.
    text = seed.read_text("utf-8").replace("Text saved alone.", "Text saved twice.")
    assert _save(site, seed, text) == "text"
    assert "Text saved twice." in _article(site, seed).content


def test_a_title_edit_makes_the_model_again(site):
    seed = _valid(site)[4]
    text = re.sub(r"^# (.+)$", r"# \1 Retitled", seed.read_text("utf-8"), count=1, flags=re.M)
    assert _save(site, seed, text) == "model"
    assert _article(site, seed).title.endswith("Retitled")


def test_a_related_title_added_to_the_body_makes_the_model_again(site):
    seeds = _valid(site)
    seed, other = seeds[5], seeds[6]
    title = re.search(r"^# (.+)$", other.read_text("utf-8"), re.M).group(1).strip()
    text = paragraph_after_date(seed.read_text("utf-8"), f"**Related article:** [{title}](#)")
    assert _save(site, seed, text) == "model"
    links = _article(site, seed).related_links
    assert any(link.target is _article(site, other) for link in links)


def test_a_body_that_becomes_another_seeds_copy_makes_the_model_again(site):
    """Same source URL and body as another seed: an exact duplicate, dropped by the model."""
    seeds = _valid(site)
    original, copy = seeds[7], seeds[8]
    text = original.read_text("utf-8")
    title = re.search(r"^# (.+)$", copy.read_text("utf-8"), re.M).group(0)
    assert _save(site, copy, re.sub(r"^# (.+)$", title, text, count=1, flags=re.M)) == "model"
    duplicate = copy.read_text("utf-8")
    assert _article(site, copy) is None  # dropped: built once, as the original
    # A paragraph of its own: it is back in the archive (the model made again), then
    # edited alone (text), then its body is the original's again (a duplicate: model).
    assert _save(site, copy, paragraph_after_date(duplicate, "A paragraph of its own.")) == "model"
    assert _save(site, copy, paragraph_after_date(duplicate, "A paragraph, edited.")) == "text"
    assert _save(site, copy, duplicate) == "model"
    assert _article(site, copy) is None


def test_a_body_edit_that_breaks_the_seed_makes_the_model_again(site):
    seed = _valid(site)[9]
    broken = seed.read_text("utf-8").replace("\n", "\0", 1)
    assert _save(site, seed, broken) == "model"
    assert _article(site, seed) is None
