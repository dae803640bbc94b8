"""Incremental rebuilds: nothing re-rendered without a change, exactly what changed otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pelican import signals

from newsarchive.build import ROOT, BuildOptions, run_build
from newsarchive.progress import PROGRESS

from ..conftest import FIXTURE_ARCHIVE, REAL_SEED

REAL_PAGE = "2020/10/russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920.html"


@pytest.fixture
def project(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REAL_SEED, seeds)
    for name in ("001_agency_only.txt", "002_two_authors.txt", "003_no_byline_url_date.txt"):
        shutil.copy(FIXTURE_ARCHIVE / name, seeds)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return tmp_path


def build(project: Path):
    report = run_build(
        BuildOptions(
            seeds=project / "seeds",
            output=project / "out",
            report=project / "report.json",
            overrides=(("THEME", str(project / "theme")),),
        )
    )
    assert not report.failed, (report.bugs, report.errors)
    return report


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_no_change_rebuild_renders_and_rewrites_nothing(project):
    first = build(project)
    assert first.sections["render"]["unchanged"] == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "out").rglob("*") if p.is_file()}
    again = build(project)
    assert again.sections["render"]["rendered"] == 0
    assert again.sections["sync"]["written"] == 0
    after = {p: p.stat().st_mtime_ns for p in (project / "out").rglob("*") if p.is_file()}
    assert after == before


def test_no_change_rebuild_sends_no_write_signal_and_counts_every_page(project):
    """An unchanged page needs neither its own attributes (``article_generator_write_article``
    receivers: structured data, cards) nor its writer's call; the progress display still
    counts it."""
    first = build(project)
    sent: list[str] = []
    progress: list[tuple[int, int]] = []

    def written(generator, content):
        sent.append(content.source_path)

    def shown(sender, **kwargs):
        if kwargs["stage"] == "Rendering articles":
            progress.append((kwargs["done"], kwargs["total"]))

    with (
        signals.article_generator_write_article.connected_to(written),
        PROGRESS.connected_to(shown),
    ):
        build(project)
    assert sent == []
    assert progress[-1] == (first.articles_written, first.articles_written)


def test_an_edit_makes_page_attributes_only_for_pages_it_changes_and_equals_a_fresh_build(
    project, tmp_path_factory
):
    build(project)
    seed = project / "seeds" / "000_de2c79a0c33f0dde.txt"
    seed.write_text(
        seed.read_text("utf-8").replace("# Russia Pledges Help to Yerevan", "# Russia Offers Help"),
        "utf-8",
    )
    sent: list[str] = []

    def written(generator, content):
        sent.append(Path(content.source_path).name)

    with signals.article_generator_write_article.connected_to(written):
        build(project)
    assert seed.name in sent and len(sent) < 4
    fresh = tmp_path_factory.mktemp("fresh")
    shutil.copytree(project / "seeds", fresh / "seeds")
    shutil.copytree(project / "theme", fresh / "theme")
    build(fresh)
    assert snapshot(project / "out") == snapshot(fresh / "out")


def test_edited_seed_changes_its_page_and_the_pages_listing_it(project):
    build(project)
    before = snapshot(project / "out")
    seed = project / "seeds" / "000_de2c79a0c33f0dde.txt"
    text = seed.read_text("utf-8").replace(
        "# Russia Pledges Help to Yerevan", "# Russia Promises Help to Yerevan"
    )
    seed.write_text(text, "utf-8")
    report = build(project)
    after = snapshot(project / "out")
    changed = {name for name in after if before.get(name) != after[name]}
    assert REAL_PAGE in changed
    for listing in (
        "index.html",
        "archives/2020/10/index.html",
        "authors/mariam-harutyunyan.html",
        "agencies/afp.html",
    ):
        assert listing in changed, listing
        assert b"Russia Promises Help to Yerevan" in after[listing]
    assert "about.html" not in changed
    assert "2020/04/westhaven-extends-harbour-closure-until-may-11-a70123.html" not in changed
    total_pages = len([n for n in after if n.endswith(".html")])
    assert report.sections["render"]["rendered"] < total_pages


def test_deleted_seed_page_and_listings_go(project):
    build(project)
    (project / "seeds" / "000_de2c79a0c33f0dde.txt").unlink()
    build(project)
    out = project / "out"
    assert not (out / REAL_PAGE).exists()
    assert not (out / "authors/mariam-harutyunyan.html").exists()
    assert b"Russia Pledges Help" not in (out / "index.html").read_bytes()
    assert b"Russia Pledges Help" not in (out / "archives/2020/10/index.html").read_bytes()


def test_template_edit_renders_every_page_again(project):
    first = build(project)
    rendered_cold = first.sections["render"]["rendered"]
    footer = project / "theme" / "templates" / "base.html"
    footer.write_text(
        footer.read_text("utf-8").replace("</footer>", "<!-- edited --></footer>", 1), "utf-8"
    )
    again = build(project)
    assert again.sections["render"]["rendered"] == rendered_cold
    pages = list((project / "out").rglob("*.html"))
    assert pages and all(b"<!-- edited -->" in p.read_bytes() for p in pages)
