"""Render a seed's Markdown body to safe HTML, repairing what the scrape broke.

Repairs: paragraphs split mid-sentence are joined back, redundant bold in
subheads is dropped, dead ``[text](#)`` links become text, and
``**Related article:**`` lines become placeholders the related plugin fills.
The HTML is sanitised with an allow-list (nh3), so raw markup in a seed can
never reach a page as script, style or event handlers.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import markdown
import nh3

from .text import plain_text

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

_RELATED_RE = re.compile(
    r"^[*_\s]*related\s+articles?\s*[:.\-\u2013\u2014]?\s*[*_]*\s*[:.\-\u2013\u2014]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DEAD_LINK_RE = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*(?:#[^)\s]*)?\s*\)")
_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_WRAPPED_EMPHASIS_RE = re.compile(r"^(\*{1,3}|_{1,3})(?P<inner>.+)\1$")
_NOT_PARAGRAPH_RE = re.compile(r"^(?:[-*+]\s|\d+[.)]\s|>|\||```|~~~|    |\t|<)")
_TERMINAL = ".!?\u2026:;"
_CLOSERS = "\"'\u201d\u2019\u00bb)]*_"
_PLACEHOLDER = "RELATEDPLACEHOLDER{}X"
_PLACEHOLDER_RE = re.compile(r"<p>RELATEDPLACEHOLDER(\d+)X</p>")
MIN_WORDS_TO_JOIN = 4


@dataclass(frozen=True)
class Body:
    """The rendered body and the plain text views other parts need."""

    html: str
    text: str
    paragraphs: tuple[str, ...]
    related_titles: tuple[str, ...]


def render_body(markdown_text: str) -> Body:
    """Render body Markdown to sanitised HTML plus plain-text views."""
    blocks = _join_split_paragraphs(_blocks(markdown_text))
    related: list[str] = []
    sources: list[str] = []
    paragraphs: list[str] = []
    texts: list[str] = []
    for kind, block in blocks:
        if kind == "related":
            sources.append(_PLACEHOLDER.format(len(related)))
            related.append(block)
            continue
        if kind == "heading":
            sources.append(block)
            texts.append(plain_text(_HEADING_RE.match(block).group("text")))
            continue
        sources.append(block)
        text = plain_text(block)
        if text:
            texts.append(text)
            if kind == "paragraph":
                paragraphs.append(text)
    rendered = markdown.markdown("\n\n".join(sources), extensions=["sane_lists"])
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    clean = _PLACEHOLDER_RE.sub(lambda m: related_placeholder(int(m.group(1)), related), clean)
    return Body(
        html=clean.strip(),
        text="\n\n".join(texts),
        paragraphs=tuple(paragraphs),
        related_titles=tuple(related),
    )


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
        related = _RELATED_RE.match(stripped)
        if related and related.group("rest"):
            flush()
            blocks.append(("related", plain_text(related.group("rest")).strip(" *_")))
            continue
        heading = _HEADING_RE.match(stripped)
        if heading:
            flush()
            blocks.append(("heading", _clean_heading(heading)))
            continue
        current.append(line if current else stripped)
    flush()
    return [(kind, text) for kind, text in blocks if kind != "related" or text]


def _clean_heading(match: re.Match[str]) -> str:
    """``### **'Risks'**`` -> ``### 'Risks'``; a body ``#`` heading becomes ``##``."""
    text = _DEAD_LINK_RE.sub(r"\1", match.group("text").strip())
    for _ in range(2):
        wrapped = _WRAPPED_EMPHASIS_RE.match(text)
        if not wrapped:
            break
        text = wrapped.group("inner").strip()
    level = max(2, len(match.group("hashes")))
    return "#" * level + " " + text


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
