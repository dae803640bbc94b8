"""Render a seed's Markdown body to safe HTML, repairing what the scrape broke.

Repairs: paragraphs split mid-sentence are joined back, redundant bold in
subheads is dropped, dead ``[text](#)`` links become text, and
``**Related article:**`` lines become placeholders the related plugin fills.
The HTML is sanitised with an allow-list (nh3), so raw markup in a seed can
never reach a page as script, style or event handlers; links keep only
absolute ``http``/``https``/``mailto`` targets, so neither ``javascript:`` nor
Pelican's ``{static}``/``{attach}`` syntax (which would publish files from the
build machine) survives.

Markdown is rendered by markdown-it-py (CommonMark; three times faster than
Python-Markdown here, with the same HTML on every generated seed).  Markdown
renderers are slow on some inputs (Python-Markdown took half a minute on a
10,000-character run of ``[``) and cut off what nests too deep.  A block whose
markup would cost more than :data:`MAX_MARKUP_WORK` is shown as plain text,
and a body too deeply nested to render is shown as plain paragraphs, each
with a warning: the text is kept, the build stays fast.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .text import literal_text, plain_text

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan"},
    "th": {"colspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

#: ``**Related article:** [T](#)``, ``Related Article: [T](#)``, ``**Read more:** [T](#)``:
#: each cites another article by its title.  Labels other than "related" are
#: ordinary words in a sentence too, so they count only before a link.
_RELATED_RE = re.compile(
    r"^[*_\s]*(?P<label>related\s+(?:articles?|stor(?:y|ies)|reading)|read\s+more|read\s+also"
    r"|also\s+read|see\s+also)\s*[:.\-\u2013\u2014]?\s*[*_]*\s*[:.\-\u2013\u2014]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_CITED_LINK_RE = re.compile(r"^\[(?P<title>[^\[\]]+)\]\([^()]*\)$")
_DEAD_LINK_RE = re.compile(r"(?<!!)\[([^\[\]]*)\]\(\s*(?:#[^)\s]*\s*)?\)")
_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*)$")
_WRAPPED_EMPHASIS_RE = re.compile(r"^(\*{1,3}|_{1,3})(?P<inner>.+)\1$")
_NOT_PARAGRAPH_RE = re.compile(r"^(?:[-*+]\s|\d+[.)]\s|>|\||```|~~~|    |\t|<)")
_TERMINAL = ".!?\u2026:;"
_CLOSERS = "\"'\u201d\u2019\u00bb)]*_"
#: Where a plain-text block or a related line goes back in (see ``render_body``).
_SLOT_RE = re.compile(r"<p>(PLAIN|RELATED)([0-9a-f]{16})N(\d+)X</p>")
_MARKUP_RE = re.compile(r"[\[\]<>`*_&!(]")
MIN_WORDS_TO_JOIN = 4
#: Markdown's worst cases cost (markup characters x block length): a block
#: above this is shown as plain text, and so is every block once the body
#: has used up its total.  Ordinary paragraphs cost well under 1 % of it.
MAX_MARKUP_WORK = 1_000_000
#: CommonMark (markdown-it-py): a third of Python-Markdown's time per seed.
#: Raw HTML is parsed as HTML so the sanitiser, not the escaper, decides.
#: markdown-it stops at ``maxNesting`` levels and silently drops the rest of the
#: body, so a body that reaches the limit is shown as plain paragraphs instead.
MAX_NESTING = 40
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
#: Every link is parsed as a link: the sanitiser alone decides which targets
#: survive, so an unsafe one becomes its text rather than visible Markdown.
_MARKDOWN.validateLink = lambda url: True
MAX_BODY_MARKUP_WORK = 5_000_000


@dataclass(frozen=True)
class Body:
    """The rendered body and the plain text views other parts need."""

    html: str
    text: str
    paragraphs: tuple[str, ...]
    related_titles: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def render_body(markdown_text: str) -> Body:
    """Render body Markdown to sanitised HTML plus plain-text views."""
    blocks = _join_split_paragraphs(_blocks(markdown_text))
    # Fresh tokens per call, so a seed cannot forge one: its own text is never replaced.
    token = secrets.token_hex(8)
    related: list[str] = []
    plain: list[str] = []
    sources: list[str] = []
    fallback: list[str] = []  # escaped plain text per block, if Markdown cannot render
    paragraphs: list[str] = []
    texts: list[str] = []
    warnings: list[str] = []
    work = 0
    for kind, block in blocks:
        if kind == "related":
            sources.append(f"RELATED{token}N{len(related)}X")
            fallback.append(sources[-1])
            related.append(block)
            continue
        text = plain_text(_heading_text(block) if kind == "heading" else block)
        markup = len(_MARKUP_RE.findall(block))
        cost = markup * len(block)
        if cost > MAX_MARKUP_WORK or work + cost > MAX_BODY_MARKUP_WORK:
            warnings.append(
                f"a body block of {len(block)} characters with {markup} markup characters"
                " is too costly to render as Markdown; shown as plain text"
            )
            cost = 0
            sources.append(f"PLAIN{token}N{len(plain)}X")
            plain.append(text)
        else:
            sources.append(block)
        work += cost
        fallback.append(sources[-1] if sources[-1] != block else html.escape(text, quote=False))
        if text:
            texts.append(text)
            if kind == "paragraph":
                paragraphs.append(text)
    rendered = _render_markdown("\n\n".join(sources))
    if rendered is None:
        warnings.append("body too deeply nested to render as Markdown; shown as plain paragraphs")
        rendered = "".join(f"<p>{item}</p>" for item in fallback if item)
    clean = sanitise(rendered)

    def fill(match: re.Match[str]) -> str:
        kind, found, index = match.group(1), match.group(2), int(match.group(3))
        if found != token:  # the seed's own text, not one of ours
            return match.group(0)
        if kind == "PLAIN":
            return f"<p>{html.escape(plain[index], quote=False)}</p>"
        return related_placeholder(index, related)

    clean = _SLOT_RE.sub(fill, clean)
    return Body(
        html=clean.strip(),
        text="\n\n".join(texts),
        paragraphs=tuple(paragraphs),
        related_titles=tuple(related),
        warnings=tuple(warnings),
    )


def _render_markdown(source: str) -> str | None:
    """CommonMark HTML of ``source``, or None when nesting may have cut text off."""
    try:
        tokens = _MARKDOWN.parse(source)
        if _deepest(tokens) >= MAX_NESTING - 1:
            return None
        return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    except RecursionError:
        return None


def _deepest(tokens: list[Token]) -> int:
    deepest = 0
    for token in tokens:
        deepest = max(deepest, token.level, _deepest(token.children) if token.children else 0)
    return deepest


def sanitise(fragment: str) -> str:
    """Clean an HTML fragment with the allow-list; links only to absolute web or mail URLs."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "href":
        return value
    return value if is_safe_link(value) else None


def is_safe_link(url: str) -> bool:
    """An absolute ``http(s)`` URL with a host, or a ``mailto:`` address; nothing else."""
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in {"http", "https"}:
        return bool(host)
    return scheme == "mailto" and bool(parts.path)


def related_placeholder(index: int, titles: list[str]) -> str:
    """The in-place markup for related line ``index``: plain text, never a link."""
    return (
        f'<p class="related-article" data-related-index="{index}">'
        '<span class="related-label">Related article:</span> '
        f'<cite class="related-title">{html.escape(titles[index])}</cite></p>'
    )


def _blocks(markdown_text: str) -> list[tuple[str, str]]:
    """Split the body into (kind, text) blocks; related lines and headings stand alone."""
    blocks: list[tuple[str, str]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            text = "\n".join(current)
            kind = "other" if _NOT_PARAGRAPH_RE.match(current[0]) else "paragraph"
            blocks.append((kind, _DEAD_LINK_RE.sub(r"\1", text)))
            current.clear()

    for raw in markdown_text.split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        cited = related_line_title(stripped)
        if cited is not None:
            flush()
            blocks.append(("related", cited))
            continue
        heading = _HEADING_RE.match(stripped)
        if heading:
            flush()
            blocks.append(("heading", _clean_heading(heading)))
            continue
        current.append(line if current else stripped)
    flush()
    return [(kind, text) for kind, text in blocks if kind != "related" or text]


def related_line_title(line: str) -> str | None:
    """The title a related-article line cites, or None when the line is not one.

    A cited link's text is the other article's title as written (see
    :func:`literal_text`), so ``[Prices Rose 2*3 Times](#)`` still finds it.
    """
    match = _RELATED_RE.match(line.strip())
    if not match or not match.group("rest"):
        return None
    rest = match.group("rest").strip().strip("*_").strip()
    link = _CITED_LINK_RE.match(rest)
    if link:
        return literal_text(link.group("title"))
    if not match.group("label").lower().startswith("related"):
        return None
    return plain_text(rest).strip(" *_")


def _clean_heading(match: re.Match[str]) -> str:
    """``### **'Risks'**`` -> ``### 'Risks'``; a body ``#`` heading becomes ``##``."""
    text = _DEAD_LINK_RE.sub(r"\1", _without_closing_hashes(match.group("text")))
    for _ in range(2):
        wrapped = _WRAPPED_EMPHASIS_RE.match(text)
        if not wrapped:
            break
        text = wrapped.group("inner").strip()
    level = max(2, len(match.group("hashes")))
    return "#" * level + " " + text


def _without_closing_hashes(text: str) -> str:
    """``Title ##`` -> ``Title`` (string methods: a regex would be quadratic on long runs)."""
    return text.strip().rstrip("#").rstrip()


def _heading_text(block: str) -> str:
    match = _HEADING_RE.match(block)
    return _without_closing_hashes(match.group("text")) if match else block


def _join_split_paragraphs(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join a paragraph that stops mid-sentence with the paragraph continuing it."""
    joined: list[tuple[str, str]] = []
    for kind, text in blocks:
        if kind == "paragraph" and joined and joined[-1][0] == "paragraph":
            previous = joined[-1][1]
            if _ends_mid_sentence(previous):
                joined[-1] = ("paragraph", previous.rstrip() + " " + text.lstrip())
                continue
        joined.append((kind, text))
    return joined


def _ends_mid_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS)
    if not stripped or stripped[-1] in _TERMINAL:
        return False
    return len(text.split()) >= MIN_WORDS_TO_JOIN
