"""Generated seeds are laid out like the real seed, with the variants real scrapes show."""

from __future__ import annotations

import collections
import re
from pathlib import Path

from tools.generate import ArticleTruth, GroundTruth
from tools.generate.layout import (
    BYLINE_KINDS,
    DATE_FORMATS,
    RELATED_STYLES,
    SPACINGS,
    URL_LABELS,
    URL_STYLES,
)

from .seedfiles import LABEL_RE, RELATED_RE, cut, decode, layout_of, read_lines

ROOT = Path(__file__).resolve().parents[2]
REAL_SEED = ROOT / "seeds" / "000_de2c79a0c33f0dde.txt"
#: The real seed's lines up to its first body paragraph, and from its last one: two blank
#: lines, title, blank, byline, blank, date, three blank, caption, blank ... paragraph,
#: blank, "Original url:", blank, "<url>" (and no newline after it).
REAL_HEADER = "__T_B_D___C_"
REAL_TAIL = "P_O_U"
DATE_RE = re.compile(r"^(?:Updated: )?(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})$")
RELATED_LABELS = {
    "bold": "**Related article:**",
    "plain": "Related article:",
    "bold_capital": "**Related Article:**",
    "read_more": "**Read more:**",
}
SPACES = {"real": 2, "extra": 3, "tight": 0}  # blank lines above the title
REAL_GAPS = {"title": 1, "byline": 1, "date": 3, "caption": 1}


def symbol(line: str) -> str:
    """One letter for the part of a seed a line is."""
    if not line:
        return "_"
    if line.startswith("# "):
        return "T"
    if LABEL_RE.match(line):
        return "O"
    if line.startswith(("<http", "http")):
        return "U"
    if DATE_RE.match(line):
        return "D"
    if line.startswith("By [") or (line.startswith("By ") and "," not in line):
        return "B"
    if line.endswith("**") and " **" in line and not line.startswith("#"):
        return "C"
    return "P"


def shape(lines: list[str]) -> tuple[str, str]:
    """The letters of the header (to the first paragraph) and of the tail (from the last)."""
    letters = "".join(symbol(line) for line in lines)
    return letters[: letters.index("P")], letters[letters.rindex("P") :]


def header_kinds(article: ArticleTruth) -> list[str]:
    kinds = ["title"]
    kinds += ["byline"] if article.byline not in ("none", "none_by_sentence") else []
    kinds += ["date"] if article.date_format != "none" else []
    return kinds + (["caption"] if article.credit else [])


def blank_runs(lines: list[str]) -> list[int]:
    """Lengths of the runs of blank lines after each non-blank line."""
    runs: list[int] = []
    for line in lines:
        if line:
            runs.append(0)
        elif runs:
            runs[-1] += 1
    return runs


def test_the_real_seed_has_the_shape_the_generator_copies() -> None:
    data = REAL_SEED.read_bytes()
    assert shape(data.decode("utf-8").split("\n")) == (REAL_HEADER, REAL_TAIL)
    assert not data.endswith(b"\n") and b"\r" not in data


def test_files_in_the_real_layout_are_shaped_like_the_real_seed(
    archive: tuple[Path, GroundTruth],
) -> None:
    folder, truth = archive
    real = [a for a in truth.articles if not a.layout and a.kind == "normal"]
    assert len(real) > 200
    with_caption = 0
    for article in real:
        data = (folder / article.file).read_bytes()
        lines = data.decode("utf-8").split("\n")
        header, tail = shape(lines)
        if article.credit:
            with_caption += 1
            assert header == REAL_HEADER, article.file
        else:
            assert header == REAL_HEADER.removesuffix("C_"), article.file
        assert tail == REAL_TAIL, article.file
        assert lines[-3:] == ["Original url:", "", f"<{article.source_url}>"]
        assert not data.endswith(b"\n") and b"\r" not in data
        assert all(line == line.rstrip() for line in lines)
        assert re.fullmatch(r"By \[[^\]]+ for [^\]]+\]\(#\)", lines[4])
    assert with_caption > 50


def test_a_fixed_share_varies_and_every_variant_appears(
    archive: tuple[Path, GroundTruth],
) -> None:
    _, truth = archive
    varied = [a for a in truth.articles if a.layout]
    assert 0.22 < len(varied) / len(truth.articles) < 0.42
    seen = collections.defaultdict(set)
    for article in truth.articles:
        for name, value in layout_of(article).items():
            seen[name].add(value)
    assert seen["url_style"] == set(URL_STYLES[1:])
    assert seen["url_label"] == set(URL_LABELS[1:])
    assert seen["byline"] | {"link_agency"} == set(BYLINE_KINDS)
    assert {a.byline for a in truth.articles} == set(BYLINE_KINDS)
    assert seen["date_format"] == set(DATE_FORMATS[1:])
    assert seen["related_style"] == set(RELATED_STYLES[1:])
    assert seen["spacing"] == set(SPACINGS[1:])
    for flag in ("crlf", "trailing_spaces", "final_newline"):
        assert seen[flag] == {"True"}
    cited = {a.file for a in truth.articles if a.related}
    styles = {layout_of(a).get("related_style", "bold") for a in truth.articles if a.file in cited}
    assert styles == set(RELATED_STYLES)
    by_sentence = [a for a in truth.articles if a.byline == "none_by_sentence"]
    assert any(a.date_format == "none" for a in by_sentence)  # right under the title


def test_each_file_is_laid_out_as_its_truth_says(archive: tuple[Path, GroundTruth]) -> None:
    folder, truth = archive
    for article in truth.articles:
        layout = layout_of(article)
        raw = (folder / article.file).read_bytes()
        text = decode(raw)
        crlf = layout.get("crlf") == "True"
        assert ("\r\n" in text) == crlf and ("\n" in text.replace("\r\n", "")) != crlf
        assert raw.endswith(b"\n") == (layout.get("final_newline") == "True")
        unix = text.replace("\r\n", "\n").split("\n")
        spaced = any(line != line.rstrip() for line in unix)
        assert spaced == (layout.get("trailing_spaces") == "True"), article.file

        lines = read_lines(folder / article.file)
        parts = cut(lines, article)
        label = layout.get("url_label", "Original url:")
        url = article.source_url
        expected_source = {
            "own_line": [label, "", f"<{url}>"],
            "next_line_bare": [label, "", url],
            "no_blank": [label, f"<{url}>"],
            "two_blanks": [label, "", "", f"<{url}>"],
            "same_line_angle": [f"{label} <{url}>"],
            "same_line_bare": [f"{label} {url}"],
        }[layout.get("url_style", "own_line")]
        final = [""] if layout.get("final_newline") == "True" else []
        assert parts.source == expected_source + final, article.file
        assert parts.body[-1] == ""  # a blank line before "Original url:"

        kinds = header_kinds(article)
        assert len([line for line in parts.header if line]) == len(kinds)
        runs = blank_runs(parts.header + parts.gap)
        spacing = layout.get("spacing", "real")
        assert len(parts.lead) == SPACES[spacing], article.file
        if spacing == "real":
            assert runs == [REAL_GAPS[kind] for kind in kinds], article.file
        elif spacing == "extra":
            assert all(run in (2, 3) for run in runs), article.file
        else:
            assert runs == [0] * (len(kinds) - 1) + [1], article.file

        style = layout.get("related_style", "bold")
        for line in parts.body_blocks:
            match = RELATED_RE.match(line)
            if match:
                assert match["label"] == RELATED_LABELS[style]
        first = parts.body_blocks[0]
        if article.byline == "none_by_sentence":
            assert re.match(r"By [A-Za-z ]+, the [a-z]+ ", first), first
        else:
            assert not first.startswith("By ")
