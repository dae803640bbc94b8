"""Every feed and the sitemap are well-formed XML for any seed (issue #18, item 6).

XML 1.0 forbids most C0 controls, U+FFFE, U+FFFF and surrogates; Unicode's
non-characters (U+FDD0..U+FDEF, U+xFFFE/U+xFFFF in every plane) are no text
either.  A seed may carry any of them, literally or as a character reference,
in any field; none may reach a feed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seed_reader.text import clean_text

from .helpers import build, write_seeds

#: Code points no XML document may carry, or that are no character at all.
FORBIDDEN = [
    *range(0x01, 0x09),
    0x0B,
    0x0C,
    *range(0x0E, 0x20),
    0x7F,
    0x85,
    0x9F,
    0xFDD0,
    0xFDEF,
    0xFFFE,
    0xFFFF,
    0x1FFFE,
    0x1FFFF,
    0x10FFFE,
    0x10FFFF,
]
#: As character references only (a seed file cannot hold them as UTF-8 text).
REFERENCES_ONLY = [0x00, 0xD800, 0xDFFF, 0x110000]
XML_CHAR = re.compile("^[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")


def hostile_seed(n: int, cp: int, literal: bool) -> str:
    char = chr(cp) if literal else ""
    ref = f"&#x{cp:X};"
    return (
        f"# Title {n} {char}{ref} end\n\n"
        f"By [Writer {n} {char}{ref} Name](#) and [Other {char}](#) for Agency {char}{ref} {n}\n\n"
        "October 1, 2020\n\n"
        f"A caption {char}{ref} here. **Credit {char}{ref}**\n\n"
        f"Lead paragraph {n} with {char} and {ref} inside, about the story.\n\n"
        f"A second paragraph <abbr title='t {char}{ref}'>ab</abbr> with *emphasis {char}{ref}*.\n\n"
        f"**Related article:** [Related {char}{ref} title](#)\n\n"
        f"Original url: <https://example.org/2020/10/01/story-{n}>\n"
    )


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("feeds")
    seeds = {
        f"literal_{n:02d}.txt": hostile_seed(n, cp, literal=True) for n, cp in enumerate(FORBIDDEN)
    }
    seeds |= {
        f"reference_{n:02d}.txt": hostile_seed(100 + n, cp, literal=False)
        for n, cp in enumerate(REFERENCES_ONLY)
    }
    report = build(write_seeds(base / "seeds", seeds), base / "out", publish=True)
    return base / "out", report, len(seeds)


def test_every_seed_is_built(feeds):
    _, report, count = feeds
    assert report.bugs == [] and report.errors == []
    assert report.articles_written == count, report.skipped


def test_every_feed_and_sitemap_is_well_formed(feeds):
    output, _, count = feeds
    documents = sorted(output.rglob("*.xml"))
    names = {p.relative_to(output).as_posix() for p in documents}
    assert {"feeds/all.atom.xml", "sitemap.xml"} <= names
    assert len([n for n in names if n.startswith("feeds/authors/")]) >= count
    for path in documents:
        tree = ET.parse(path)  # raises on a character XML forbids
        for element in tree.iter():
            for text in (element.text, element.tail, *element.attrib.values()):
                assert XML_CHAR.match(text or ""), (path, text)
        raw = path.read_text("utf-8")
        assert not re.search(r"&#x?0*(?:[1-8bcef]|1[0-9a-f]|fffe|ffff);", raw, re.I), path


def test_the_text_around_a_forbidden_character_is_kept(feeds):
    output, _, _ = feeds
    feed = (output / "feeds/all.atom.xml").read_text("utf-8")
    titles = re.findall(r"<title[^>]*>(Title \d+ [^<]*)</title>", feed)
    assert len(titles) >= 20
    assert all(title.endswith(" end") for title in titles), titles
    page = (output / "2020/10/story-7.html").read_text("utf-8")
    assert "Lead paragraph 7 with" in page and "inside, about the story." in page


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0)))
@settings(max_examples=300, deadline=None)
def test_clean_text_leaves_only_xml_characters(text):
    cleaned = clean_text(text)
    assert XML_CHAR.match(cleaned)
    assert not re.search("[\ufdd0-\ufdef\ufffe\uffff]", cleaned)


@pytest.mark.parametrize("cp", [*FORBIDDEN, 0x00, 0xD800])
def test_clean_text_drops_each_forbidden_code_point(cp):
    assert clean_text(f"a{chr(cp)}b") in ("ab", "a\ufffdb")
