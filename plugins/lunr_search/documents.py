"""What one article contributes to search: indexed fields and display metadata.

Pure data, no Pelican import: the glue turns articles into ``SearchDoc`` values, the
index builder reads the indexed fields and the writer the display ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

#: Indexed fields in index order (``ref`` aside). Boosts are a setting.
INDEX_FIELDS: tuple[str, ...] = ("title", "authors", "agency", "body")

#: Order of the values of one document in a ``docs-NNN.js`` chunk (listed in the manifest).
DOC_COLUMNS: tuple[str, ...] = ("title", "date", "url", "byline", "excerpt")


@dataclass(frozen=True)
class SearchDoc:
    """One searchable article.

    ``ref`` is the article's position in the index (``"0"``, ``"1"``, ...): short in
    every posting, and it tells which ``docs-NNN.js`` chunk holds the metadata without
    any lookup table.
    """

    ref: str
    title: str
    authors: tuple[str, ...]
    agency: str
    #: The text, or anything that gives it as ``str()`` (a stored text's handle: the
    #: build process need not hold every article's text at once; pickled, it is text).
    body: str
    url: str
    date: str  # ISO date, YYYY-MM-DD ("" if unknown)
    excerpt: str = ""  # plain text; the page escapes it

    @property
    def byline(self) -> str:
        """Authors joined by commas, then the agency: ``"A. Writer, B. Writer · AFP"``."""
        names = ", ".join(self.authors)
        if self.agency:
            return f"{names} · {self.agency}" if names else self.agency
        return names

    def index_record(self) -> dict[str, str]:
        """Return the dict lunr's builder reads (authors as one string: names split into words)."""
        return {
            "ref": self.ref,
            "title": self.title,
            "authors": " ".join(self.authors),
            "agency": self.agency,
            "body": str(self.body),
        }

    def without_text(self) -> SearchDoc:
        """The document with an empty body: what the files need once it is indexed."""
        return replace(self, body="")

    def display_row(self) -> list[str]:
        """Values in ``DOC_COLUMNS`` order for a ``docs-NNN.js`` chunk."""
        return [self.title, self.date, self.url, self.byline, self.excerpt]


@dataclass(frozen=True)
class DocInput:
    """An article as the glue reads it, before it gets its ref."""

    title: str
    authors: Sequence[str]
    agency: str
    body: str
    url: str
    date: dt.date | dt.datetime | None
    excerpt: str = ""


def number_documents(items: Iterable[DocInput]) -> list[SearchDoc]:
    """Order articles by (date, url) and give each its position as ref.

    Oldest first, so that a growing archive appends refs and the existing
    ``docs-NNN.js`` chunks keep their content (and are not rewritten).
    """

    def key(item: DocInput) -> tuple[str, str]:
        return (_iso_date(item.date), item.url)

    ordered = sorted(items, key=key)
    return [
        SearchDoc(
            ref=str(position),
            title=item.title,
            authors=tuple(item.authors),
            agency=item.agency,
            body=item.body,
            url=item.url,
            date=_iso_date(item.date)[:10],
            excerpt=item.excerpt,
        )
        for position, item in enumerate(ordered)
    ]


def _iso_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.isoformat()


def digest_documents(hasher: Any, docs: Iterable[SearchDoc]) -> None:
    """Feed every field of every document to ``hasher`` (a ``hashlib`` object).

    Strings go in as their UTF-8 bytes with their length (no two documents feed
    the same bytes), not as ``repr``: escaping each body cost 0.4 s per 10,000
    articles on every build, changed or not.
    """
    names = [field.name for field in fields(SearchDoc)]
    update = hasher.update
    for doc in docs:
        for name in names:
            value = getattr(doc, name)
            text = repr(value) if isinstance(value, tuple) else str(value)  # (a body's handle too)
            data = text.encode("utf-8", "surrogatepass")
            update(len(data).to_bytes(8, "little"))
            update(data)
