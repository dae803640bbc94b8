"""Property-based tests of the pure parser (hypothesis).

For any text and any bytes the parser returns a :class:`Seed` or raises
:class:`SeedError` with a reason, never another exception; what it returns is
safe (sanitised HTML, a file-safe slug, an http(s) source or none); and it
never loses body text it accepted.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from seed_reader.body import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, is_safe_link, render_body
from seed_reader.parser import Seed, SeedError, parse_seed, parse_seed_bytes
from seed_reader.text import MAX_SLUG_LENGTH, RESERVED_NAMES

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: The related plugin's placeholder markup is added after sanitising.
PLACEHOLDER_ATTRIBUTES = {
    "p": {"class", "data-related-index"},
    "span": {"class"},
    "cite": {"class"},
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x]({static}/../../pelicanconf.py)",
    '<p style="color:red" onclick="x()">y</p>',
    "<svg onload=alert(1)>",
    "<style>*{}</style>",
    "</cite><script>x</script>",
    "&lt;script&gt;",
    "RELATEDPLACEHOLDER0X",
    "**Related article:** [<b>t</b>](#)",
    "Original url: <javascript:alert(1)>",
    "Original url: <https://example.org/2020/01/02/x>",
    "### **'Heading'**",
    "> quote",
    "- item",
    "1. item",
    "`code`",
    "[" * 50,
    "<" * 50,
    "\x00\x1b\x7f\u2028\ufeff\ud800",
]
DATE_LINES = ["October 1, 2020", "Oct. 1, 2020", "1 October 2020", "2020-10-01", "no date", ""]
MARKUP = "[]()<>*_`#!&;:/\\\"'=-. \n\t\r"

fragments = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.sampled_from(MARKUP + "abcXYZ019é€\u2028"), max_size=80),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=40),
)
seedlike_text = st.builds(
    lambda title, date, parts: f"# {title}\n{date}\n\n" + "\n\n".join(parts),
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60)),
    st.sampled_from(DATE_LINES),
    st.lists(fragments, max_size=12),
)
any_text = st.one_of(st.text(alphabet=st.characters(exclude_categories=())), seedlike_text)
any_bytes = st.one_of(
    st.binary(max_size=400),
    st.builds(
        lambda text, encoding: text.encode(encoding, "replace"),
        seedlike_text,
        st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32"]),
    ),
    st.builds(
        lambda text, junk, at: (lambda data: data[:at] + junk + data[at:])(
            text.encode("utf-8", "replace")
        ),
        seedlike_text,
        st.binary(min_size=1, max_size=8),
        st.integers(min_value=0, max_value=200),
    ),
)

#: Words no accepted paragraph may lose.  The format's own marker words are left out:
#: "original url x" and "related article x" lines are source and related lines by design.
MARKER_WORDS = {"by", "original", "url", "related", "article", "articles"}
words = st.from_regex(r"[a-z][a-z0-9]{0,11}", fullmatch=True).filter(
    lambda w: w not in MARKER_WORDS
)
paragraphs = st.lists(
    st.lists(words, min_size=1, max_size=25).map(" ".join), min_size=1, max_size=8
)


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_safe_html(fragment: str) -> None:
    """Only allow-listed tags and attributes; links only to http(s)/mailto."""
    collector = _TagCollector()
    collector.feed(fragment)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS | set(PLACEHOLDER_ATTRIBUTES), tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | PLACEHOLDER_ATTRIBUTES.get(tag, set())
        if tag == "a":
            allowed = allowed | {"rel"}
        for name, value in attrs:
            assert name in allowed, (tag, name)
            if name == "href":
                assert is_safe_link(value or ""), value
    # "javascript:" may be text a reader sees (it is not a link: every href is checked above).
    assert "<script" not in fragment.lower()


def assert_safe_seed(seed: Seed) -> None:
    assert isinstance(seed, Seed)
    assert seed.title.strip()
    assert SLUG_RE.match(seed.slug), seed.slug
    assert len(seed.slug) <= MAX_SLUG_LENGTH + 9
    assert seed.slug not in RESERVED_NAMES
    assert seed.source_url == "" or is_safe_link(seed.source_url)
    assert_safe_html(seed.body_html)
    for value in (seed.title, seed.caption, seed.credit, seed.body_text, *seed.authors):
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", value)
    assert seed.reading_time >= 1 and seed.word_count >= 0


@PROPERTY
@given(any_text)
@example("# T\nOctober 1, 2020\n\nRELATEDPLACEHOLDER7X")
@example("# T\nOctober 1, 2020\n\n" + "- " * 1000 + "x")
@example("# T\nOctober 1, 2020\n\na\ud800b")
def test_any_text_is_an_article_or_a_seed_error(text):
    try:
        seed = parse_seed(text)
    except SeedError as exc:
        assert str(exc).strip(), "a reason a person can read"
        return
    assert_safe_seed(seed)


@PROPERTY
@given(any_bytes)
@example(b"\xff\xfe#\x00 \x00T\x00")
@example(b"\xef\xbb\xbf")
@example(b"# T\nOctober 1, 2020\n\nok \xff\xfe caf\xc3\xa9")
def test_any_bytes_are_an_article_or_a_seed_error(data):
    try:
        seed = parse_seed_bytes(data)
    except SeedError as exc:
        assert str(exc).strip()
        return
    assert_safe_seed(seed)


@PROPERTY
@given(paragraphs, st.sampled_from(["", "\r\n"]))
def test_accepted_paragraphs_keep_every_word(body, newline):
    text = "# Title\nBy [Writer](#)\nOctober 1, 2020\n\n" + "\n\n".join(body) + "\n"
    if newline:
        text = text.replace("\n", newline)
    seed = parse_seed(text)
    expected = [word for paragraph in body for word in paragraph.split()]
    assert seed.body_text.split() == expected, "every word, in order"
    visible = BeautifulSoup(seed.body_html, "html.parser").get_text(" ").split()
    assert visible == expected
    assert seed.word_count == len(expected)
    assert seed.lead and seed.lead.split()[0] == expected[0]


@PROPERTY
@given(paragraphs, st.lists(st.sampled_from(HOSTILE[:12]), min_size=1, max_size=6))
def test_hostile_blocks_never_take_ordinary_paragraphs_with_them(body, hostile):
    blocks = [*body[:1], *hostile, *body[1:]]
    text = "# Title\nBy [Writer](#)\nOctober 1, 2020\n\n" + "\n\n".join(blocks) + "\n"
    seed = parse_seed(text)
    assert_safe_seed(seed)
    visible = BeautifulSoup(seed.body_html, "html.parser").get_text(" ")
    for paragraph in body:
        for word in paragraph.split():
            assert word in seed.body_text and word in visible, word


@PROPERTY
@given(st.text(alphabet=st.sampled_from(MARKUP + "abc"), min_size=1, max_size=2000))
def test_render_body_is_safe_for_any_markup(markdown_text):
    body = render_body(markdown_text)
    assert_safe_html(body.html)
