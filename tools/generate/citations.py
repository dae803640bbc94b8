"""Synthetic titles and citations (no seed files): the related matcher's hard cases.

The seed generator (:mod:`.archive`) cites its own titles in the spellings a page might
use; this module builds ~2,000 titles and ~2,200 citations aimed at the matcher's guard,
which need exact control of each title: confusable names one letter apart, the same
headline on several dates, a title and its prefix, transliterations. Both draw on the
same vocabulary files and invented names; this one stays a module of its own because
its answers (nearest earlier namesake, a prefix is another story) are about titles
alone, and ``tests/related`` asserts figures measured on exactly this set.

Stories come from realistic headline templates whose slots (people, countries, cities,
companies, numbers, negations) are filled at random, with confusable values on purpose
(Loremov/Loremova, Austria/Australia, Omsk/Tomsk, 1.5/15, Will/Will Not). Citations are
then drawn from three families, each with the right answer recorded at construction
time, independently of the normaliser under test:

- positives: an archived title as is, or re-spelled (curly/straight quotes, dashes,
  case, HTML entities, trailing punctuation, spacing, a dropped or added "the",
  British/American spelling, transliteration, split words);
- hard negatives: a title differing from an archived one by a name, a number, a
  negation or a word, a cut-down prefix, a self-citation (answer: not in the archive);
- shared titles: the same headline on several dates (answer: the nearest earlier one).
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from tools.title_evaluation import Case

from . import vocabulary as vocab

PEOPLE = list(vocab.load("citation_people"))
COUNTRIES = list(vocab.load("citation_countries"))
CITIES = list(vocab.load("citation_cities"))
ORGS = list(vocab.load("citation_orgs"))
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
# Values a hard negative swaps in: same shape, different story.
CONFUSABLE = {
    "Loremov": "Loremova", "Loremova": "Loremov", "Testov": "Testova",
    "Testova": "Testov", "Muster": "Mustera", "Mustera": "Muster", "Lorsen": "Lorson",
    "Lorson": "Lorsen", "Sampleyeva": "Sampleyev", "Sampleyev": "Sampleyeva",
    "Austria": "Australia", "Australia": "Austria", "Iran": "Iraq", "Iraq": "Iran",
    "Niger": "Nigeria", "Nigeria": "Niger", "Slovakia": "Slovenia",
    "Slovenia": "Slovakia", "Omsk": "Tomsk", "Tomsk": "Omsk", "Latvia": "Lithuania",
    "Lithuania": "Latvia",
}  # fmt: skip
NEGATION = {
    "Will": "Will Not",
    "Will Not": "Will",
    "Rules Out": "Does Not Rule Out",
    "Does Not Rule Out": "Rules Out",
    "Is": "Is Not",
    "Is Not": "Is",
    "Upholds": "Overturns",
    "Overturns": "Upholds",
    "Lifts": "Extends",
    "Extends": "Lifts",
}

TEMPLATES = list(vocab.load("citation_templates"))
SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Record:
    """One archived article."""

    key: int
    title: str
    date: datetime
    story: int


def _fill(rng: random.Random, slot: str) -> str:
    """A random value for a template slot."""
    base = slot.rstrip("0123456789")
    if base == "p":
        return rng.choice(PEOPLE)
    if base == "c":
        return rng.choice(COUNTRIES)
    if base == "city":
        return rng.choice(CITIES)
    if base == "org":
        return rng.choice(ORGS)
    if base == "month":
        return rng.choice(MONTHS)
    if base == "day":
        return str(rng.randint(1, 30))
    if base == "year":
        return str(rng.randint(2021, 2030))
    if base == "n":
        return str(rng.randint(2, 40))
    if base == "big":
        return f"{rng.randint(1, 30) * 1000 + rng.choice([0, rng.randint(1, 999)]):,}"
    if base == "x":
        return rng.choice(["1.5", "15", "4.25", "4.5", "5.5", "6", "7.5", "2.75", "8"])
    choices = {
        "will": ["Will", "Will Not"],
        "rules": ["Rules Out", "Does Not Rule Out"],
        "upholds": ["Upholds", "Overturns"],
        "is": ["Is", "Is Not"],
        "extends": ["Extends", "Lifts"],
    }
    return rng.choice(choices[base])


def _render(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def _mutate(rng: random.Random, template: str, slots: dict[str, str]) -> tuple[str, str]:
    """Change one slot so the story changes: returns (new title, kind of change)."""
    names = list(slots)
    rng.shuffle(names)
    for name in names:
        value = slots[name]
        base = name.rstrip("0123456789")
        new = None
        kind = ""
        if value in NEGATION:
            new, kind = NEGATION[value], "negation"
        elif value in CONFUSABLE and rng.random() < 0.8:
            new, kind = CONFUSABLE[value], "name"
        elif base in ("p", "c", "city", "org"):
            pool = {"p": PEOPLE, "c": COUNTRIES, "city": CITIES, "org": ORGS}[base]
            new, kind = rng.choice([v for v in pool if v != value]), "name"
        elif base in ("n", "day", "year", "big", "x"):
            kind = "number"
            if base == "x":
                new = {"1.5": "15", "15": "1.5", "4.25": "4.5", "4.5": "4.25"}.get(
                    value, value + ".5"
                )
            elif base == "big":
                new = value.replace(",", "", 1) + "0"
                new = f"{int(new):,}"
            else:
                new = str(int(value) + rng.choice([1, -1, 10]))
        if new is not None and new != value:
            return _render(template, {**slots, name: new}), kind
    return "", ""


# Spelling variants: each returns the title re-spelled, or the same title if it
# does not apply. None of them changes which story the title names.
def _curly(t: str) -> str:
    t = re.sub(r"(?<=\w)'(?=\w)", "\u2019", t)
    return re.sub(r"'([^']*)'", "\u2018\\1\u2019", t)


def _straight(t: str) -> str:
    return t.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))


def _dash(t: str) -> str:
    return t.replace("-", "\u2013") if "-" in t else t.replace("\u2013", "-")


def _upper(t: str) -> str:
    return t.upper()


def _lower(t: str) -> str:
    return t.lower()


def _sentence(t: str) -> str:
    return t[:1] + t[1:].lower()


def _entities(t: str) -> str:
    t = html.escape(t, quote=True).replace("&#x27;", "&#39;")
    return t.replace("\u2019", "&rsquo;").replace("\u2018", "&lsquo;")


def _trailing(t: str) -> str:
    return t + random.Random(t).choice([".", "!", " \u2026", "...", ":", " -"])


def _spaces(t: str) -> str:
    parts = t.split(" ")
    i = random.Random(t).randrange(1, len(parts))
    return " " + " ".join(parts[:i]) + "  " + " ".join(parts[i:]) + "\u00a0"


def _the(t: str) -> str:
    if re.search(r"\bthe ", t, re.IGNORECASE):
        return re.sub(r"\b[Tt]he ", "", t, count=1)
    return "The " + t


def _spelling(t: str) -> str:
    for a, b in (
        ("Defence", "Defense"),
        ("Recognize", "Recognise"),
        ("Prykladensky", "Prykladenskiy"),
        ("Coronavirus", "Corona-Virus"),
        ("Nagorno-Karabakh", "Nagorno Karabakh"),
        ("St. Petersburg", "St Petersburg"),
    ):
        if a in t:
            return t.replace(a, b)
    return t


def _transliteration(t: str) -> str:
    """Spellings the matcher is expected to miss (kept so recall is honest, not 100%)."""
    for a, b in (
        ("Ipsumovskaya", "Ipsumouskaja"),
        ("St. Petersburg", "Saint Petersburg"),
        ("Yekaterinburg", "Ekaterinburg"),
    ):
        if a in t:
            return t.replace(a, b)
    return t


VARIANTS = {
    "transliteration": _transliteration,
    "curly": _curly,
    "straight": _straight,
    "dash": _dash,
    "upper": _upper,
    "lower": _lower,
    "sentence": _sentence,
    "entities": _entities,
    "trailing": _trailing,
    "spaces": _spaces,
    "the": _the,
    "spelling": _spelling,
}


def _respell(rng: random.Random, title: str, count: int) -> tuple[str, str]:
    """Apply ``count`` random variants that change the title; returns (title, kind)."""
    chosen = [
        name for name in rng.sample(sorted(VARIANTS), len(VARIANTS))
        if VARIANTS[name](title) != title
    ][:count]  # fmt: skip
    # Entities are the last thing a page does to a title (never upper-cased after).
    chosen.sort(key=lambda name: name == "entities")
    kinds = []
    for name in chosen:
        changed = VARIANTS[name](title)
        if changed != title:
            title = changed
            kinds.append(name)
    return title, "+".join(sorted(kinds)) or "none"


def expected_target(
    story_records: list[Record], source_key: int, source_date: datetime
) -> int | None:
    """Ground truth: nearest earlier namesake, else nearest later; never the source."""
    pool = [r for r in story_records if r.key != source_key]
    if not pool:
        return None
    before = [r for r in pool if r.date <= source_date]
    if before:
        return min(before, key=lambda r: (source_date - r.date, r.key)).key
    return min(pool, key=lambda r: (r.date - source_date, r.key)).key


def build_archive(
    size: int = 2000, seed: int = 2020
) -> tuple[list[tuple[int, str, datetime]], list[Case]]:
    """Return ``(records, cases)``: ~``size`` archived titles and ~``size`` citations."""
    rng = random.Random(seed)
    start = datetime(2019, 1, 1)
    stories: list[tuple[str, dict[str, str], str]] = []
    seen: set[str] = set()
    while len(stories) < size - 100:
        template = rng.choice(TEMPLATES)
        slots = {s: _fill(rng, s) for s in SLOT.findall(template)}
        title = _render(template, slots)
        # A few archived titles carry typography of their own (curly quotes, dashes).
        stored = _curly(title) if "'" in title and rng.random() < 0.3 else title
        if title.casefold() in seen:
            continue
        seen.add(title.casefold())
        stories.append((template, slots, stored))

    records: list[Record] = []
    by_story: dict[int, list[Record]] = {}

    def add(story: int, title: str, date: datetime) -> Record:
        record = Record(len(records), title, date, story)
        records.append(record)
        by_story.setdefault(story, []).append(record)
        return record

    for story, (_, _, title) in enumerate(stories):
        add(story, title, start + timedelta(days=rng.randrange(1400)))
    # Shared titles: the same headline on other dates (daily case counts, rulings).
    shared = rng.sample(range(len(stories)), 50)
    for story in shared:
        for _ in range(rng.choice([1, 1, 2])):
            title = stories[story][2]
            add(story, _dash(title) if rng.random() < 0.2 else title,
                start + timedelta(days=rng.randrange(1400)))  # fmt: skip

    cases: list[Case] = []

    def cite(title: str, story: int | None, kind: str, source: Record | None = None):
        source = source or rng.choice(records)
        expected = (
            None if story is None else expected_target(by_story[story], source.key, source.date)
        )
        cases.append(Case(title, source.key, source.date, expected, kind))

    # Positives: verbatim and re-spelled citations.
    for _ in range(300):
        story = rng.randrange(len(stories))
        cite(stories[story][2], story, "exact")
    for _ in range(900):
        story = rng.randrange(len(stories))
        title, kind = _respell(rng, stories[story][2], rng.choice([1, 1, 2]))
        cite(title, story, f"variant:{kind}")
    # Hard negatives: a different story one slot away, sometimes re-spelled too.
    archived = {t.casefold() for _, _, t in stories} | {
        _straight(t).casefold() for _, _, t in stories
    }
    made = 0
    while made < 500:
        story = rng.randrange(len(stories))
        template, slots, _ = stories[story]
        title, kind = _mutate(rng, template, slots)
        if not title or title.casefold() in archived:
            continue
        if rng.random() < 0.5:
            title, spelled = _respell(rng, title, 1)
            kind += f"+{spelled}"
        cite(title, None, f"negative:{kind}")
        made += 1
    # Prefixes: "X Extends Lockdown" vs "X Extends Lockdown Until May 11".
    for story, (template, slots, title) in enumerate(stories):
        if template == TEMPLATES[1]:
            short = _render(TEMPLATES[2], slots)
            if short.casefold() not in archived:
                cite(short, None, "negative:prefix")
            else:
                cite(title, story, "prefix:long")
        elif template == TEMPLATES[2]:
            cite(_respell(rng, title, 1)[0], story, "prefix:short")
            longer = _render(TEMPLATES[1], {**slots, "month": "May", "day": "11"})
            if longer.casefold() not in archived:
                cite(longer, None, "negative:extended")
    # Shared titles cited from before, between and after their dates, and from a
    # namesake itself (never itself as the answer).
    for story in shared:
        for record in by_story[story]:
            cite(stories[story][2], story, "shared:self", source=record)
            cite(stories[story][2], story, "shared:after", source=_later(records, record))
    # Self-citations of a unique title: nothing else to link to.
    for story in rng.sample(range(len(stories)), 100):
        (record,) = by_story[story] if len(by_story[story]) == 1 else (None,)
        if record is not None:
            cite(record.title, story, "negative:self", source=record)
    return [(r.key, r.title, r.date) for r in records], cases


def _later(records: list[Record], record: Record) -> Record:
    """Some other record dated a little after ``record`` (a citing follow-up)."""
    after = [r for r in records if r.date > record.date and r.story != record.story]
    return min(after, key=lambda r: (r.date, r.key)) if after else records[0]
