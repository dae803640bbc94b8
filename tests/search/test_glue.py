"""Settings validation and a real Pelican run of the plugin into tmp_path."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

from lunr_search.pelican_glue import (
    DEFAULTS,
    LunrSearchError,
    LunrSearchSettingsError,
    excerpt,
    html_to_text,
    load_settings,
    lunr_js_path,
)
from seed_reader.pelican_glue import SeedArticle
from sitewide.settings import BUILD_KEY
from tests.conftest import FIXTURE_ARCHIVE, build_site
from tests.search.synthetic import ROOT
from tools.search_stats import read_payload

LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.min.js"


def test_defaults_and_merge() -> None:
    assert load_settings({}) == DEFAULTS
    merged = load_settings({"LUNR_SEARCH": {"BOOSTS": {"title": 5}, "SHARD_BYTES": 4096}})
    assert merged["BOOSTS"] == {"title": 5, "authors": 1, "agency": 1, "body": 1}
    assert merged["SHARD_BYTES"] == 4096
    assert DEFAULTS["BOOSTS"]["title"] == 10  # not mutated by the merge


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"SHARDS": 3}, "unknown key"),
        ({"BOOSTS": {"summary": 2}}, "BOOSTS must map"),
        ({"BOOSTS": {"title": 0}}, "BOOSTS"),
        ({"SHARD_BYTES": 0}, "SHARD_BYTES"),
        ({"DOCS_PER_CHUNK": True}, "DOCS_PER_CHUNK"),
        ({"OUTPUT_DIR": "../elsewhere"}, "OUTPUT_DIR"),
        ("search", "expected a dict"),
    ],
)
def test_bad_settings_fail_with_a_prefixed_message(value: object, message: str) -> None:
    with pytest.raises(LunrSearchSettingsError, match=f"^LUNR_SEARCH: .*{message}"):
        load_settings({"LUNR_SEARCH": value})


def test_missing_lunr_js_says_run_npm_ci(tmp_path: Path) -> None:
    config = load_settings({"LUNR_SEARCH": {"LUNR_JS": str(tmp_path / "lunr.min.js")}})
    with pytest.raises(LunrSearchError, match="run `npm ci`"):
        lunr_js_path(config)


def test_html_to_text_unescapes_and_drops_tags() -> None:
    assert html_to_text("Tom &amp; Jerry &lt;3") == "Tom & Jerry <3"
    assert html_to_text("<p>Markdown <em>summary</em></p>") == "Markdown summary"


def test_a_seed_summary_is_plain_text_and_used_as_it_is() -> None:
    summary = "Profits &amp; losses: <b>not</b> a tag, 3 < 4 "
    seed = SimpleNamespace(summary=summary, summary_format=SeedArticle.summary_format)
    assert excerpt(seed) == summary.strip()
    markdown = SimpleNamespace(summary="<p>Tom &amp; Jerry</p>")
    assert excerpt(markdown) == "Tom & Jerry"


ARTICLE = """Title: {title}
Date: {date}
Authors: {authors}
Category: {agency}
Agency: {agency}
Body_text: {body}

{body}
"""


def _run_pelican(content: Path, output: Path, **extra: object) -> None:
    settings = read_settings(
        override={
            **extra,
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "PLUGINS": ["lunr_search"],
            "SITEURL": "",
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "AUTHOR_FEED_ATOM": None,
            "AUTHOR_FEED_RSS": None,
            "TRANSLATION_FEED_ATOM": None,
            "LUNR_SEARCH": {"DOCS_PER_CHUNK": 2},
        }
    )
    Pelican(settings).run()


def test_pelican_build_writes_the_search_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if not LUNR_JS.is_file():
        pytest.skip(f"{LUNR_JS} missing: run `npm ci`")
    content = tmp_path / "content"
    content.mkdir()
    stories = [
        (
            "Patov visits Zürich",
            "2021-03-02",
            "Anna Müller",
            "Example Press Agency",
            "Talks on gas & oil.",
        ),
        ("Markets rally", "2020-01-05", "Boris Levin, Chen Wei", "Northwind Wires", "Shares rose."),
        ("Kremlin replies", "2022-07-09", "Anna Müller", "Kestrel News", "A statement from Patov."),
    ]
    for i, (title, date, authors, agency, body) in enumerate(stories):
        (content / f"story-{i}.md").write_text(
            ARTICLE.format(title=title, date=date, authors=authors, agency=agency, body=body),
            encoding="utf-8",
        )
    output = tmp_path / "output"
    with caplog.at_level(logging.INFO, logger="lunr_search.pelican_glue"):
        _run_pelican(content, output)
    search = output / "search"
    assert (search / "lunr.js").read_bytes() == LUNR_JS.read_bytes()
    manifest = read_payload(search / "manifest.js")
    assert manifest["docCount"] == 3
    first, second = read_payload(search / "docs-000.js"), read_payload(search / "docs-001.js")
    # oldest first: refs follow (date, url)
    assert [row[0] for row in first["docs"] + second["docs"]] == [
        "Markets rally",
        "Patov visits Zürich",
        "Kremlin replies",
    ]
    assert first["docs"][0][1:] == [
        "2020-01-05",
        "markets-rally.html",
        "Boris Levin, Chen Wei · Northwind Wires",
        "Shares rose.",
    ]
    assert first["docs"][1][4] == "Talks on gas & oil."
    terms = {
        entry[0]
        for n in range(len(manifest["shards"]))
        for entry in read_payload(search / f"shard-{n:03d}.js")["terms"]
    }
    assert {"patov", "müller", "zürich", "wire", "ga"} <= terms
    assert any("Search: 3 articles" in r.getMessage() for r in caplog.records)

    mtimes = {p.name: p.stat().st_mtime_ns for p in search.iterdir()}
    _run_pelican(content, output)
    assert {p.name: p.stat().st_mtime_ns for p in search.iterdir()} == mtimes


def test_the_templates_show_the_search_folder_the_plugin_hands_them(tmp_path: Path) -> None:
    if not LUNR_JS.is_file():
        pytest.skip(f"{LUNR_JS} missing: run `npm ci`")
    site = build_site(
        FIXTURE_ARCHIVE,
        tmp_path / "output",
        tmp_path / "report.json",
        overrides=(("LUNR_SEARCH", {"OUTPUT_DIR": "/find/"}),),
    )
    assert (site.output / "find" / "manifest.js").is_file()
    search = BeautifulSoup(site.page("search.html"), "html.parser")
    assert search.select_one("script[data-search-root]")["data-search-root"] == "./find/"
    article = next(site.output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html"))
    page = BeautifulSoup(article.read_text("utf-8"), "html.parser")
    assert page.select_one("script[data-search-root]")["data-search-root"] == "../../find/"


def test_the_templates_never_read_the_plugin_settings() -> None:
    templates = ROOT / "theme" / "templates"
    readers = [p.name for p in templates.rglob("*.html") if "LUNR_SEARCH" in p.read_text("utf-8")]
    assert readers == [], "templates show SEARCH_ROOT, the plugin reads LUNR_SEARCH"


def test_kept_search_state_is_used_only_under_its_build_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also: the index built in a worker leaves nothing else in the cache (inputs, files)."""
    if not LUNR_JS.is_file():
        pytest.skip(f"{LUNR_JS} missing: run `npm ci`")
    monkeypatch.setattr("lunr_search.background.MIN_DOCS", 1)
    content = tmp_path / "content"
    content.mkdir()
    (content / "story.md").write_text(
        ARTICLE.format(
            title="Gas talks", date="2021-03-02", authors="A", agency="Northwind Wire", body="Oil."
        ),
        encoding="utf-8",
    )
    cache = {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}

    def kept(build_key: str) -> bool:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="lunr_search.pelican_glue"):
            _run_pelican(content, tmp_path / "output", BUILD_KEY=build_key, **cache)
        return any("index kept" in record.getMessage() for record in caplog.records)

    earlier = tmp_path / "cache" / "lunr_search.pairs.pickle"  # kept apart by earlier code
    earlier.parent.mkdir()
    earlier.write_bytes(b"old")
    assert not kept("k1")
    assert kept("k1"), "same inputs, same build key: the index is kept"
    assert not kept("k2"), "another build key never reuses the stamp"
    assert (tmp_path / "output" / "search" / "manifest.js").is_file()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir() if "search" in p.name) == [
        "lunr_search.analyses.pickle",
        "lunr_search.inputs",
    ], "one file of analyses (the earlier pairs file removed)"


def test_the_index_starts_before_related_links_are_resolved(tmp_path: Path) -> None:
    """Search reads nothing related sets: started first, its job runs beside that work.

    Pelican calls a signal's receivers in the order plugins connect them (PLUGINS).
    """
    from pelican import signals

    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(tmp_path), "OUTPUT_PATH": str(tmp_path / "out"), BUILD_KEY: "k"},
    )
    Pelican(settings)
    names = [
        f"{receiver.__module__}.{receiver.__name__}"
        for receiver in signals.article_generator_finalized.receivers_for(object())
    ]
    assert names.index("lunr_search.pelican_glue.start_index_early") < names.index(
        "related.pelican_glue.link_articles"
    )
