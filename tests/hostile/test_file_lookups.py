"""No seed text reaches Pelican's link rewriting or any file lookup (issue #18, item 1).

Pelican rewrites ``{static}``, ``{attach}``, ``{filename}`` (and ``|attach|``
style) links in any quoted URL-like attribute value it finds in an article's
HTML, attribute values of kept attributes (``title``) included, and copies the
file it names into the site.  Seed text is data: it is shown as written and
never names a file of the build machine.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import build, seed, write_seeds

#: Pelican's link syntaxes, each pointing at a file outside the seed and output folders.
SYNTAXES = [
    "|attach|",
    "{attach}",
    "|static|",
    "{static}",
    "|filename|",
    "{filename}",
]
#: Other replacement indicators Pelican knows (and one it does not).
OTHER_INDICATORS = [
    "|static|sub",
    "{static}sub",
    "{index}",
    "{author}eve",
    "{category}northwind",
    "{tag}x",
    "{nope}x",
]


@pytest.fixture(scope="module")
def lookups(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("lookups")
    secret = base / "private" / "secret-7f3a.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET-7f3a the build machine's private file\n", "utf-8")
    up = "../" * 24
    targets = [f"{up}{secret.as_posix().lstrip('/')}", "/" + up + secret.as_posix().lstrip("/")]
    targets += [f"{up}etc/os-release", f"/{up}etc/hostname"]
    values = [
        f"q {kind}='{syntax}{target}'"
        for syntax in SYNTAXES
        for target in targets
        for kind in ("src", "href")
    ]
    values += [f"q href='{indicator}'" for indicator in OTHER_INDICATORS]
    body = "\n\n".join(
        f'Item {n}: an <abbr title="{value}">abbr</abbr> and <a href="https://example.org/{n}"'
        f' title="{value}">a link</a>.'
        for n, value in enumerate(values)
    )
    entity = "&lt;abbr title=\"q src='|attach|" + targets[0] + "'\"&gt;"
    seeds = write_seeds(
        base / "seeds",
        {
            "body.txt": seed(
                "Links In Attributes",
                f"Lead {entity} with the lookup as text.\n\n{body}\n\n"
                f"**Related article:** [Related {entity}](#)",
                byline=f"[Eve {entity}](#)",
            ),
            "title.txt": seed(
                f"Title {entity}",
                "A plain paragraph.",
                caption=f"A caption {entity} **Credit {entity}**",
            ),
        },
    )
    site = build(seeds, base / "out")
    published = build(seeds, base / "published", publish=True)
    return base, secret, values, site, published


def _forbidden_bytes(secret) -> list[bytes]:
    found = [secret.read_bytes()]
    for path in ("/etc/os-release", "/etc/hostname"):
        if os.path.isfile(path):
            found.append(Path(path).read_bytes())
    return found


@pytest.mark.parametrize("which", ["site", "published"])
def test_no_file_of_the_build_machine_is_published(lookups, which):
    base, secret, _, site, published = lookups
    report = site if which == "site" else published
    output = base / ("out" if which == "site" else "published")
    assert report.bugs == [] and report.errors == [], (report.bugs, report.errors)
    assert report.articles_written == 2
    forbidden = _forbidden_bytes(secret)
    for path in output.rglob("*"):
        assert path.name not in {"os-release", "hostname"} and "secret" not in path.name, path
        if path.is_file():
            data = path.read_bytes()
            assert data not in forbidden, path
            assert b"SECRET-7f3a" not in data, path
    staging_root = os.environ["ARCHIVE_STAGING_ROOT"]
    for path in Path(staging_root).rglob("*"):
        assert path.name not in {"os-release", "hostname"} and "secret-7f3a" not in path.name


@pytest.mark.parametrize("which", ["site", "published"])
def test_no_lookup_is_attempted_or_warned_about(lookups, which):
    _, _, _, site, published = lookups
    report = site if which == "site" else published
    messages = [w["message"] for w in report.warnings]
    for fragment in ("Unable to find", "Replacement Indicator", "modification stamp", "{filename}"):
        assert not [m for m in messages if fragment in m], (fragment, messages)


def test_attribute_values_are_shown_as_written(lookups):
    base, _, values, _, _ = lookups
    page = (base / "out/2020/10/links-in-attributes.html").read_text("utf-8")
    body = BeautifulSoup(page, "html.parser").select_one(".article-body")
    abbrs = [tag["title"] for tag in body.find_all("abbr")]
    links = [tag["title"] for tag in body.find_all("a") if tag.get("title")]
    assert abbrs == values
    assert links == values
    text = BeautifulSoup(page, "html.parser").get_text()
    assert "<abbr title=\"q src='|attach|../" in text, "the entity-encoded lookup is text"


def test_feeds_carry_the_attribute_values_as_written(lookups):
    base, _, values, _, _ = lookups
    feed = ET.parse(base / "published/feeds/all.atom.xml")
    contents = [
        element.text or ""
        for element in feed.iter()
        if element.tag.endswith("content") or element.tag.endswith("summary")
    ]
    html = "\n".join(contents)
    abbrs = [tag["title"] for tag in BeautifulSoup(html, "html.parser").find_all("abbr")]
    assert abbrs == values
