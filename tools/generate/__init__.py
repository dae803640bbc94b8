"""Deterministic synthetic news archive in the seed format.

Tests, benchmarks and first-time users need archives far larger and messier than the one
real seed, with a known right answer for every hard case: near-duplicate headlines that
are different stories, related-article lines that spell a title differently from the
article they cite (or cite nothing in the archive), split paragraphs and broken files.
:func:`generate_archive` writes such an archive file by file (memory stays flat apart
from one small record per article) and returns the answers as :class:`GroundTruth`,
also written to ``<output>/_ground_truth.json``; the seed reader only reads ``*.txt``.

Everything is drawn from one ``random.Random(seed)``: the same ``count`` and ``seed``
give byte-identical files on every run.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import html
import json
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

__all__ = [
    "BROKEN_KINDS",
    "GROUND_TRUTH_NAME",
    "RELATED_VARIANTS",
    "ArticleTruth",
    "BrokenTruth",
    "GenerateError",
    "GroundTruth",
    "RelatedTruth",
    "generate_archive",
    "main",
    "title_key",
]

GROUND_TRUTH_NAME = "_ground_truth.json"
GROUND_TRUTH_VERSION = 1
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

RELATED_VARIANTS = (
    "exact",
    "quotes",
    "dash",
    "case",
    "spaces",
    "trailing",
    "entity_amp",
    "entity_apos",
    "drop_the",
    "missing",
    "missing_near",
)
_VARIANT_WEIGHTS = (30, 9, 8, 8, 7, 7, 5, 6, 5, 9, 6)

_FILE_NAME_RE = re.compile(r"^\d{6}_[0-9a-f]{16}\.txt$")
_TABLE_BITS = 12


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
    ``"negation"``).
    """

    file: str
    kind: str  # "normal", "bom_crlf" or "latin1"
    title: str
    date: str  # ISO date
    date_source: str  # "line" or "url"
    date_format: str  # "long", "abbrev", "day_first" or "none"
    byline: str  # "none", "single", "single_agency", "two", "three_agency", "agency_bare"
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
            articles=[ArticleTruth(**tuples(a, "authors", "related")) for a in data["articles"]],
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


# --------------------------------------------------------------------------- title keys

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


# --------------------------------------------------------------------------- vocabulary


def _words(text: str) -> tuple[str, ...]:
    """Split a word list kept as prose-like text, most frequent word first."""
    return tuple(text.split())


_NOUNS = _words(
    """
government country year president ministry war city region official court law
company week month price economy bank market oil gas election opposition border
army vaccine virus pandemic crisis conflict attack deal agreement plan budget tax
rate inflation ruble dollar report statement interview decision proposal bill
parliament deputy minister governor mayor spokesman analyst expert journalist
newspaper channel website network program project pipeline plant factory school
hospital doctor family child woman worker soldier officer prisoner activist lawyer
judge prosecutor investigation trial sentence fine charge arrest search raid ban
restriction lockdown measure policy reform system service agency committee council
commission party movement campaign vote poll survey result rise fall growth loss
profit revenue export import supply demand production energy security defense
weapon missile drone ship plane flight train road bridge railway port airport
station district village town area territory sea river forest fire flood storm
heat winter summer snow weather climate water food grain wheat harvest farmer
industry business investor share stock bond debt loan payment salary pension
income poverty unemployment job migrant refugee visa passport citizen resident
community church museum theater film book artist writer concert festival
exhibition match team player coach championship medal athlete history memory
monument anniversary tradition culture language identity freedom right democracy
regime leader chief head member group organization union alliance partner
neighbor ally threat risk warning concern fear hope support criticism pressure
request response reaction question issue problem situation condition effort step
move attempt action operation mission strike ceasefire truce peace negotiation
mediator envoy embassy diplomat ambassador summit meeting visit trip conference
forum session hearing testimony evidence document letter message video photo
footage account source information story café treaty dispute shortage
"""
)

_PLURALS = _words(
    """
people officials authorities troops sanctions talks prices residents protesters
workers soldiers children families families journalists analysts experts
investors companies banks students doctors patients voters lawmakers deputies
ministers diplomats activists lawyers prisoners refugees migrants volunteers
civilians citizens authorities police forces farmers pensioners drivers
villagers critics supporters relatives teachers scientists tourists fans
"""
)

_VERBS_PAST = _words(
    """
said told added announced reported confirmed denied rejected approved signed
launched opened closed extended introduced imposed lifted raised cut increased
reduced blocked banned arrested detained fined sentenced charged accused
criticized praised warned urged called asked demanded promised pledged
threatened agreed refused planned expected published released received sent
delivered supplied bought sold paid spent lost won gained hit killed attacked
destroyed damaged built restored visited met discussed held hosted attended
joined left seized recognized supported backed opposed condemned welcomed
dismissed appointed replaced passed adopted suspended postponed canceled delayed
resumed completed started ended continued revealed found noted stressed
described blamed investigated questioned searched raided ordered allowed
prevented protected defended faced needed
"""
)

_VERBS_BASE = _words(
    """
extend introduce impose lift raise cut increase reduce block ban support oppose
discuss review consider sign approve reject restore resume suspend allow prevent
protect defend face need take make pay build open close continue end help affect
hurt boost weaken strengthen limit expand require change replace
"""
)

_MODALS = _words("will would could may might must should")

_ADJECTIVES = _words(
    """
new former Russian local regional federal national international foreign
political economic military official public private independent state-run main
major key senior top large small long high low recent early last next first
second several many other possible likely serious severe strong weak growing
rising sharp significant unprecedented controversial unclear illegal criminal
legal human social digital online financial Western European Ukrainian Armenian
Chinese American Soviet pro-Kremlin liberal annual emergency temporary
"""
)

_ADVERBS = _words(
    """
also still already now only even again recently reportedly previously officially
publicly quickly finally largely sharply openly repeatedly
"""
)

_PREPOSITIONS = _words(
    """
in on for with from against over after before during since under amid despite
near across between without
"""
)

_DETERMINERS = _words("the the the a its their this")

_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_MONTHS = _words(
    """
January February March April May June July August September October November December
"""
)
_AP_MONTHS = _words("Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.")

_COUNTRIES = _words(
    """
Russia Ukraine Armenia Azerbaijan Belarus Georgia Kazakhstan Turkey Germany China
Moldova Uzbekistan Finland Estonia Latvia Poland Brazil U.S.
"""
)
_NATIONALITIES = _words(
    """
Russian Ukrainian Armenian Azerbaijani Belarusian Georgian Kazakh Turkish German
Chinese Moldovan Finnish Estonian Latvian Polish Brazilian American
"""
)
_CITIES = (
    "Moscow",
    "St. Petersburg",
    "Kyiv",
    "Yerevan",
    "Baku",
    "Minsk",
    "Tbilisi",
    "Stepanakert",
    "Kazan",
    "Novosibirsk",
    "Yekaterinburg",
    "Vladivostok",
    "Kaliningrad",
    "Grozny",
    "Sochi",
    "Istanbul",
    "Berlin",
    "São Paulo",
    "Krasnodar",
    "Irkutsk",
)
_REGIONS = (
    "Nagorno-Karabakh",
    "Donbas",
    "Crimea",
    "Chechnya",
    "Siberia",
    "Dagestan",
    "the Arctic",
    "Abkhazia",
)
_PEOPLE = (
    ("Vladimir", "Putin"),
    ("Sergei", "Lavrov"),
    ("Dmitry", "Peskov"),
    ("Alexei", "Navalny"),
    ("Volodymyr", "Zelenskiy"),
    ("Nikol", "Pashinyan"),
    ("Ilham", "Aliyev"),
    ("Recep Tayyip", "Erdoğan"),
    ("Alexander", "Lukashenko"),
    ("Sergei", "Sobyanin"),
    ("Mikhail", "Mishustin"),
    ("Dmitry", "Medvedev"),
    ("Sergei", "Shoigu"),
    ("Elvira", "Nabiullina"),
    ("Ramzan", "Kadyrov"),
    ("Angela", "Merkel"),
    ("Klaus", "Müller"),
    ("Maria", "Zakharova"),
    ("Sviatlana", "Tsikhanouskaya"),
    ("Vyacheslav", "Volodin"),
)
# Institutions take "the" in running text ("the Kremlin"), companies do not.
_INSTITUTIONS = (
    "Kremlin",
    "Central Bank",
    "State Duma",
    "Health Ministry",
    "Foreign Ministry",
    "Defense Ministry",
    "Finance Ministry",
    "Investigative Committee",
    "Constitutional Court",
    "Supreme Court",
    "FSB",
)
_COMPANIES = (
    "Gazprom",
    "Rosneft",
    "Sberbank",
    "Aeroflot",
    "Roskomnadzor",
    "Yandex",
    "Lukoil",
    "Rosatom",
    "Memorial",
    "VTB",
)
_ORGS = _INSTITUTIONS + _COMPANIES
_FIRST_NAMES = _words(
    """
Anna Pjotr Emil Maria Ivan Olga Daria Alexander Yulia Andrei Ekaterina Jake
Mikhail Sarah Gevorg Aram Nadia Pavel Irina Tom Jörg Léa Sofia Timur Aigerim
"""
)
_LAST_NAMES = _words(
    """
Sauer Sargsyan Petrova Ivanov Smith Kovalenko Grigoryan Hovhannisyan Müller
Fedorova Volkov Brown Kuznetsova Orlov Novak Dubois Abdullayev Karimova Lebedev
Walker Sokolova Morozov Baranova Sidorov
"""
)
_AGENCIES = ("AFP", "Reuters", "AP", "Bloomberg", "Interfax")
_PHOTO_AGENCIES = ("TASS", "Moskva News Agency", "AFP", "Reuters", "Kommersant")
_SOLE_CREDITS = ("Kremlin.ru", "Moskva News Agency", "Unsplash", "Wikicommons", "Pixabay")
_OUTLETS = (
    "The Moscow Times",
    "Interfax",
    "RIA Novosti",
    "Kommersant",
    "Vedomosti",
    "the BBC",
    "AFP",
    "Reuters",
)
_EVENT_NOUNS = ("meeting", "press conference", "visit", "ceremony", "rally", "summit")
_JOBS = _words(
    """
builder taxi driver teacher nurse pensioner student engineer shopkeeper doctor
farmer programmer musician volunteer lawyer accountant
"""
)
_ROLES = _words(
    """
analyst researcher professor spokesman spokeswoman lawyer economist official
director deputy adviser
"""
)

_MEASURES = (
    "Lockdown",
    "Coronavirus Lockdown",
    "COVID-19 Restrictions",
    "Curfew",
    "Mask Mandate",
    "State of Emergency",
    "Travel Ban",
    "Sanctions",
    "Grain Export Ban",
    "Fuel Price Freeze",
)
_TOPICS = (
    "Pension",
    "Vaccine",
    "Gas",
    "Grain",
    "Internet",
    "Election",
    "Climate",
    "Border",
    "Nuclear",
    "Sanctions",
    "Pipeline",
    "Tax",
    "Housing",
    "Education",
    "Prisoner Swap",
)
_LABELS = ("Fake", "Provocation", "Nonsense", "Absurd", "Slander", "Lies")
_EVENTS = ("G20 Summit", "Victory Day Parade", "BRICS Summit", "Peace Talks", "UN Assembly")
_ROLES_TITLE = ("Activist", "Journalist", "Blogger", "Former Governor", "Scientist", "Mayor")
_GROUPS = ("Migrants", "Pensioners", "Students", "Doctors", "Small Businesses", "Families")
_DISASTERS = ("Flood", "Wildfire", "Storm", "Heat Wave", "Earthquake", "Blizzard")
_PROJECTS = ("Highway", "Landfill", "Church", "Metro Line", "Tower", "Pipeline")
_OFFENSES = ("Data Leak", "Fake News", "Unpaid Taxes", "Oil Spill", "Price Gouging")
_BRANDS = ("Facebook", "Instagram", "Twitter", "YouTube", "TikTok", "Telegram", "LinkedIn")
_HOLIDAYS = ("Victory Day", "New Year", "City Day", "Maslenitsa", "Navy Day")
_LAWS = ("Foreign Agents", "Internet", "Pension", "Migration", "Media", "Protest")
_POLICY_VERBS = ("Extend", "Review", "Expand", "Scrap", "Revise")
_TITLE_ADJECTIVES = ("Unlikely", "Quiet", "Rapid", "Hidden", "Strange", "Long")

_TITLE_TEMPLATES = (
    "{place} Extends {measure}",
    "{place} Will Not Extend {measure}",
    "{place} Lifts {measure} as Cases Fall",
    "{place} Reports {cases} New Coronavirus Cases",
    "{org} Says {person} Will Attend {event}",
    "{org} Denies {person} Will Attend {event}",
    "{person} Says {country} Will Defend {country2} if Conflict Spreads",
    "{country} Calls for New {region} Ceasefire After Talks in {city}",
    "{city} Court Jails {role} for {years} Years",
    "{person} Calls {topic} Claims \u2018{label}\u2019",
    "{person}\u2019s {topic} Plan Faces Resistance in {city}",
    "{country}\u2013{country2} Talks Stall Over {topic}",
    "{org} to Cut {thousands} Jobs as {topic} Crisis Bites",
    "{country}\u2019s Oil & Gas Exports Fall {pct}% in {month}",
    "The {adj} Rise of {person}",
    "The {theorg} Raises {topic} Forecast to {pct}%",
    "{dead} Dead as {disaster} Hits {city}",
    "{person} Meets {person2} in {city} \u2013 {topic} on Agenda",
    "{topic} Talks Resume in {city} \u2013 Reports",
    "Explainer: What {country}\u2019s New {law} Law Means for {group}",
    "{city} Residents Protest {project} Plans",
    "{org} Fined {small} Million Rubles Over {offense}",
    "{country} Expels {small} {nationality} Diplomats",
    "{country} Bans {brand} & {brand2}",
    "{person} Confirms {country} Will {policy} {topic} Deal",
    "{person} Denies {country} Will {policy} {topic} Deal",
    "{nationality} Volunteers Eye {region} War as {org} Keeps Its Distance",
    "In Pictures: {city} Marks {holiday}",
    "{org} Blocks Access to {brand}",
    "Inflation in {country} Hits {pct}%",
    "{person} Sentenced to {years} Years in Prison",
    "Ruble Falls to {small}-Month Low Against Dollar",
    "\u2018We Have Nowhere to Go\u2019: {city} {group} Fear {topic} Fallout",
    "{org} Backs Plan to {policy} {topic} Rules",
    "{org} Rejects Plan to {policy} {topic} Rules",
    "{country} Is Ready for Talks With {country2}, {person} Says",
    "{country} Is Not Ready for Talks With {country2}, {person} Says",
    "{person} Signs Law on {law} & {topic}",
    "How {city} Became {country}\u2019s {adj} Capital",
    "{group} in {city} Say {topic} Changed Everything",
    "{count} Detained at {topic} Protest in {city}",
    "Why {person} Is Betting on {topic}",
    "The {adj} Cost of {country}\u2019s {topic} Campaign",
    "The {theorg} Says {person} Has No Plans to Resign",
    "Court Orders {org} to Pay {small} Million Rubles",
)
_SLOT_RE = re.compile(r"\{(\w+)\}")

# Mutations that turn a headline into a different story with almost the same words.
_NEGATIONS = (
    (" Will Not ", " Will "),
    (" Is Not ", " Is "),
    (" Will ", " Will Not "),
    (" Is ", " Is Not "),
    (" Says ", " Denies "),
    (" Denies ", " Says "),
    (" Confirms ", " Denies "),
    (" Backs ", " Rejects "),
    (" Rejects ", " Backs "),
    (" Extends ", " Lifts "),
    (" Lifts ", " Extends "),
)
_NAME_CLASSES: tuple[tuple[str, ...], ...] = (
    tuple(_COUNTRIES) + _CITIES,
    tuple(last for _, last in _PEOPLE),
    _INSTITUTIONS,
    _COMPANIES,
)
_NAME_RE = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(n) for n in sorted({n for c in _NAME_CLASSES for n in c}, key=len)[::-1])
    + r")(?!\w)"
)
_NUMBER_RE = re.compile(r"(?<![\w-])\d[\d,]*")

_HOSTS = ("tmt", "reuters", "apnews", "bbc", "meduza", "tass")
_HOST_WEIGHTS = (70, 8, 6, 5, 6, 5)
_DATE_FORMATS = ("long", "abbrev", "day_first", "none")
_DATE_FORMAT_WEIGHTS = (55, 20, 15, 10)
_BYLINE_KINDS = ("none", "single", "single_agency", "two", "three_agency", "agency_bare")
_BYLINE_WEIGHTS = (10, 30, 20, 15, 7, 18)
_SUBHEAD_STYLES = ("bold_quoted", "bold", "plain")
_LATIN1_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u011f": "g",
        "\u2026": "...",
    }
)


def _zipf_table(words: Sequence[str], exponent: float = 1.0) -> tuple[str, ...]:
    """Expand words (most frequent first) into 4096 slots so a Zipf draw is one index."""
    size = 1 << _TABLE_BITS
    total = sum(1.0 / (rank + 1) ** exponent for rank in range(len(words)))
    table: list[str] = []
    cumulative = 0.0
    for rank, word in enumerate(words):
        cumulative += 1.0 / (rank + 1) ** exponent / total
        table.extend([word] * (round(cumulative * size) - len(table)))
    return tuple(table[:size]) + (words[-1],) * (size - len(table))


def _slugify(text: str, limit: int = 80) -> str:
    """ASCII, lower-case, hyphenated, cut at a word boundary, like news CMS slugs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


def _latin1(text: str) -> str:
    """Replace what Latin-1 cannot encode, the way an old CMS export would."""
    return text.translate(_LATIN1_MAP)


def _file_name(index: int, identity: str) -> str:
    """``NNNNNN_<16 hex>.txt``: date order, then a hash of the source URL (as scrapers do)."""
    return f"{index:06d}_{hashlib.sha256(identity.encode()).hexdigest()[:16]}.txt"


def _org_phrase(org: str) -> str:
    return f"the {org}" if org in _INSTITUTIONS else org


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _format_date(day: date, style: str) -> str:
    if style == "long":
        return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    if style == "abbrev":
        return f"{_AP_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# --------------------------------------------------------------------------- text


class _Generator:
    """The random source, the Zipf tables, and everything drawn from them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.bits = self.rng.getrandbits
        self.random = self.rng.random
        self.nouns = _zipf_table(_NOUNS, 0.9)
        self.plurals = _zipf_table(_PLURALS)
        self.verbs = _zipf_table(_VERBS_PAST)
        self.base_verbs = _zipf_table(_VERBS_BASE)
        self.modals = _zipf_table(_MODALS)
        self.adjectives = _zipf_table(_ADJECTIVES)
        self.adverbs = _zipf_table(_ADVERBS)
        self.prepositions = _zipf_table(_PREPOSITIONS, 1.3)
        self.determiners = _zipf_table(_DETERMINERS, 0.5)
        self.people = _zipf_table([f"{first} {last}" for first, last in _PEOPLE], 0.8)
        self.orgs = _zipf_table([_org_phrase(org) for org in _ORGS], 0.8)
        self.cities = _zipf_table(_CITIES, 0.9)
        self.countries = _zipf_table(_COUNTRIES, 0.9)
        self.quote_open, self.quote_close = '"', '"'
        self.topic_nouns: tuple[str, ...] = ("government",)
        self.topic_people: tuple[str, ...] = ("Vladimir Putin",)
        choice, randrange = self.choice, self.rng.randrange
        self.slots: dict[str, Callable[[], str]] = {
            "place": lambda: self.pick(self.countries if self.random() < 0.5 else self.cities),
            "country": lambda: self.pick(self.countries),
            "city": lambda: self.pick(self.cities),
            "region": lambda: choice(_REGIONS),
            "person": lambda: choice(_PEOPLE)[1],
            "org": lambda: choice(_ORGS),
            "theorg": lambda: choice(_INSTITUTIONS),
            "measure": lambda: choice(_MEASURES),
            "topic": lambda: choice(_TOPICS),
            "label": lambda: choice(_LABELS),
            "event": lambda: choice(_EVENTS),
            "role": lambda: choice(_ROLES_TITLE),
            "group": lambda: choice(_GROUPS),
            "disaster": lambda: choice(_DISASTERS),
            "project": lambda: choice(_PROJECTS),
            "offense": lambda: choice(_OFFENSES),
            "brand": lambda: choice(_BRANDS),
            "holiday": lambda: choice(_HOLIDAYS),
            "law": lambda: choice(_LAWS),
            "policy": lambda: choice(_POLICY_VERBS),
            "adj": lambda: choice(_TITLE_ADJECTIVES),
            "nationality": lambda: choice(_NATIONALITIES),
            "month": lambda: choice(_MONTHS),
            "cases": lambda: f"{randrange(5, 300) * 100:,}",
            "thousands": lambda: f"{randrange(1, 40) * 500:,}",
            "years": lambda: str(randrange(2, 16)),
            "pct": lambda: str(randrange(2, 30)),
            "dead": lambda: str(randrange(2, 60)),
            "small": lambda: str(randrange(2, 20)),
            "count": lambda: f"{randrange(10, 2500):,}",
        }

    # -- small draws

    def pick(self, table: tuple[str, ...]) -> str:
        return table[self.bits(_TABLE_BITS)]

    def choice(self, items: Sequence[Any]) -> Any:
        return items[int(self.random() * len(items))]

    def weighted(self, items: Sequence[Any], weights: Sequence[int]) -> Any:
        return self.rng.choices(items, weights)[0]

    def start_article(self) -> None:
        """Pick the words this article keeps coming back to, as real stories do."""
        self.topic_nouns = tuple(self.choice(_NOUNS) for _ in range(5))
        self.topic_people = (self.pick(self.people), self.pick(self.people))
        curly = self.random() < 0.3
        self.quote_open, self.quote_close = ("\u201c", "\u201d") if curly else ('"', '"')

    # -- titles

    def title(self) -> str:
        """Draw a headline from a template, with one typography per headline."""
        template = self.choice(_TITLE_TEMPLATES)
        used: dict[str, str] = {}

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            base = name.rstrip("2")
            value = self.slots[base]()
            while name != base and value == used.get(base):
                value = self.slots[base]()
            used[name] = value
            return value

        text = _SLOT_RE.sub(fill, template)
        if self.random() < 0.5:
            text = text.replace("\u2018", "'").replace("\u2019", "'")
        if self.random() < 0.4:
            text = text.replace("\u2013", "-")
        return text

    def mutate(self, title: str, kind: str) -> str | None:
        """Change one name, number or negation; None when the title has none."""
        if kind == "negation":
            for old, new in _NEGATIONS:
                if old in title:
                    return title.replace(old, new, 1)
            return None
        if kind == "number":
            match = _NUMBER_RE.search(title)
            if not match:
                return None
            value = int(match.group().replace(",", ""))
            value += self.rng.randrange(1, 9) * 10 ** max(0, len(str(value)) - 1)
            new = f"{value:,}" if "," in match.group() or value >= 10_000 else str(value)
            return title[: match.start()] + new + title[match.end() :]
        match = _NAME_RE.search(title)
        if not match:
            return None
        name = match.group()
        names = next(c for c in _NAME_CLASSES if name in c)
        new_name = name
        while new_name == name:
            new_name = self.choice(names)
        return title[: match.start()] + new_name + title[match.end() :]

    # -- body text

    def noun_phrase(self) -> str:
        r = self.random()
        pick = self.pick
        if r < 0.15:
            return f"the {self.choice(self.topic_nouns)}"
        if r < 0.38:
            return f"the {pick(self.nouns)}"
        if r < 0.58:
            determiner, adjective = pick(self.determiners), pick(self.adjectives)
            if determiner == "a" and adjective[0] in "aeiou":
                determiner = "an"
            return f"{determiner} {adjective} {pick(self.nouns)}"
        if r < 0.72:
            return f"{pick(self.adjectives)} {pick(self.plurals)}"
        if r < 0.80:
            return self.choice(self.topic_people) if r < 0.77 else pick(self.people)
        if r < 0.88:
            return pick(self.orgs)
        if r < 0.91:
            return f"the {pick(self.nouns)} of the {pick(self.nouns)}"
        if r < 0.94:
            return f"{pick(self.plurals)} and {pick(self.plurals)}"
        return f"{pick(self.plurals)} in {pick(self.cities)}"

    def time_phrase(self) -> str:
        r = self.random()
        if r < 0.4:
            return f"on {self.choice(_WEEKDAYS)}"
        if r < 0.6:
            return self.choice(("last week", "last month", "this week", "earlier this year"))
        if r < 0.8:
            return f"in {self.choice(_MONTHS)}"
        return f"on {self.choice(_AP_MONTHS)} {self.rng.randrange(1, 29)}"

    def clause(self) -> str:
        subject = self.noun_phrase()
        r = self.random()
        if r < 0.55:
            verb = self.pick(self.verbs)
            if self.random() < 0.2:
                verb = f"{self.pick(self.adverbs)} {verb}"
        elif r < 0.85:
            verb = f"{self.pick(self.modals)} {self.pick(self.base_verbs)}"
        else:
            verb = f"had {self.pick(self.verbs)}"
        text = f"{subject} {verb} {self.noun_phrase()}"
        r = self.random()
        if r < 0.55:
            text += f" {self.pick(self.prepositions)} {self.noun_phrase()}"
        if r > 0.7:
            text += f" {self.time_phrase()}"
        return text

    def speaker(self) -> str:
        r = self.random()
        if r < 0.35:
            return self.pick(self.people)
        if r < 0.6:
            age = self.rng.randrange(19, 80)
            return f"{self.choice(_FIRST_NAMES)}, a {age}-year-old {self.choice(_JOBS)}"
        if r < 0.8:
            return f"a {self.pick(self.cities)}-based {self.choice(_ROLES)}"
        first, last = self.choice(_FIRST_NAMES), self.choice(_LAST_NAMES)
        role = self.choice(_ROLES)
        article = "an" if role[0] in "aeiou" else "a"
        return f"{first} {last}, {article} {role} at {self.pick(self.orgs)}"

    def sentence(self) -> str:
        r = self.random()
        q_open, q_close = self.quote_open, self.quote_close
        if r < 0.3:
            text = f"{self.clause()}."
        elif r < 0.45:
            text = f"{self.noun_phrase()} said {self.time_phrase()} that {self.clause()}."
        elif r < 0.55:
            text = f"{self.clause()}, {self.noun_phrase()} said."
        elif r < 0.67:
            text = f"{q_open}{_cap(self.clause())},{q_close} said {self.speaker()}."
        elif r < 0.72:
            quote = f"{_cap(self.clause())}. {_cap(self.clause())}"
            outlet = self.choice(_OUTLETS)
            speaker = self.speaker()
            speaker += "," if ", " in speaker else ""
            text = f"{q_open}{quote},{q_close} {speaker} told {outlet}."
        elif r < 0.8:
            text = f"according to {self.noun_phrase()}, {self.clause()}."
        elif r < 0.85:
            text = (
                f"more than {self.rng.randrange(2, 3000):,} {self.pick(self.plurals)} "
                f"{self.pick(self.verbs)} {self.noun_phrase()} {self.time_phrase()}."
            )
        elif r < 0.89:
            text = f"{self.clause()}, while {self.clause()}."
        elif r < 0.93:
            text = f"{self.clause()}, and {self.clause()}."
        else:
            text = f"{self.clause()}, which {self.pick(self.verbs)} {self.noun_phrase()}."
        return _cap(text)

    def paragraph(self) -> str:
        r = self.random()
        count = 1 if r < 0.4 else 2 if r < 0.8 else 3
        return " ".join([self.sentence() for _ in range(count)])

    def subhead(self) -> str:
        style = self.choice(_SUBHEAD_STYLES)
        r = self.random()
        if r < 0.5:
            text = f"{_cap(self.pick(self.adjectives))} {self.pick(self.plurals)}"
        elif r < 0.8:
            text = f"{_cap(self.pick(self.verbs))} {self.noun_phrase()}"
        else:
            preposition = self.pick(self.prepositions)
            text = f"The {self.pick(self.nouns)} {preposition} {self.pick(self.cities)}"
        if style == "bold_quoted":
            return f"### **'{text}'**"
        if style == "bold":
            return f"### **{text}**"
        return f"### {text}"

    # -- header lines

    def byline(self) -> tuple[str, str, tuple[str, ...], str]:
        """Return (kind, line or "", authors, agency)."""
        kind: str = self.weighted(_BYLINE_KINDS, _BYLINE_WEIGHTS)
        if kind == "none":
            return kind, "", (), ""
        if kind == "agency_bare":
            agency = self.choice(_AGENCIES)
            return kind, f"By {agency}", (), agency
        size = {"single": 1, "single_agency": 1, "two": 2, "three_agency": 3}[kind]
        authors: list[str] = []
        while len(authors) < size:
            name = f"{self.choice(_FIRST_NAMES)} {self.choice(_LAST_NAMES)}"
            if name not in authors:
                authors.append(name)
        agency = self.choice(_AGENCIES) if kind.endswith("agency") else ""
        links = [f"[{name}](#)" for name in authors]
        if agency:
            links[-1] = f"[{authors[-1]} for {agency}](#)"
        names = links[0] if size == 1 else ", ".join(links[:-1]) + f" and {links[-1]}"
        return kind, f"By {names}", tuple(authors), agency

    def caption(self) -> tuple[str, str]:
        """Return (caption, credit) of a photo, or empty strings for no photo."""
        if self.random() >= 0.55:
            return "", ""
        r = self.random()
        city = self.pick(self.cities)
        if r < 0.35:
            caption = f"{city}, {self.choice(_REGIONS)}."
        elif r < 0.7:
            caption = f"{self.pick(self.people)} during a {self.choice(_EVENT_NOUNS)} in {city}."
        else:
            caption = f"{_cap(self.pick(self.adjectives))} {self.pick(self.plurals)} in {city}."
        if self.random() < 0.7:
            person = f"{self.choice(_FIRST_NAMES)} {self.choice(_LAST_NAMES)}"
            return caption, f"{person} / {self.choice(_PHOTO_AGENCIES)}"
        return caption, self.choice(_SOLE_CREDITS)


# --------------------------------------------------------------------------- title variants


def _has_quote(title: str) -> bool:
    return any(ch in title for ch in "'\"\u2018\u2019\u201c\u201d")


_COMPOUND_HYPHEN_RE = re.compile(r"(?<=[a-z])-(?=[A-Z])")


def _has_dash(title: str) -> bool:
    return "\u2013" in title or " - " in title or bool(_COMPOUND_HYPHEN_RE.search(title))


# Variants that only make sense for some titles, and the test for those titles.
_VARIANT_FEATURES: dict[str, Callable[[str], bool]] = {
    "quotes": _has_quote,
    "entity_apos": _has_quote,
    "dash": _has_dash,
    "entity_amp": lambda title: "&" in title,
    "drop_the": lambda title: title.startswith("The "),
}


_STRAIGHT_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _swap_quotes(title: str) -> str:
    """Curly quotes become straight ones, or straight ones curly."""
    if any(ch in title for ch in "\u2018\u2019\u201c\u201d"):
        return title.translate(_STRAIGHT_QUOTES)
    out = []
    for i, ch in enumerate(title):
        opening = i == 0 or title[i - 1] == " "
        if ch == "'":
            out.append("\u2018" if opening else "\u2019")
        elif ch == '"':
            out.append("\u201c" if opening else "\u201d")
        else:
            out.append(ch)
    return "".join(out)


def _apply_variant(gen: _Generator, title: str, variant: str) -> str:
    """Spell a title the way another page of the same site might."""
    if variant == "quotes":
        return _swap_quotes(title)
    if variant == "dash":
        if "\u2013" in title:
            return title.replace("\u2013", "-")
        return _COMPOUND_HYPHEN_RE.sub("\u2013", title.replace(" - ", " \u2013 "))
    if variant == "case":
        return gen.choice((str.lower, str.upper, str.capitalize))(title)
    if variant == "spaces":
        spaces = [i for i, ch in enumerate(title) if ch == " "]
        i = gen.choice(spaces)
        return title[:i] + "  " + title[i + 1 :]
    if variant == "trailing":
        return title + gen.choice((".", ".", ":", ","))
    if variant == "entity_amp":
        return title.replace("&", "&amp;")
    if variant == "entity_apos":
        entity = "&#8217;" if gen.random() < 0.7 else "&#39;"
        return re.sub("['\u2018\u2019]", entity, title)
    if variant == "drop_the":
        return title.removeprefix("The ")
    return title


# --------------------------------------------------------------------------- archive


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
        self.gen = _Generator(seed)
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
                host = gen.choice(("tass", "bbc", "apnews"))
            else:
                plan.date_format = gen.weighted(_DATE_FORMATS, _DATE_FORMAT_WEIGHTS)
                if plan.date_format == "none":
                    host = "tmt" if gen.random() < 0.8 else "meduza"
                else:
                    host = gen.weighted(_HOSTS, _HOST_WEIGHTS)
            if kind == "latin1":
                plan.title = _latin1(plan.title)
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
            if host == "tmt":
                url = f"https://www.themoscowtimes.com/{day:%Y/%m/%d}/{slug}-a{self.article_id}"
            elif host == "meduza":
                url = f"https://meduza.io/en/news/{day:%Y/%m/%d}/{slug}"
            elif host == "reuters":
                url = f"https://www.reuters.com/world/europe/{slug}-{day:%Y-%m-%d}/"
            elif host == "apnews":
                url = f"https://apnews.com/article/{slug}-{gen.bits(128):032x}"
            elif host == "bbc":
                url = f"https://www.bbc.com/news/world-europe-{randrange(10**7, 10**8)}"
            else:
                section = gen.choice(("politics", "economy", "world", "society"))
                url = f"https://tass.com/{section}/{randrange(10**6, 10**7)}"
            if url not in self.urls:
                self.urls.add(url)
                return url
            slug += f"-{randrange(2, 10)}"

    # -- between the passes

    def index_titles(self) -> None:
        """Key every title, and list which articles each kind of citation may target."""
        self.keys = [title_key(plan.title) for plan in self.plans]
        self.all_keys = set(self.keys)
        self.targetable = {name: [] for name in ("", *_VARIANT_FEATURES)}
        for plan, key in zip(self.plans, self.keys, strict=True):
            if plan.kind in ("normal", *BUILDING_BROKEN_KINDS):
                self.built_by_key.setdefault(key, []).append(plan.index)
            if plan.kind != "normal":
                continue
            self.targetable[""].append(plan.index)
            for name, has_feature in _VARIANT_FEATURES.items():
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
            fix = _latin1 if plan.kind == "latin1" else str
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
            return _latin1(text).encode("latin-1", errors="replace")
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
                    paragraph += " They met at a café near the Kremlin."
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
        variant: str = gen.weighted(RELATED_VARIANTS, _VARIANT_WEIGHTS)
        target: int | None = None
        text = self._phantom_near() if variant == "missing_near" else None
        if variant not in ("missing", "missing_near"):
            feature = variant if variant in _VARIANT_FEATURES else ""
            target = self._target(plan, feature)
            if target is None and feature:
                variant, target = "exact", self._target(plan, "")
        if target is not None:
            title = self.plans[target].title
            text = _apply_variant(gen, title, variant)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.generate --count N --output DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.generate",
        description="Write a deterministic synthetic news archive in the seed format.",
    )
    parser.add_argument("--count", type=int, required=True, help="number of seed files")
    parser.add_argument("--output", type=Path, required=True, help="folder for the seed files")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--no-broken", dest="broken", action="store_false", help="no deliberately broken files"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        truth = generate_archive(args.count, args.output, args.seed, args.broken)
    except GenerateError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - started
    print(
        f"wrote {args.count:,} seed files to {args.output} in {elapsed:.1f} s "
        f"({len(truth.articles):,} articles, {len(truth.broken)} broken, "
        f"{len(truth.related):,} related lines); ground truth in "
        f"{args.output / GROUND_TRUTH_NAME}"
    )
    return 0
