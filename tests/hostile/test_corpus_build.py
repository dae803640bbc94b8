"""Build the hostile corpus and check: no script runs, nothing escapes, nothing is lost.

``OUTCOMES`` is the contract for each seed in ``corpus/``: the page it becomes,
the reason it is skipped, or the seed it duplicates.  ``corpus/README.md``
says what each seed tries.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsarchive.build import BuildOptions, run_build
from newsarchive.linkcheck import check_site
from newsarchive.sync import list_files
from seed_reader.text import RESERVED_NAMES

from .conftest import CORPUS

PAGE = "page"
SKIPPED = "skipped"
DUPLICATE = "duplicate"

#: Every corpus seed -> (outcome, page path | reason fragment | kept seed).
OUTCOMES: dict[str, tuple[str, str]] = {
    # XSS in every field: a page, with the markup shown as text or removed
    "xss_title.txt": (PAGE, "2020/10/xss-title.html"),
    "xss_byline.txt": (PAGE, "2020/10/xss-byline.html"),
    "xss_caption.txt": (PAGE, "2020/10/xss-caption.html"),
    "xss_body.txt": (PAGE, "2020/10/xss-body.html"),
    "xss_source_url.txt": (PAGE, "2020/10/source-url-is-script.html"),
    "xss_source_url_quote.txt": (PAGE, "2020/10/quote-onmouseover-window-pwned-source-attr-x.html"),
    "xss_related.txt": (PAGE, "2020/10/xss-related.html"),
    "jsonld_breakout.txt": (PAGE, "2020/10/jsonld-breakout.html"),
    "template_injection.txt": (PAGE, "2020/10/template-injection.html"),
    "control_chars.txt": (PAGE, "2020/10/control-chars.html"),
    "placeholder_forgery.txt": (PAGE, "2020/10/placeholder-forgery.html"),
    # paths: slugs confined to a-z0-9-, at most 80 characters, no reserved names
    "traversal_title.txt": (PAGE, "2020/10/tmp-pwned-title.html"),
    "traversal_url.txt": (PAGE, "2020/10/pwned-url.html"),
    "traversal_absolute.txt": (PAGE, "2020/10/etc-passwd.html"),
    "traversal_nul.txt": (PAGE, "2020/10/a-b.html"),
    "traversal_backslash.txt": (PAGE, "2020/10/windows-system32-drivers-etc-hosts.html"),
    "long_title.txt": (
        PAGE,
        "2020/10/word0-word1-word2-word3-word4-word5-word6-word7-word8-word9-word10-word11.html",
    ),
    "long_url_segment.txt": (PAGE, "2020/10/" + "-".join(["segment"] * 10) + ".html"),
    "long_author.txt": (PAGE, "2020/10/long-author-name.html"),
    "reserved_names.txt": (PAGE, "2020/10/con-b1f6e510.html"),
    "reserved_agency.txt": (PAGE, "2020/10/aux-2288e3ab.html"),
    "pagination_author.txt": (PAGE, "2020/10/author-named-like-a-page.html"),
    "unnamed_authors.txt": (PAGE, "2020/10/authors-without-letters.html"),
    # collisions: both get pages, suffixes by (date, path), skipping taken ones
    "collision_title_a.txt": (PAGE, "2020/10/same-title.html"),
    "collision_title_b.txt": (PAGE, "2020/10/same-title-3.html"),
    "collision_title_c.txt": (PAGE, "2020/10/same-title-2.html"),
    "collision_url_a.txt": (PAGE, "2020/10/story.html"),
    "collision_url_b.txt": (PAGE, "2020/10/story-2.html"),
    # duplicates: same source URL and text -> built once; the first in path order is kept
    "dup_copy.txt": (PAGE, "2020/10/duplicated-story.html"),
    "dup_crlf_bom.txt": (DUPLICATE, "dup_copy.txt"),
    "dup_original.txt": (DUPLICATE, "dup_copy.txt"),
    "dup_same_url_new_text.txt": (PAGE, "2020/10/duplicated-story-2.html"),
    "dup_bodiless_a.txt": (PAGE, "2020/10/bodiless.html"),
    "dup_bodiless_b.txt": (PAGE, "2020/10/bodiless-2.html"),
    # encodings: decoded with a warning
    "enc_latin1.txt": (PAGE, "2020/10/cafe-creme-naive.html"),
    "enc_cp1252.txt": (PAGE, "2020/10/smart-quotes-windows.html"),
    "enc_utf16.txt": (PAGE, "2020/10/utf-16-seed.html"),
    "enc_broken_utf8.txt": (PAGE, "2020/10/broken-utf-8-muller.html"),
    # long lines and deep nesting: a page, the costly blocks as plain text
    "long_lines.txt": (PAGE, "2020/10/ten-thousand-character-lines.html"),
    "deep_nesting.txt": (PAGE, "2020/10/deeply-nested-list.html"),
    # not articles: skipped, with the reason in the report
    "enc_only_bom.txt": (SKIPPED, "no title"),
    "empty.txt": (SKIPPED, "empty file"),
    "blank.txt": (SKIPPED, "blank file"),
    "binary_png.txt": (SKIPPED, "binary file (contains NUL bytes)"),
    "binary_controls.txt": (SKIPPED, "binary file (mostly control characters)"),
    "no_title.txt": (SKIPPED, "no title"),
    "no_date_script_url.txt": (SKIPPED, "no date"),
}

#: Seeds whose decoding or rendering must leave a warning naming them.
WARNED = {
    "enc_latin1.txt": "UTF-8",
    "enc_cp1252.txt": "UTF-8",
    "enc_utf16.txt": "UTF-16",
    "enc_broken_utf8.txt": "U+FFFD",
    "xss_source_url.txt": "not an http(s) URL",
    "traversal_absolute.txt": "not an http(s) URL",
    "long_lines.txt": "shown as plain text",
    "deep_nesting.txt": "too deeply nested",
    "dup_crlf_bom.txt": "exact duplicate of",
    "dup_original.txt": "exact duplicate of",
}

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href")
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def article_pages(output: Path) -> set[str]:
    return {
        p.relative_to(output).as_posix()
        for p in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html")
    }


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_the_corpus_is_the_one_described():
    assert {p.name for p in CORPUS.glob("*.txt")} == set(OUTCOMES)


def test_every_seed_is_a_page_or_a_named_report_line(hostile_build):
    report = hostile_build.site.report_json
    expected_pages = {out for kind, out in OUTCOMES.values() if kind == PAGE}
    assert article_pages(hostile_build.output) == expected_pages
    assert report["seeds_found"] == len(OUTCOMES)
    assert report["articles_written"] == len(expected_pages)
    skipped = {name(item["file"]): item["reason"] for item in report["skipped"]}
    assert set(skipped) == {seed for seed, (kind, _) in OUTCOMES.items() if kind == SKIPPED}
    for seed, reason in skipped.items():
        assert OUTCOMES[seed][1] in reason, (seed, reason)
    dropped = {
        name(item["file"]): name(item["duplicate_of"])
        for item in report["sections"]["duplicates"]["dropped"]
    }
    assert dropped == {seed: of for seed, (kind, of) in OUTCOMES.items() if kind == DUPLICATE}
    accounted = report["articles_written"] + len(report["skipped"]) + len(dropped)
    assert accounted == report["seeds_found"]
    assert report["bugs"] == [] and report["errors"] == []
    assert report["exit_code"] == 0
    assert report["sections"]["sync"]["published"] is True


def test_warnings_name_their_seed(hostile_build):
    warnings = hostile_build.site.report_json["warnings"]
    for seed, fragment in WARNED.items():
        mine = [w["message"] for w in warnings if name(w["file"]) == seed]
        assert any(fragment in message for message in mine), (seed, mine)
    assert all(w["file"] for w in warnings), "every warning is attributed to a seed"


def test_summary_names_skipped_and_duplicate_seeds(hostile_build):
    summary = hostile_build.site.report.summary()
    for seed, (kind, _) in OUTCOMES.items():
        if kind in (SKIPPED, DUPLICATE):
            assert seed in summary, seed


def test_strict_fails_on_the_warnings(hostile_build, tmp_path):
    report = run_build(
        BuildOptions(
            seeds=hostile_build.site.seeds,
            output=tmp_path / "out",
            report=tmp_path / "r.json",
            strict=True,
        )
    )
    assert report.exit_code == 1
    assert not report.failed, "warnings, not errors"
    assert report.sections["sync"]["published"] is False, "a non-zero exit publishes nothing"
    assert not (tmp_path / "out").exists()


def test_no_seed_script_or_event_handler_in_any_page(hostile_build):
    pages = html_pages(hostile_build.output)
    assert len(pages) > len(article_pages(hostile_build.output))
    for page in pages:
        document = soup(page)
        for script in document.find_all("script"):
            if script.get("src"):
                src = script["src"]
                assert not re.match(r"^(?:[a-z]+:|//)", src, re.IGNORECASE), (page, src)
                assert (page.parent / src.split("?")[0]).resolve().is_file(), (page, src)
                assert not script.string or not script.string.strip(), (page, "src and content")
            else:
                assert script.get("type") == "application/ld+json", (page, str(script)[:200])
                json.loads(script.string)
                assert "<" not in script.string, (page, "unescaped < in JSON-LD")
        for tag in document.find_all(True):
            for attribute, value in tag.attrs.items():
                assert not attribute.lower().startswith("on"), (page, tag.name, attribute)
                if attribute.lower() in URL_ATTRIBUTES:
                    cleaned = re.sub(r"[\x00-\x20]", "", str(value))
                    assert not BAD_SCHEME.match(cleaned), (page, tag.name, value)
        for forbidden in ("iframe", "frame", "object", "embed", "style", "base", "applet"):
            assert document.find(forbidden) is None, (page, forbidden)
        refresh = document.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)})
        assert refresh is None, page
        for body in document.select(".article-body"):
            assert not body.find(
                ["form", "input", "button", "meta", "link", "script", "svg", "math", "img"]
            ), page
            assert not [t for t in body.find_all(True) if t.get("style")], page


def test_every_page_has_the_content_security_policy(hostile_build):
    for page in html_pages(hostile_build.output):
        document = soup(page)
        metas = document.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(metas) == 1, page
        policy = dict(
            part.strip().split(" ", 1) for part in metas[0]["content"].split(";") if part.strip()
        )
        assert policy["script-src"] == "'self'", page
        assert policy["default-src"] == "'self'", page
        assert policy["object-src"] == "'none'", page
        for directive, sources in policy.items():
            assert "unsafe-inline" not in sources and "unsafe-eval" not in sources, directive
            assert not re.search(r"https?:|\*", sources), (directive, sources)
        governed = document.head.find_all(["script", "link", "style"])
        if governed:
            assert metas[0].sourceline < governed[0].sourceline, "the policy comes first"


def test_body_markup_is_removed_and_ordinary_markup_kept(hostile_build):
    page = hostile_build.site.page(OUTCOMES["xss_body.txt"][1])
    body = BeautifulSoup(page, "html.parser").select_one(".article-body")
    text = body.get_text(" ")
    assert "alpha bravo charlie" in text
    assert "__pwned" not in str(body) or "__pwned" in text, "only ever as text"
    links = {a.get_text(): a.get("href") for a in body.find_all("a")}
    assert links["Northwind Wire"] == "https://northwind.example/world/"
    assert links["mail the desk"] == "mailto:desk@example.org"
    for label in ("js link", "md js", "md data", "tab js", "space js", "case js", "vb"):
        assert links[label] is None, label
    for label in ("pelican static", "pelican attach", "pelican filename", "bar syntax"):
        assert links[label] is None, label
    assert body.find("em").get_text() == "emphasis"
    assert body.find("strong").get_text() == "strength"
    assert "styled paragraph" in text, "a styled paragraph keeps its text, not its style"


def test_build_files_are_never_published(hostile_build):
    root = Path(__file__).resolve().parents[2]
    secrets = {(root / "pelicanconf.py").read_bytes(), (root / "README.md").read_bytes()}
    for path in hostile_build.output.rglob("*"):
        if path.is_file():
            assert path.name not in {"pelicanconf.py", "README.md", "passwd"}, path
            assert path.read_bytes() not in secrets, path


def test_metadata_is_escaped_in_text_and_attributes(hostile_build):
    title_page = soup(hostile_build.output / OUTCOMES["xss_title.txt"][1])
    h1 = title_page.select_one("article h1").get_text()
    assert "<script>" in h1, "the entity-encoded script is shown as text"
    assert '"Quoted"' in h1 and "'single'" in h1 and " & " in h1
    assert title_page.title.get_text().startswith(h1)
    for meta in title_page.find_all("meta", attrs={"property": "og:title"}):
        assert meta["content"] == h1

    byline = soup(hostile_build.output / OUTCOMES["xss_byline.txt"][1]).select_one(".byline")
    names = [a.get_text() for a in byline.find_all("a")]
    assert "Eve Example" in names
    # ``__..__`` between the two names reads as Markdown bold: the underscores go, the text stays
    assert "Mallory\" onmouseover=\"window.pwned='attr'" in names
    assert "<svg onload=alert(1)>" in names, "the agency is text"

    caption = soup(hostile_build.output / OUTCOMES["xss_caption.txt"][1]).find("figcaption")
    assert "<script>" in caption.get_text()
    assert "<b onclick=alert(1)>Credit</b>" in caption.get_text()

    quote = soup(hostile_build.output / OUTCOMES["xss_source_url_quote.txt"][1])
    source = quote.find("a", class_="source-link")
    assert source["href"].startswith('https://example.org/2020/10/01/quote"onmouseover=')
    assert set(source.attrs) <= {"href", "class", "rel"}

    no_source = soup(hostile_build.output / OUTCOMES["xss_source_url.txt"][1])
    assert no_source.find("a", class_="source-link") is None

    template = soup(hostile_build.output / OUTCOMES["template_injection.txt"][1])
    heading = template.select_one("article h1").get_text()
    assert heading.startswith("{{ 7") and "{% raw %}" in heading and "49" not in heading
    body_text = template.select_one(".article-body").get_text()
    assert "{{ config }}" in body_text and "{% for x in y %}" in body_text

    control = hostile_build.site.page(OUTCOMES["control_chars.txt"][1])
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", control)

    forged = soup(hostile_build.output / OUTCOMES["placeholder_forgery.txt"][1])
    body = forged.select_one(".article-body").get_text()
    assert "RELATEDPLACEHOLDER0X" in body and "RELATED0123456789abcdefN0X" in body

    related = soup(hostile_build.output / OUTCOMES["xss_related.txt"][1])
    cites = [c.get_text() for c in related.select(".article-body p.related-article cite")]
    # a cited title is text as written (like a title), escaped: markup in it is shown, never run
    assert cites == [
        "</cite><script>window.__pwned='related'</script>",
        "<img src=x onerror=alert(1)>",
    ]
    assert related.select(".article-body script") == []


def test_json_ld_survives_a_closing_script_tag(hostile_build):
    raw = hostile_build.site.page(OUTCOMES["jsonld_breakout.txt"][1])
    document = BeautifulSoup(raw, "html.parser")
    h1 = document.select_one("article h1").get_text()
    assert h1 == "</script><script>window.__pwned='jsonld'</script><!-- Breakout"
    blocks = [json.loads(s.string) for s in document.find_all("script", type="application/ld+json")]
    article = next(b for b in blocks if b.get("@type") == "NewsArticle")
    assert article["headline"] == h1
    assert "</script><script>" in article["description"]
    inline = re.findall(r"<script type=\"application/ld\+json\">(.*?)</script>", raw, re.S)
    assert inline and all("<" not in block and "\u2028" not in block for block in inline)


def test_search_data_holds_hostile_titles_only_json_escaped(hostile_build):
    files = [
        p for p in sorted((hostile_build.output / "search").glob("*.js")) if p.name != "lunr.js"
    ]
    if not files:
        pytest.skip("no search data in this build (output/search/*.js): the search plugin is off")
    # this title has quotes and tags, so its JSON-escaped form differs from the raw one
    title = soup(hostile_build.output / OUTCOMES["xss_title.txt"][1]).select_one("article h1")
    title = title.get_text()
    assert '"' in title and "<script>" in title
    data = "\n".join(p.read_text("utf-8") for p in files)
    assert title not in data, "the raw title (with its quotes) is never in the data"
    escaped_once = json.dumps(title)[1:-1]
    escaped_twice = json.dumps(escaped_once)[1:-1]  # JSON text inside a JS string literal
    assert escaped_once in data or escaped_twice in data, "the title is there, JSON-escaped"


def test_nothing_is_written_outside_the_output_folder(hostile_build):
    output = hostile_build.output.relative_to(hostile_build.base).as_posix() + "/"
    changed = {
        path
        for path in set(hostile_build.before) | set(hostile_build.after)
        if hostile_build.before.get(path) != hostile_build.after.get(path)
    }
    outside = {path for path in changed if not path.startswith(output)}
    assert outside == {"build-report.json"}
    assert list_files(hostile_build.staging) == list_files(hostile_build.output)
    for target in ("/tmp/pwned-title.html", "/tmp/pwned-url.html", "/etc/passwd.html"):
        assert not Path(target).exists(), target


def test_every_written_path_is_a_safe_file_name(hostile_build):
    for path in hostile_build.output.rglob("*"):
        assert not path.is_symlink(), path
        relative = path.relative_to(hostile_build.output)
        assert len(str(relative).encode()) < 1024, relative
        for part in relative.parts:
            assert SAFE_PART.match(part), relative
            assert len(part.encode()) <= 255 - 16, relative  # room for a temp suffix
            assert part.split(".")[0].lower() not in RESERVED_NAMES, relative
        assert path.resolve().is_relative_to(hostile_build.output.resolve())


def test_author_and_agency_pages_never_overwrite_list_pages(hostile_build):
    output = hostile_build.output
    authors = {a.get_text() for a in soup(output / "authors/index.html").select("main a")}
    assert {"Index", "Anna 2", "\u2605\u2605\u2605", "!!!"} <= authors
    agencies = {a.get_text() for a in soup(output / "agencies/index.html").select("main a")}
    assert {"Index", "NUL", "<svg onload=alert(1)>"} <= agencies
    index_author = soup(output / "authors/index-c2df9b93.html")
    assert index_author.h1.get_text().endswith("Index")
    names = sorted(p.name for p in (output / "authors").glob("*.html"))
    assert len([n for n in names if n.startswith("unnamed-")]) == 2, names


def test_links_between_pages_resolve(hostile_build):
    assert check_site(hostile_build.output) == []


def test_long_lines_keep_their_words(hostile_build):
    body = soup(hostile_build.output / OUTCOMES["long_lines.txt"][1]).select_one(".article-body")
    text = body.get_text(" ")
    prose = next(
        line
        for line in (CORPUS / "long_lines.txt").read_text("utf-8").splitlines()
        if line.startswith("prose0 ")
    )
    assert len(prose) == 10000
    assert prose in text, "the 10,000-character paragraph, whole"
    assert "[" * 10000 in text and "<" * 10000 in text and "`" * 10000 in text
    assert "omega sigma tau" in text
    nested = soup(hostile_build.output / OUTCOMES["deep_nesting.txt"][1])
    text = nested.select_one(".article-body").get_text(" ")
    assert "A survivor paragraph" in text and "innermost" in text
