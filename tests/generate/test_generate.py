"""The synthetic archive generator: deterministic, complete, and honest about its truth."""

from __future__ import annotations

import collections
import re
import statistics
from pathlib import Path

import pytest

from tools.generate import (
    BROKEN_KINDS,
    GROUND_TRUTH_NAME,
    RELATED_VARIANTS,
    GenerateError,
    GroundTruth,
    generate_archive,
    main,
    title_key,
)

from .seedfiles import COUNT, RELATED_RE, URL_DATE_RE, cut, decode, read_lines, source_url_of

# --------------------------------------------------------------------------- determinism


def test_same_count_and_seed_give_byte_identical_files(
    archive: tuple[Path, GroundTruth], tmp_path: Path
) -> None:
    folder, truth = archive
    again = generate_archive(COUNT, tmp_path, seed=0)
    first = sorted(p.name for p in folder.iterdir())
    assert first == sorted(p.name for p in tmp_path.iterdir())
    for name in first:
        assert (folder / name).read_bytes() == (tmp_path / name).read_bytes(), name
    assert again == truth


def test_another_seed_gives_another_archive(
    archive: tuple[Path, GroundTruth], tmp_path: Path
) -> None:
    _, truth = archive
    other = generate_archive(COUNT, tmp_path, seed=1)
    assert {a.title for a in other.articles} != {a.title for a in truth.articles}


# --------------------------------------------------------------------------- counts and files


def test_counts_names_and_ground_truth_file(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    names = sorted(p.name for p in folder.glob("*.txt"))
    assert len(names) == COUNT
    assert all(re.fullmatch(r"\d{6}_[0-9a-f]{16}\.txt", name) for name in names)
    assert [int(name[:6]) for name in names] == list(range(COUNT))
    assert not GROUND_TRUTH_NAME.endswith(".txt")
    assert GroundTruth.load(folder) == truth
    not_built = [b for b in truth.broken if not b.builds]
    assert len(truth.articles) == COUNT - len(not_built)
    assert truth.count == COUNT and truth.seed == 0 and truth.broken_enabled


def test_articles_are_in_date_order_over_several_years(archive: tuple[Path, GroundTruth]) -> None:
    _, truth = archive
    days = [a.date for a in truth.articles]
    assert days == sorted(days)
    assert days[0].startswith("2018") and days[-1].startswith("2024")


def test_source_urls_are_unique_except_deliberate_duplicates(
    archive: tuple[Path, GroundTruth],
) -> None:
    _, truth = archive
    urls = [a.source_url for a in truth.articles]
    assert len(urls) == len(set(urls))


def test_without_broken_or_below_fifty_every_file_is_an_article(tmp_path: Path) -> None:
    clean = generate_archive(120, tmp_path / "clean", seed=3, broken=False)
    small = generate_archive(30, tmp_path / "small", seed=3)
    assert not clean.broken and len(clean.articles) == 120
    assert not small.broken and len(small.articles) == 30


# --------------------------------------------------------------------------- every variant


def test_every_kind_of_content_appears(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    articles = truth.articles
    assert {a.date_source for a in articles} == {"line", "url"}
    hosts = {a.source_url.split("/")[2] for a in articles}
    assert hosts == {
        "www.example-times.example",
        "www.northwind-wire.example",
        "news.example.org",
        "www.example-broadcast.example",
        "digest.example.net",
        "agency.example.com",
    }
    assert {a.twin_kind for a in articles} == {None, "exact", "name", "number", "negation"}
    assert {r.variant for r in truth.related} == set(RELATED_VARIANTS)
    assert {b.kind for b in truth.broken} == set(BROKEN_KINDS)
    assert any(a.caption and a.credit for a in articles)
    assert any(a.credit and "/" not in a.credit for a in articles)  # "Handout"
    assert any(a.dateline for a in articles)
    assert sum(a.splits for a in articles) >= 10
    assert any(len(a.related) == 3 for a in articles)

    text = "\n".join("\n".join(read_lines(folder / a.file)) for a in articles)
    assert re.search(r"^### \*\*'.+'\*\*$", text, re.M)
    assert re.search(r"^### \*\*[^'].+\*\*$", text, re.M)
    assert re.search(r"^### [^*].+$", text, re.M)
    for name in ("Beispielmüller", "Örnekoğlu", "São Paulo", "Przykładowski", "Orinakyan"):
        assert name in text
    assert "\u201c" in text and '"' in text  # curly and straight quotes in bodies


def test_related_lines_cite_earlier_and_later_and_ambiguous_titles(tmp_path: Path) -> None:
    """Also a sanity check that a larger count works (not timed)."""
    truth = generate_archive(1200, tmp_path, seed=5)
    assert len(list(tmp_path.glob("*.txt"))) == 1200
    assert len(truth.broken) == 8
    cited = [r for r in truth.related if r.target is not None]
    later = [r for r in cited if r.target > r.citing]
    assert 0.03 < len(later) / len(cited) < 0.3
    assert any(len(r.candidates) > 1 for r in cited)


# --------------------------------------------------------------------------- ground truth


def test_article_truth_matches_the_files(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    related_by_file = collections.defaultdict(list)
    for record in truth.related:
        related_by_file[record.citing].append(record)
    for article in truth.articles:
        parts = cut(read_lines(folder / article.file), article)  # finds every header line
        assert source_url_of(parts.source) == article.source_url
        if article.date_source == "url":
            day = article.date.split("-")
            assert URL_DATE_RE.search(article.source_url).groups() == tuple(day)

        body = parts.body_blocks
        paragraphs = [line for line in body if not line.startswith("###")]
        paragraphs = [line for line in paragraphs if not RELATED_RE.match(line)]
        if article.dateline:
            dash = "-" if article.kind == "latin1" else "\u2014"  # Latin-1 has no em dash
            assert paragraphs[0].startswith(f"{article.dateline} {dash} ")
        unfinished = [p for p in paragraphs if p[-1].isalnum()]
        assert len(unfinished) == article.splits, article.file
        assert len(paragraphs) == article.paragraphs + article.splits
        subhead_words = sum(len(line.split()) - 1 for line in body if line.startswith("###"))
        assert sum(len(p.split()) for p in paragraphs) + subhead_words == article.words
        assert sum(line.startswith("###") for line in body) == article.subheads

        cited = [RELATED_RE.match(line)["text"] for line in body if RELATED_RE.match(line)]
        records = related_by_file[article.file]
        assert cited == [r.text for r in records]
        assert [r.index for r in records] == list(range(len(records)))
        assert article.related == tuple(r.target for r in records)


def test_related_truth_is_consistent(archive: tuple[Path, GroundTruth]) -> None:
    _, truth = archive
    by_file = {a.file: a for a in truth.articles}
    all_keys = {title_key(a.title) for a in truth.articles}
    for record in truth.related:
        if record.variant in ("missing", "missing_near"):
            assert record.target is None and not record.candidates
            assert title_key(record.text) not in all_keys, record
            continue
        target = by_file[record.target]
        assert target.kind == "normal" and record.target != record.citing
        assert title_key(record.text) == title_key(target.title)
        assert record.target in record.candidates
        assert all(
            title_key(by_file[c].title) == title_key(target.title) for c in record.candidates
        )
        assert (record.text == target.title) == (record.variant == "exact"), record


def test_twins_are_near_or_exact_copies_of_earlier_titles(
    archive: tuple[Path, GroundTruth],
) -> None:
    _, truth = archive
    by_file = {a.file: a for a in truth.articles}
    for article in truth.articles:
        if article.twin_of is None:
            continue
        twin = by_file[article.twin_of]
        assert twin.file < article.file
        if article.twin_kind == "exact":
            assert twin.title == article.title and twin.date < article.date
            assert twin.source_url != article.source_url
        else:
            assert title_key(twin.title) != title_key(article.title)
            assert len(set(twin.title.split()) ^ set(article.title.split())) <= 4


def test_broken_files_are_broken_as_recorded(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    for record in truth.broken:
        data = (folder / record.file).read_bytes()
        assert record.builds == (record.kind in ("latin1", "bom_crlf"))
        assert (record.duplicate_of is not None) == (record.kind == "duplicate")
        if record.kind == "empty":
            assert data == b""
        elif record.kind == "whitespace":
            assert data and not data.strip()
        elif record.kind == "binary":
            assert b"\x00" in data
        elif record.kind == "no_title":
            assert not re.search(rb"^# ", data, re.M) and re.search(rb"(?i)original url:", data)
        elif record.kind == "latin1":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert "# " in data.decode("latin-1")
        elif record.kind == "bom_crlf":
            assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
            assert b"\n" not in data.replace(b"\r\n", b"")
        elif record.kind == "no_date":
            lines = [line.rstrip() for line in decode(data).replace("\r\n", "\n").split("\n")]
            source_at = max(i for i, line in enumerate(lines) if "url:" in line.lower())
            assert not URL_DATE_RE.search(source_url_of(lines[source_at:]))
        elif record.kind == "duplicate":
            assert data == (folder / record.duplicate_of).read_bytes()
            assert record.file[7:] == record.duplicate_of[7:]  # same source URL hash
    built = {a.file for a in truth.articles}
    assert all((b.file in built) == b.builds for b in truth.broken)


def test_lengths_and_word_frequencies_look_like_news(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    words = [a.words for a in truth.articles]
    assert min(words) >= 150 and max(words) <= 1700
    assert 380 <= statistics.median(words) <= 650
    counts = collections.Counter(
        word
        for a in truth.articles[:100]
        for word in re.findall(r"[a-z]+", decode((folder / a.file).read_bytes()).lower())
    )
    ranked = [n for _, n in counts.most_common()]
    assert ranked[0] > 3 * ranked[9] > 9 * ranked[99]  # Zipf-like fall-off
    assert len(counts) > 500


def test_title_key_ignores_only_typography() -> None:
    spelled = "The Parliament&#8217;s \u2018No\u2019 &amp; Russia\u2013Ukraine  Talks."
    assert title_key(spelled) == title_key("parliament's 'no' & russia-ukraine talks")
    assert title_key("Parliament Says Examplov Will Attend") != title_key(
        "Parliament Denies Examplov Will Attend"
    )
    assert title_key("Russia Reports 5,000 Cases") != title_key("Russia Reports 6,000 Cases")


# --------------------------------------------------------------------------- API edges and CLI


def test_rerun_replaces_a_generated_archive_but_not_foreign_files(tmp_path: Path) -> None:
    generate_archive(60, tmp_path)
    generate_archive(55, tmp_path, seed=2)
    assert len(list(tmp_path.glob("*.txt"))) == 55
    (tmp_path / "000_de2c79a0c33f0dde.txt").write_text("# A real seed\n", encoding="utf-8")
    with pytest.raises(GenerateError, match="did not write"):
        generate_archive(10, tmp_path)


@pytest.mark.parametrize("count", [0, -1, 1_000_000])
def test_count_out_of_range_is_refused(tmp_path: Path, count: int) -> None:
    with pytest.raises(GenerateError, match="count"):
        generate_archive(count, tmp_path)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--count", "60", "--output", str(tmp_path), "--seed", "4"]) == 0
    assert "wrote 60 seed files" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.txt"))) == 60
    assert GroundTruth.load(tmp_path).seed == 4
