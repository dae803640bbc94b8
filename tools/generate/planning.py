"""Pass one: decide every file of an archive (kind, day, title, source URL, layout)."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from . import vocabulary as vocab
from .layout import VARIED_SHARE, Layout, draw_layout
from .text import TextGenerator
from .truth import GroundTruth, title_key
from .variants import VARIANT_FEATURES

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


FILE_NAME_RE = re.compile(r"^\d{6}_[0-9a-f]{16}\.txt$")
# Source URLs in the shapes news sites use, on reserved example domains (RFC 2606);
# "times" is the real seed's shape, /YYYY/MM/DD/slug-aNNNNN.
_HOSTS = ("times", "wire", "news", "broadcast", "digest", "agency")
_HOST_WEIGHTS = (70, 8, 6, 5, 6, 5)
_DATED_HOSTS = ("times", "digest")  # /YYYY/MM/DD/ in the path
_UNDATED_HOSTS = ("agency", "broadcast", "news")


def _slugify(text: str, limit: int = 80) -> str:
    """ASCII, lower-case, hyphenated, cut at a word boundary, like news CMS slugs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


def file_name(index: int, identity: str) -> str:
    """``NNNNNN_<16 hex>.txt``: date order, then a hash of the source URL (as scrapers do)."""
    return f"{index:06d}_{hashlib.sha256(identity.encode()).hexdigest()[:16]}.txt"


@dataclass(slots=True)
class Plan:
    """What pass one decides about a file before any text is written."""

    index: int
    kind: str  # "normal" or a broken kind
    day: date
    title: str = ""
    url: str = ""
    name: str = ""
    layout: Layout = field(default_factory=Layout)
    twin_of: int | None = None
    twin_kind: str | None = None
    duplicate_of: int | None = None


class ArchivePlan:
    """Plans every file before any is written (pass one).

    Planning first keeps every title known before any related line is written, so
    citations can point forward in time and "missing" titles are provably missing.
    """

    def __init__(self, count: int, output: Path, seed: int, broken: bool) -> None:
        """Plan nothing yet: :meth:`plan` and :meth:`index_titles` do the work."""
        self.count = count
        self.output = output
        self.broken = broken
        self.gen = TextGenerator(seed)
        self.truth = GroundTruth(seed=seed, count=count, broken_enabled=broken)
        self.plans: list[Plan] = []
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
        """Decide each file's kind, day, title, layout and source URL, in date order."""
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
                duplicate.name = file_name(i, source.url)
                self.plans.append(duplicate)
                continue
            if kind in ("empty", "whitespace", "binary"):
                self.plans.append(Plan(i, kind, day, name=file_name(i, f"{self.seed}:{i}")))
                continue
            plan = Plan(i, kind, day)
            self._plan_title(plan, normal, normal_days)
            plan.layout = draw_layout(gen, gen.random() < VARIED_SHARE)
            if kind == "no_date":  # neither a date line nor a date in the URL
                plan.layout = replace(plan.layout, date_format="none")
                host = gen.choice(_UNDATED_HOSTS)
            elif kind == "bom_crlf":
                plan.layout = replace(plan.layout, crlf=True)
                host = gen.weighted(_HOSTS, _HOST_WEIGHTS)
            elif plan.layout.date_format == "none":  # the date comes from the URL
                host = _DATED_HOSTS[0] if gen.random() < 0.8 else _DATED_HOSTS[1]
            else:
                host = gen.weighted(_HOSTS, _HOST_WEIGHTS)
            if kind == "latin1":
                plan.title = vocab.latin1(plan.title)
            plan.url = self._url(host, day, plan.title)
            plan.name = file_name(i, plan.url)
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

    def _plan_title(self, plan: Plan, normal: list[int], normal_days: list[date]) -> None:
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

    def _name(self, index: int | None) -> str | None:
        return None if index is None else self.plans[index].name

    def _target(self, plan: Plan, feature: str) -> int | None:
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
