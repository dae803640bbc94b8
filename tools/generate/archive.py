"""Plan every file of an archive, then write them one by one with their ground truth."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from . import vocabulary as vocab
from .text import TextGenerator
from .truth import (
    GROUND_TRUTH_NAME,
    ArticleTruth,
    BrokenTruth,
    GenerateError,
    GroundTruth,
    RelatedTruth,
    title_key,
)
from .variants import RELATED_VARIANTS, VARIANT_FEATURES, VARIANT_WEIGHTS, apply_variant

MAX_COUNT = 999_999  # file names carry a six-digit index
FIRST_DAY = date(2018, 1, 1)
LAST_DAY = date(2024, 12, 31)

BROKEN_KINDS = (
    "empty",
    "whitespace",
    "binary",
    "no_title",
    "latin1",
    "bom_crlf",
    "no_date",
    "duplicate",
)
# Broken on the surface but still articles: the reader must cope with them.
BUILDING_BROKEN_KINDS = frozenset({"latin1", "bom_crlf"})
BROKEN_FRACTION = 0.005
MIN_COUNT_FOR_BROKEN = 50  # below this every file is a clean article


_FILE_NAME_RE = re.compile(r"^\d{6}_[0-9a-f]{16}\.txt$")
# Source URLs in the shapes news sites use, on reserved example domains (RFC 2606);
# "times" is the real seed's shape, /YYYY/MM/DD/slug-aNNNNN.
_HOSTS = ("times", "wire", "news", "broadcast", "digest", "agency")
_HOST_WEIGHTS = (70, 8, 6, 5, 6, 5)
_DATE_FORMATS = ("long", "abbrev", "day_first", "none")
_DATE_FORMAT_WEIGHTS = (55, 20, 15, 10)


def _slugify(text: str, limit: int = 80) -> str:
    """ASCII, lower-case, hyphenated, cut at a word boundary, like news CMS slugs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


def _file_name(index: int, identity: str) -> str:
    """``NNNNNN_<16 hex>.txt``: date order, then a hash of the source URL (as scrapers do)."""
    return f"{index:06d}_{hashlib.sha256(identity.encode()).hexdigest()[:16]}.txt"


def _format_date(day: date, style: str) -> str:
    if style == "long":
        return f"{vocab.MONTHS[day.month - 1]} {day.day}, {day.year}"
    if style == "abbrev":
        return f"{vocab.AP_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {vocab.MONTHS[day.month - 1]} {day.year}"


@dataclass(slots=True)
class _Plan:
    """What pass one decides about a file before any text is written."""

    index: int
    kind: str  # "normal" or a broken kind
    day: date
    title: str = ""
    url: str = ""
    name: str = ""
    date_format: str = "long"
    twin_of: int | None = None
    twin_kind: str | None = None
    duplicate_of: int | None = None


class _Archive:
    """Plans every file (pass one), then writes them one at a time (pass two).

    Planning first keeps every title known before any related line is written, so
    citations can point forward in time and "missing" titles are provably missing.
    """

    def __init__(self, count: int, output: Path, seed: int, broken: bool) -> None:
        self.count = count
        self.output = output
        self.broken = broken
        self.gen = TextGenerator(seed)
        self.truth = GroundTruth(seed=seed, count=count, broken_enabled=broken)
        self.plans: list[_Plan] = []
        self.urls: set[str] = set()
        self.article_id = 60000
        self.seed = seed
        self.keys: list[str] = []
        self.all_keys: set[str] = set()
        self.used_keys: set[str] = set()
        self.built_by_key: dict[str, list[int]] = {}
        self.targetable: dict[str, list[int]] = {}

    # -- pass one

    def plan(self) -> None:
        gen = self.gen
        kinds = self._broken_positions()
        span = (LAST_DAY - FIRST_DAY).days + 1
        normal: list[int] = []
        normal_days: list[date] = []
        for i in range(self.count):
            kind = kinds.get(i, "normal")
            day = FIRST_DAY + timedelta(days=int((i + gen.random()) * span / self.count))
            if kind == "duplicate":
                source = self.plans[gen.choice(normal)]
                duplicate = replace(source, index=i, kind=kind, duplicate_of=source.index)
                duplicate.name = _file_name(i, source.url)
                self.plans.append(duplicate)
                continue
            if kind in ("empty", "whitespace", "binary"):
                self.plans.append(_Plan(i, kind, day, name=_file_name(i, f"{self.seed}:{i}")))
                continue
            plan = _Plan(i, kind, day)
            self._plan_title(plan, normal, normal_days)
            if kind == "no_date":
                plan.date_format = "none"
                host = gen.choice(("agency", "broadcast", "news"))
            else:
                plan.date_format = gen.weighted(_DATE_FORMATS, _DATE_FORMAT_WEIGHTS)
                if plan.date_format == "none":
                    host = "times" if gen.random() < 0.8 else "digest"
                else:
                    host = gen.weighted(_HOSTS, _HOST_WEIGHTS)
            if kind == "latin1":
                plan.title = vocab.latin1(plan.title)
            plan.url = self._url(host, day, plan.title)
            plan.name = _file_name(i, plan.url)
            self.plans.append(plan)
            if kind == "normal":
                normal.append(i)
                normal_days.append(day)

    def _broken_positions(self) -> dict[int, str]:
        """About 0.5% of the files, every kind at least once, none among the first ten."""
        if not self.broken or self.count < MIN_COUNT_FOR_BROKEN:
            return {}
        total = max(len(BROKEN_KINDS), round(self.count * BROKEN_FRACTION))
        positions = sorted(self.gen.rng.sample(range(10, self.count), total))
        kinds = [BROKEN_KINDS[k % len(BROKEN_KINDS)] for k in range(total)]
        self.gen.rng.shuffle(kinds)
        return dict(zip(positions, kinds, strict=True))

    def _plan_title(self, plan: _Plan, normal: list[int], normal_days: list[date]) -> None:
        """Usually a fresh headline; sometimes an earlier one copied or changed slightly.

        Fresh headlines are unique, so only ``exact`` twins share a title. Besides
        the random twins, every 200 files carry one of each kind, so each kind is
        present from a few hundred files on, whatever the seed.
        """
        gen, i = self.gen, plan.index
        r = gen.random()
        forced = _FORCED_TWINS.get(i % 200) if i >= 100 else None
        if forced == "exact" or (forced is None and r < 0.006):
            earlier = bisect.bisect_left(normal_days, plan.day)  # strictly earlier days
            if earlier:
                j = normal[earlier - 1 - int(earlier * gen.random() ** 2)]
                plan.title, plan.twin_of, plan.twin_kind = self.plans[j].title, j, "exact"
                return
        elif forced is not None or r < 0.04:
            kind = forced or gen.choice(("name", "number", "negation"))
            for j in reversed(normal[-300:]):
                if gen.random() < 0.2:
                    continue
                mutated = gen.mutate(self.plans[j].title, kind)
                if mutated and title_key(mutated) not in self.used_keys:
                    plan.title, plan.twin_of, plan.twin_kind = mutated, j, kind
                    self.used_keys.add(title_key(mutated))
                    return
        for _ in range(100):  # templates repeat; stories sharing a headline are the twins
            plan.title = gen.title()
            if title_key(plan.title) not in self.used_keys:
                break
        self.used_keys.add(title_key(plan.title))

    def _url(self, host: str, day: date, title: str) -> str:
        """Make a source URL in the host's real shape, unique in the archive."""
        gen, randrange = self.gen, self.gen.rng.randrange
        slug = _slugify(title)
        self.article_id += randrange(1, 6)
        while True:
            if host == "times":
                url = f"https://www.example-times.example/{day:%Y/%m/%d}/{slug}-a{self.article_id}"
            elif host == "digest":
                url = f"https://digest.example.net/en/news/{day:%Y/%m/%d}/{slug}"
            elif host == "wire":
                url = f"https://www.northwind-wire.example/world/europe/{slug}-{day:%Y-%m-%d}/"
            elif host == "news":
                url = f"https://news.example.org/article/{slug}-{gen.bits(128):032x}"
            elif host == "broadcast":
                number = randrange(10**7, 10**8)
                url = f"https://www.example-broadcast.example/news/world-europe-{number}"
            else:
                section = gen.choice(("politics", "economy", "world", "society"))
                url = f"https://agency.example.com/{section}/{randrange(10**6, 10**7)}"
            if url not in self.urls:
                self.urls.add(url)
                return url
            slug += f"-{randrange(2, 10)}"

    # -- between the passes

    def index_titles(self) -> None:
        """Key every title, and list which articles each kind of citation may target."""
        self.keys = [title_key(plan.title) for plan in self.plans]
        self.all_keys = set(self.keys)
        self.targetable = {name: [] for name in ("", *VARIANT_FEATURES)}
        for plan, key in zip(self.plans, self.keys, strict=True):
            if plan.kind in ("normal", *BUILDING_BROKEN_KINDS):
                self.built_by_key.setdefault(key, []).append(plan.index)
            if plan.kind != "normal":
                continue
            self.targetable[""].append(plan.index)
            for name, has_feature in VARIANT_FEATURES.items():
                if has_feature(plan.title):
                    self.targetable[name].append(plan.index)

    # -- pass two

    def write(self) -> None:
        for plan in self.plans:
            if plan.duplicate_of is not None:
                data = (self.output / self.plans[plan.duplicate_of].name).read_bytes()
            elif plan.kind in ("empty", "whitespace", "binary"):
                data = self._junk(plan.kind)
            else:
                data = self._article(plan)
            (self.output / plan.name).write_bytes(data)
            if plan.kind != "normal":
                original = self._name(plan.duplicate_of)
                builds = plan.kind in BUILDING_BROKEN_KINDS
                self.truth.broken.append(BrokenTruth(plan.name, plan.kind, builds, original))

    def _name(self, index: int | None) -> str | None:
        return None if index is None else self.plans[index].name

    def _junk(self, kind: str) -> bytes:
        rng = self.gen.rng
        if kind == "empty":
            return b""
        if kind == "whitespace":
            blanks = [rng.choice(("\n", " ", "\t", "\r\n")) for _ in range(rng.randrange(1, 40))]
            return "".join(blanks).encode()
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randrange(200, 3000))

    def _article(self, plan: _Plan) -> bytes:
        gen = self.gen
        gen.start_article()
        lines: list[str] = [""] * int(gen.random() * 3)
        if plan.kind != "no_title":
            lines += [f"# {plan.title}", ""]
        byline_kind, byline, authors, agency = gen.byline()
        if byline:
            lines += [byline, ""]
        if plan.date_format != "none":
            lines += [_format_date(plan.day, plan.date_format), ""]
        caption, credit = gen.caption()
        if credit:
            lines += [f"{caption} **{credit}**", ""]

        target_words = min(1500, max(150, int(gen.rng.lognormvariate(6.2, 0.55))))
        blocks, words, dateline = self._paragraphs(target_words, plan.kind == "latin1")
        paragraphs = len(blocks)
        splits = self._split(blocks)

        related_count = 0 if plan.kind == "latin1" else gen.weighted((0, 1, 2, 3), (30, 35, 25, 10))
        subhead_count = 0 if words < 350 else gen.weighted((0, 1, 2, 3), (55, 20, 15, 10))
        gaps = list(range(1, len(blocks)))
        gen.rng.shuffle(gaps)
        related_gaps = set(gaps[:related_count])
        subhead_gaps = set(gaps[related_count : related_count + subhead_count])
        records = plan.kind in ("normal", *BUILDING_BROKEN_KINDS)
        targets: list[int | None] = []
        for number, block in enumerate(blocks):
            if number in subhead_gaps:
                subhead = gen.subhead()
                words += subhead.count(" ")  # the words after "###"
                lines += [subhead, ""]
            if number in related_gaps:
                text, target = self._related(plan, len(targets), records)
                targets.append(target)
                lines += [f"**Related article:** [{text}](#)", ""]
            for paragraph in block:
                lines += [paragraph, ""]
        lines.append(f"Original url: <{plan.url}>")
        text = "\n".join(lines) + "\n"

        if records:
            fix = vocab.latin1 if plan.kind == "latin1" else str
            self.truth.articles.append(
                ArticleTruth(
                    file=plan.name,
                    kind=plan.kind,
                    title=plan.title,
                    date=plan.day.isoformat(),
                    date_source="url" if plan.date_format == "none" else "line",
                    date_format=plan.date_format,
                    byline=byline_kind,
                    authors=tuple(fix(author) for author in authors),
                    agency=agency,
                    dateline=dateline,
                    caption=fix(caption),
                    credit=fix(credit),
                    source_url=plan.url,
                    words=words,
                    paragraphs=paragraphs,
                    splits=splits,
                    subheads=len(subhead_gaps),
                    related=tuple(self._name(t) for t in targets),
                    twin_of=self._name(plan.twin_of),
                    twin_kind=plan.twin_kind,
                )
            )
        if plan.kind == "latin1":
            return vocab.latin1(text).encode("latin-1", errors="replace")
        if plan.kind == "bom_crlf":
            return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
        return text.encode()

    def _paragraphs(self, target: int, latin1: bool) -> tuple[list[list[str]], int, str]:
        """Body paragraphs as blocks: a block holds one paragraph, or its two halves."""
        gen = self.gen
        blocks: list[list[str]] = []
        words = 0
        dateline = ""
        while words < target:
            paragraph = gen.paragraph()
            if not blocks:
                if gen.random() < 0.25:
                    dateline = gen.pick(gen.cities).upper()
                    paragraph = f"{dateline} \u2014 {paragraph}"
                if latin1:  # make sure the file has bytes that are not UTF-8
                    paragraph += " They met at a café near the old market."
            blocks.append([paragraph])
            words += paragraph.count(" ") + 1
        return blocks, words, dateline

    def _split(self, blocks: list[list[str]]) -> int:
        """Cut a few paragraphs mid-sentence, as the scrape did, after a bare word."""
        gen = self.gen
        r = gen.random()
        wanted = 0 if r < 0.88 else 1 if r < 0.97 else 2
        splits = 0
        for _ in range(wanted * 3):
            if splits == wanted:
                break
            block = blocks[int(gen.random() * len(blocks))]
            words = block[0].split(" ")
            if len(block) != 1 or len(words) < 12:
                continue
            cut = 4 + int(gen.random() * (len(words) - 8))
            head, tail = words[:cut], words[cut:]
            if not head[-1][-1].isalnum() or not tail[0][0].isalnum():
                continue
            block[:] = [" ".join(head), " ".join(tail)]
            splits += 1
        return splits

    def _related(self, plan: _Plan, number: int, records: bool) -> tuple[str, int | None]:
        """Cite another title, spelled as a page might; record the intended target."""
        gen = self.gen
        variant: str = gen.weighted(RELATED_VARIANTS, VARIANT_WEIGHTS)
        target: int | None = None
        text = self._phantom_near() if variant == "missing_near" else None
        if variant not in ("missing", "missing_near"):
            feature = variant if variant in VARIANT_FEATURES else ""
            target = self._target(plan, feature)
            if target is None and feature:
                variant, target = "exact", self._target(plan, "")
        if target is not None:
            title = self.plans[target].title
            text = apply_variant(gen, title, variant)
            if text == title:
                variant = "exact"
        elif text is None:
            variant, text = "missing", self._phantom()
        if records:
            candidates = self.built_by_key[self.keys[target]] if target is not None else []
            self.truth.related.append(
                RelatedTruth(
                    citing=plan.name,
                    index=number,
                    text=text,
                    target=self._name(target),
                    variant=variant,
                    candidates=tuple(self.plans[c].name for c in candidates),
                )
            )
        return text, target

    def _target(self, plan: _Plan, feature: str) -> int | None:
        """Mostly a recent earlier article, sometimes a later one; never its own title."""
        gen = self.gen
        pool = self.targetable[feature]
        at = bisect.bisect_left(pool, plan.index)
        after = at + (at < len(pool) and pool[at] == plan.index)
        for _ in range(4):
            if at and (gen.random() < 0.88 or after >= len(pool)):
                candidate = pool[at - 1 - int(at * gen.random() ** 3)]
            elif after < len(pool):
                candidate = pool[after + int((len(pool) - after) * gen.random() ** 3)]
            else:
                return None
            if self.keys[candidate] != self.keys[plan.index]:
                return candidate
        return None

    def _phantom_near(self) -> str | None:
        """Find a headline one name, number or negation away from a real one, not in it."""
        gen = self.gen
        for _ in range(10):
            source = self.plans[int(gen.random() * len(self.plans))].title
            text = gen.mutate(source, gen.choice(("name", "number", "negation")))
            if text is not None and title_key(text) not in self.all_keys:
                return text
        return None

    def _phantom(self) -> str:
        """Draw a fresh headline that no file in the archive carries."""
        text = self.gen.title()
        suffix = 2
        while title_key(text) in self.all_keys:
            text = f"{self.gen.title()} ({suffix})"
            suffix += 1
        return text


_FORCED_TWINS = {100: "exact", 30: "name", 60: "number", 90: "negation"}


def _prepare_output(output: Path) -> None:
    """Create the folder; replace an earlier generated archive, never anything else."""
    output.mkdir(parents=True, exist_ok=True)
    foreign = sorted(p.name for p in output.glob("*.txt") if not _FILE_NAME_RE.match(p.name))
    if foreign:
        raise GenerateError(
            f"{output} holds .txt files this generator did not write ({foreign[0]}, ...); "
            "use an empty folder"
        )
    for path in output.glob("*.txt"):
        path.unlink()
    (output / GROUND_TRUTH_NAME).unlink(missing_ok=True)


def generate_archive(count: int, output: Path, seed: int = 0, broken: bool = True) -> GroundTruth:
    """Write ``count`` seed files into ``output`` and return their ground truth.

    Files are named ``NNNNNN_<16 hex of their content hash>.txt`` in date order;
    with ``broken`` (and ``count >= 50``) about 0.5% of them, and at least one of
    each of :data:`BROKEN_KINDS`, are deliberately broken. The ground truth is also
    written to ``output/_ground_truth.json``. Earlier generated files in ``output``
    are replaced; other ``.txt`` files there raise :class:`GenerateError`.
    """
    if not 1 <= count <= MAX_COUNT:
        raise GenerateError(f"count must be between 1 and {MAX_COUNT:,}, not {count}")
    output = Path(output)
    _prepare_output(output)
    archive = _Archive(count, output, seed, broken)
    archive.plan()
    archive.index_titles()
    archive.write()
    truth = archive.truth
    truth.write(output / GROUND_TRUTH_NAME)
    return truth
