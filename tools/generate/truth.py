"""The right answers for a generated archive, and the title identity they are keyed on."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

GROUND_TRUTH_NAME = "_ground_truth.json"
GROUND_TRUTH_VERSION = 2


class GenerateError(ValueError):
    """Arguments or an output directory the generator cannot use."""


# --------------------------------------------------------------------------- truth


@dataclass(frozen=True, slots=True)
class ArticleTruth:
    """What the reader should extract from one file that builds into an article.

    ``words`` counts whitespace-separated words of the body as plain text: paragraphs
    and subheads, not title, caption or related lines. ``paragraphs`` counts body
    paragraphs (not subheads or related lines) after re-joining
    the ``splits`` paragraphs the scrape cut mid-sentence. ``twin_of`` names an
    earlier file whose title this one copies (``twin_kind="exact"``, a distinct
    story) or changes in one name, number or negation (``"name"``, ``"number"``,
    ``"negation"``). ``date_format``, ``byline`` and ``layout`` say how the file is laid
    out (see :mod:`.layout`): ``layout`` is empty for the real seed's layout.
    """

    file: str
    kind: str  # "normal", "bom_crlf" or "latin1"
    title: str
    date: str  # ISO date
    date_source: str  # "line" or "url"
    date_format: str  # one of layout.DATE_FORMATS ("none": the date is the URL's)
    byline: str  # one of layout.BYLINE_KINDS
    authors: tuple[str, ...]
    agency: str
    dateline: str  # upper-case place before the em dash of the first paragraph, or ""
    caption: str
    credit: str
    source_url: str
    words: int
    paragraphs: int
    splits: int
    subheads: int
    related: tuple[str | None, ...]  # target file of each related line, in order
    layout: tuple[str, ...]  # "field=value" where the file differs from the real seed's layout
    twin_of: str | None = None
    twin_kind: str | None = None


@dataclass(frozen=True, slots=True)
class RelatedTruth:
    """One ``**Related article:**`` line and the article it means.

    ``candidates`` are all built files whose title has the same :func:`title_key`
    as ``text`` (several when distinct stories share a headline); ``target`` is the
    one intended, ``None`` for titles not in the archive.
    """

    citing: str
    index: int
    text: str
    target: str | None
    variant: str
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BrokenTruth:
    """A deliberately broken file, and whether it should still build."""

    file: str
    kind: str
    builds: bool
    duplicate_of: str | None = None


@dataclass(slots=True)
class GroundTruth:
    """Right answers for a generated archive (also ``_ground_truth.json``)."""

    seed: int
    count: int
    broken_enabled: bool
    articles: list[ArticleTruth] = field(default_factory=list)
    related: list[RelatedTruth] = field(default_factory=list)
    broken: list[BrokenTruth] = field(default_factory=list)

    def to_json(self) -> str:
        """Serialise deterministically: sorted keys, compact, one line."""
        return "".join(self._json_chunks())

    def write(self, path: Path) -> None:
        """Write :meth:`to_json` plus a newline, streamed: 100,000 articles make 80 MB."""
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(self._json_chunks())
            handle.write("\n")

    def _json_chunks(self) -> Iterator[str]:
        """Yield the JSON text piece by piece, top-level keys in sorted order."""
        dump = partial(json.dumps, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

        def items(
            name: str, records: Sequence[ArticleTruth | RelatedTruth | BrokenTruth]
        ) -> Iterator[str]:
            yield f"{dump(name)}:["
            for number, record in enumerate(records):
                yield ("," if number else "") + dump(_as_dict(record))
            yield "]"

        yield "{"
        yield from items("articles", self.articles)
        yield ","
        yield from items("broken", self.broken)
        yield f',"broken_enabled":{dump(self.broken_enabled)},"count":{dump(self.count)},'
        yield from items("related", self.related)
        yield f',"seed":{dump(self.seed)},"version":{GROUND_TRUTH_VERSION}}}'

    @classmethod
    def from_json(cls, text: str) -> GroundTruth:
        """Load what :meth:`to_json` wrote, so tests can work from the file alone."""
        data = json.loads(text)
        if data.get("version") != GROUND_TRUTH_VERSION:
            raise GenerateError(f"unsupported ground truth version {data.get('version')!r}")

        def tuples(item: dict[str, Any], *names: str) -> dict[str, Any]:
            return {**item, **{name: tuple(item[name]) for name in names}}

        return cls(
            seed=data["seed"],
            count=data["count"],
            broken_enabled=data["broken_enabled"],
            articles=[
                ArticleTruth(**tuples(a, "authors", "related", "layout")) for a in data["articles"]
            ],
            related=[RelatedTruth(**tuples(r, "candidates")) for r in data["related"]],
            broken=[BrokenTruth(**b) for b in data["broken"]],
        )

    @classmethod
    def load(cls, output: Path) -> GroundTruth:
        """Read ``<output>/_ground_truth.json``."""
        return cls.from_json((output / GROUND_TRUTH_NAME).read_text(encoding="utf-8"))


def _as_dict(item: ArticleTruth | RelatedTruth | BrokenTruth) -> dict[str, Any]:
    """Shallow ``asdict``: the records hold only str, int, bool, None and tuples of str."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


_KEY_MAP = str.maketrans(
    {
        "\u2018": "",
        "\u2019": "",
        "'": "",
        "\u201c": " ",
        "\u201d": " ",
        '"': " ",
        "\u2013": " ",
        "\u2014": " ",
        "-": " ",
        ".": "",
        "&": " and ",
    }
)
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3})")
_NON_WORD_RE = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """Return the loosest sensible identity of a headline.

    Two headlines with the same key are the same headline as far as any resolver
    could tell (typography, case, entities, accents, a leading "The" differ), so
    the generator uses it to keep "not in the archive" citations honest and to
    list every candidate of an ambiguous citation. It is not the resolver's rule.
    """
    text = html.unescape(html.unescape(title))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _THOUSANDS_RE.sub("", text.translate(_KEY_MAP).casefold())
    text = _NON_WORD_RE.sub(" ", text).strip()
    return text.removeprefix("the ")
