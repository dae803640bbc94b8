"""The build runner's promises: exit codes, bug reports, no half-built site, sync."""

from __future__ import annotations

import json
import logging
import os
import shutil

import pytest

from newsarchive.__main__ import main
from newsarchive.build import BuildOptions, run_build

from ..conftest import FIXTURE_ARCHIVE, REAL_SEED


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(REAL_SEED, folder)
    for name in ("001_agency_only.txt", "002_two_authors.txt"):
        shutil.copy(FIXTURE_ARCHIVE / name, folder)
    return folder


def build(seeds, tmp_path, **options):
    return run_build(
        BuildOptions(seeds=seeds, output=tmp_path / "out", report=tmp_path / "r.json", **options)
    )


def test_clean_build_exits_zero_even_strict(tmp_path):
    clean = tmp_path / "clean-seeds"
    clean.mkdir()
    for name in ("001_agency_only.txt", "003_no_byline_url_date.txt"):
        shutil.copy(FIXTURE_ARCHIVE / name, clean)
    report = build(clean, tmp_path, strict=True)
    assert report.exit_code == 0, report.warnings
    assert report.articles_written == 2


def test_strict_fails_on_an_unresolved_related_title(seeds, tmp_path):
    report = build(seeds, tmp_path, strict=True)
    assert report.articles_written == 3
    assert report.exit_code == 1
    assert any("An Article That Was Never Scraped" in w["message"] for w in report.warnings)


def test_strict_fails_on_a_skipped_seed(seeds, tmp_path):
    (seeds / "broken.txt").write_bytes(b"")
    assert build(seeds, tmp_path).exit_code == 0
    strict = build(seeds, tmp_path, strict=True)
    assert strict.exit_code == 1
    assert strict.skipped[0]["file"].endswith("broken.txt")


def test_cli_exit_code_and_summary(seeds, tmp_path, capsys):
    (seeds / "empty.txt").write_bytes(b"")
    argv = [
        "build",
        "--seeds",
        str(seeds),
        "--output",
        str(tmp_path / "o"),
        "--report",
        str(tmp_path / "r.json"),
    ]
    assert main([*argv, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Skipped 1 seed(s):" in out and "empty.txt: empty file" in out
    assert main([*argv, "--quiet", "--strict"]) == 1


def test_every_bug_is_reported_and_fails_the_build(seeds, tmp_path, monkeypatch):
    import seed_reader.pelican_glue as glue

    real_parse = glue.parse_seed_bytes

    def buggy(data, **kwargs):
        seed = real_parse(data, **kwargs)
        if seed.agency in {"Northwind Wire", ""}:
            raise KeyError("boom")
        return seed

    monkeypatch.setattr(glue, "parse_seed_bytes", buggy)
    report = build(seeds, tmp_path)
    assert report.exit_code == 1
    assert len(report.bugs) == 2, "every failure, not only the first"
    files = sorted(bug["file"].rsplit("/", 1)[-1] for bug in report.bugs)
    assert files == ["001_agency_only.txt", "002_two_authors.txt"]
    assert all(bug["type"] == "KeyError" for bug in report.bugs)
    assert all("test_build_runner.py" in bug["where"] for bug in report.bugs)
    saved = json.loads((tmp_path / "r.json").read_text())
    assert saved["exit_code"] == 1 and len(saved["bugs"]) == 2


def test_failed_build_leaves_previous_site_untouched(seeds, tmp_path, monkeypatch):
    assert build(seeds, tmp_path).exit_code == 0
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (seeds / "000_de2c79a0c33f0dde.txt").unlink()
    import structured_data.pelican_glue as sd

    def explode(generator, content):
        raise RuntimeError("template data bug")

    monkeypatch.setattr(sd, "news_article", lambda **kw: explode(None, None))
    report = build(seeds, tmp_path)
    assert report.exit_code == 1
    assert report.bugs and report.bugs[0]["type"] == "RuntimeError"
    assert "test_build_runner.py" in report.bugs[0]["where"]
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_rebuild_rewrites_nothing_and_deleted_seed_disappears(seeds, tmp_path):
    build(seeds, tmp_path)
    out = tmp_path / "out"
    page = next(out.glob("2020/10/russia-pledges-help-*.html"))
    old = os.stat(page).st_mtime_ns
    os.utime(page, ns=(old - 10_000_000_000, old - 10_000_000_000))
    marked = os.stat(page).st_mtime_ns
    again = build(seeds, tmp_path)
    assert again.sections["sync"]["written"] == 0
    assert os.stat(page).st_mtime_ns == marked, "unchanged files keep their mtime"
    (seeds / "000_de2c79a0c33f0dde.txt").unlink()
    third = build(seeds, tmp_path)
    assert not page.exists()
    assert third.sections["sync"]["deleted"] >= 1
    assert "russia-pledges-help" not in (out / "index.html").read_text()


def test_sync_never_deletes_files_it_did_not_write(seeds, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep-me.txt").write_text("mine")
    build(seeds, tmp_path)
    (seeds / "002_two_authors.txt").unlink()
    build(seeds, tmp_path)
    assert (out / "keep-me.txt").read_text() == "mine"


def test_missing_seed_folder_is_an_error(tmp_path):
    report = build(tmp_path / "nope", tmp_path)
    assert report.exit_code == 1
    assert "does not exist" in report.errors[0]["message"]


def test_same_day_articles_build_identically_every_time(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(12):
        (seeds / f"{number:03d}.txt").write_text(
            f"# Story number {number}\n\nMay 5, 2020\n\nParagraph {number}.\n", "utf-8"
        )
    build(seeds, tmp_path)
    again = build(seeds, tmp_path)
    assert again.sections["sync"]["written"] == 0, "same-date ties are ordered deterministically"


def test_a_rebuild_reads_every_seed_from_the_content_cache(seeds, tmp_path, monkeypatch):
    """The reader cache (kept in read_cache's form) answers for every unchanged seed."""
    from seed_reader import pelican_glue as glue

    build(seeds, tmp_path)
    parsed: list[str] = []
    real = glue.parse_seed_bytes
    monkeypatch.setattr(
        glue, "parse_seed_bytes", lambda data, **kw: parsed.append(1) or real(data, **kw)
    )
    real_files = glue.parse_files
    monkeypatch.setattr(
        glue,
        "parse_files",
        lambda todo, *a, **kw: parsed.extend(todo) or real_files(todo, *a, **kw),
    )
    again = build(seeds, tmp_path)
    assert again.articles_written == 3 and again.sections["sync"]["written"] == 0
    assert parsed == [], "no seed parsed again"
    (seeds / "002_two_authors.txt").write_text(
        (seeds / "002_two_authors.txt").read_text("utf-8") + "\nOne more line.\n", "utf-8"
    )
    build(seeds, tmp_path)
    assert parsed and {os.path.basename(p) for p in parsed if isinstance(p, str)} <= {
        "002_two_authors.txt"
    }, "only the edited seed"


def test_the_build_keeps_the_articles_long_texts_in_its_text_store(seeds, tmp_path, monkeypatch):
    """Body HTML, plain text and JSON-LD wait in a file while Pelican runs (sitewide.text_store).

    Pelican holds every article to the end of the build: only a handle each stays in memory,
    and what the pages show is the text read back.  (From SAVE_MEMORY_FROM seeds on: here 3.)
    """
    from bs4 import BeautifulSoup

    from newsarchive import build as build_module

    monkeypatch.setattr(build_module, "SAVE_MEMORY_FROM", 3)
    from pelican import signals

    from sitewide.text_store import MIN_CHARS, StoredText, current

    generators: list = []
    seen: list = []
    page_only: dict[str, tuple] = {}

    def note_generators(given):
        generators.extend(given)

    def kind(article, name):
        return type(vars(article)[name]), len(str(getattr(article, name))) >= MIN_CHARS

    def when_written(path, context):  # JSON-LD: set for its page alone, then dropped
        article = context.get("article")
        if article is not None:
            page_only[article.save_as] = kind(article, "jsonld")

    def after_writing(pelican):
        assert current() is not None and current().path.is_file()
        for article in (a for g in generators for a in getattr(g, "articles", [])):
            state = vars(article)
            kinds = {name: kind(article, name) for name in ("_content", "body_text")}
            kinds["jsonld"] = page_only[article.save_as]
            assert "jsonld" not in state, "dropped once its page is written"
            shared = article.metadata["body_text"] is state["body_text"]
            seen.append((article.save_as, kinds, shared, article.content, article.body_text))

    signals.all_generators_finalized.connect(note_generators)
    signals.content_written.connect(when_written)
    signals.finalized.connect(after_writing)
    try:
        report = build(seeds, tmp_path)
    finally:
        signals.all_generators_finalized.disconnect(note_generators)
        signals.content_written.disconnect(when_written)
        signals.finalized.disconnect(after_writing)
    assert report.exit_code == 0 and len(seen) == 3, report.bugs
    assert any(all(long for _, long in kinds.values()) for _, kinds, *_ in seen), "the real seed"
    for save_as, kinds, shared, content, body_text in seen:
        for name, (kind, long) in kinds.items():  # short texts stay in memory
            assert kind is (StoredText if long else str), (save_as, name)
        assert shared, "the metadata holds the attribute's handle, not a second text"
        shown = BeautifulSoup((tmp_path / "out" / save_as).read_text("utf-8"), "html.parser")
        shown_text = shown.get_text(" ", strip=True)
        first = BeautifulSoup(content, "html.parser").find("p").get_text(" ", strip=True)
        assert first and first in shown_text
        assert " ".join(body_text.split()[:5]) in shown_text
    assert not list(tmp_path.rglob("article-texts.bin")), "the store's file is removed"


def test_seeds_parsed_ahead_wait_with_their_texts_in_the_store(seeds, tmp_path, monkeypatch):
    """Parsed on a cluster, seeds wait for Pelican with handles, not texts (all of them at once:
    1.4 GB at 100,000); each article keeps the handle it was read from, search documents are
    made of handles, and the pages (search files too) are those of a build without a store."""
    from pelican import signals

    import seed_reader.pelican_glue as reader_glue
    from newsarchive import build as build_module
    from sitewide.text_store import StoredText, current

    def pages(name: str) -> dict:
        out = tmp_path / name
        report = run_build(BuildOptions(seeds=seeds, output=out, report=None, scheduler="local"))
        assert report.exit_code == 0, report.bugs
        return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    without_store = pages("plain")
    monkeypatch.setattr(build_module, "SAVE_MEMORY_FROM", 3)
    waiting: list = []
    writes: dict[str, int] = {}
    real = reader_glue.parse_files

    def parse_files(*args, **kwargs):
        prepared = real(*args, **kwargs)
        waiting.extend((type(seed.body_html), type(seed.body_text)) for seed in prepared.values())
        writes["parsed"] = current().texts
        return prepared

    def after_reading(generator):
        writes["read"] = current().texts

    import lunr_search.pelican_glue as search_glue

    bodies: list = []
    real_job = search_glue.IndexJob

    def index_job(docs, *args, **kwargs):
        bodies.extend(type(doc.body) for doc in docs)
        return real_job(docs, *args, **kwargs)

    monkeypatch.setattr(reader_glue, "parse_files", parse_files)
    monkeypatch.setattr(search_glue, "IndexJob", index_job)
    signals.article_generator_pretaxonomy.connect(after_reading)
    try:
        with_store = pages("stored")
    finally:
        signals.article_generator_pretaxonomy.disconnect(after_reading)
    assert len(waiting) == 3 and (StoredText, StoredText) in waiting, "the real seed's texts"
    assert writes["read"] == writes["parsed"] > 0, "reading the articles wrote no text again"
    assert StoredText in bodies, "search documents hold the bodies' handles, not their texts"
    assert with_store == without_store


def test_a_small_archive_keeps_its_texts_in_memory(seeds, tmp_path):
    """Below SAVE_MEMORY_FROM seeds no store is opened: it would cost more than it saves."""
    from pelican import signals

    from sitewide.text_store import current

    stores: list = []

    def note_store(generators):
        stores.append(current())
        stores.extend(
            type(vars(a)["_content"]) for g in generators for a in getattr(g, "articles", [])
        )

    signals.all_generators_finalized.connect(note_store)
    try:
        assert build(seeds, tmp_path).exit_code == 0
    finally:
        signals.all_generators_finalized.disconnect(note_store)
    assert stores == [None, str, str, str]


@pytest.mark.parametrize("shown", [logging.WARNING, logging.INFO], ids=["quiet", "verbose"])
def test_a_line_per_written_file_only_when_info_lines_are_shown(seeds, tmp_path, shown):
    """Unshown, Pelican's ``Writing "..."`` lines were made anyway and kept by its log filter."""
    from pelican.log import LimitFilter

    class Lines(logging.Handler):
        def __init__(self) -> None:
            super().__init__(level=shown)
            self.messages: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.messages.append(record.getMessage())

    lines = Lines()
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers[:] = [lines]  # as the command line sets it up (pytest's own handlers aside)
    try:
        report = build(seeds, tmp_path)
        kept = [message for _, message in LimitFilter._raised_messages]
    finally:
        root.handlers[:] = saved
    assert report.exit_code == 0
    assert report.articles_written == 3
    writing = [m for m in lines.messages if m.startswith("Writing ")]
    if shown == logging.INFO:
        assert len(writing) >= report.articles_written
    else:
        assert not writing
        assert not [m for m in kept if m.startswith("Writing ")]
    assert logging.getLogger("pelican.writers").level == logging.NOTSET, "restored"
