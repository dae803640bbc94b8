"""The generator's vocabulary: word lists kept as data files, and what is derived from them.

Each ``words/<name>.txt`` holds one entry a line, most frequent first (the order is the
Zipf rank); blank lines and lines starting with ``#`` are skipped. Every name in them is
invented or generic: no real person, agency, outlet or company is ever made to say
anything in a generated article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources

TABLE_BITS = 12


def load(name: str) -> tuple[str, ...]:
    """Read ``words/<name>.txt``: one entry a line, in rank order."""
    text = resources.files(__package__).joinpath("words", f"{name}.txt").read_text("utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


NOUNS = load("nouns")
PLURALS = load("plurals")
VERBS_PAST = load("verbs_past")
VERBS_BASE = load("verbs_base")
MODALS = load("modals")
ADJECTIVES = load("adjectives")
ADVERBS = load("adverbs")
PREPOSITIONS = load("prepositions")
DETERMINERS = load("determiners")
WEEKDAYS = load("weekdays")
COUNTRIES = load("countries")
NATIONALITIES = load("nationalities")
CITIES = load("cities")
REGIONS = load("regions")
#: (first names, last name): the last word of each line is the surname.
PEOPLE = tuple(tuple(line.rsplit(" ", 1)) for line in load("people"))
# Institutions take "the" in running text ("the Central Bank"), companies do not.
INSTITUTIONS = load("institutions")
COMPANIES = load("companies")
ORGS = INSTITUTIONS + COMPANIES
FIRST_NAMES = load("first_names")
LAST_NAMES = load("last_names")
AGENCIES = load("agencies")
PHOTO_AGENCIES = load("photo_agencies")
SOLE_CREDITS = load("sole_credits")
OUTLETS = load("outlets")
EVENT_NOUNS = load("event_nouns")
JOBS = load("jobs")
ROLES = load("roles")
MEASURES = load("measures")
TOPICS = load("topics")
LABELS = load("labels")
EVENTS = load("events")
ROLES_TITLE = load("title_roles")
GROUPS = load("groups")
DISASTERS = load("disasters")
PROJECTS = load("projects")
OFFENSES = load("offenses")
BRANDS = load("brands")
HOLIDAYS = load("holidays")
LAWS = load("laws")
POLICY_VERBS = load("policy_verbs")
TITLE_ADJECTIVES = load("title_adjectives")
TITLE_TEMPLATES = load("title_templates")

# Date words are part of the seed format, not vocabulary: the parser must read them as written.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June")
AP_MONTHS += ("July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")

SUBHEAD_STYLES = ("bold_quoted", "bold", "plain")
SLOT_RE = re.compile(r"\{(\w+)\}")

# Mutations that turn a headline into a different story with almost the same words.
NEGATIONS = (
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
NAME_CLASSES: tuple[tuple[str, ...], ...] = (
    tuple(COUNTRIES) + CITIES,
    tuple(last for _, last in PEOPLE),
    INSTITUTIONS,
    COMPANIES,
)
NAME_RE = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(n) for n in sorted({n for c in NAME_CLASSES for n in c}, key=len)[::-1])
    + r")(?!\w)"
)
NUMBER_RE = re.compile(r"(?<![\w-])\d[\d,]*")
LATIN1_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u011f": "g",
        "\u0142": "l",
        "\u2026": "...",
    }
)


def zipf_table(words: Sequence[str], exponent: float = 1.0) -> tuple[str, ...]:
    """Expand words (most frequent first) into 4096 slots so a Zipf draw is one index."""
    size = 1 << TABLE_BITS
    total = sum(1.0 / (rank + 1) ** exponent for rank in range(len(words)))
    table: list[str] = []
    cumulative = 0.0
    for rank, word in enumerate(words):
        cumulative += 1.0 / (rank + 1) ** exponent / total
        table.extend([word] * (round(cumulative * size) - len(table)))
    return tuple(table[:size]) + (words[-1],) * (size - len(table))


def org_phrase(org: str) -> str:
    """Institutions take "the" in running text, companies do not."""
    return f"the {org}" if org in INSTITUTIONS else org


def cap(text: str) -> str:
    """Capitalise the first letter only (``str.capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]


def latin1(text: str) -> str:
    """Replace what Latin-1 cannot encode, the way an old CMS export would."""
    return text.translate(LATIN1_MAP)
