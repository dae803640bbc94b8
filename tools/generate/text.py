"""Headlines, body text and header lines drawn from the vocabulary with Zipf frequencies."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import Any

from . import vocabulary as vocab


class TextGenerator:
    """The random source, the Zipf tables, and everything drawn from them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.bits = self.rng.getrandbits
        self.random = self.rng.random
        self.nouns = vocab.zipf_table(vocab.NOUNS, 0.9)
        self.plurals = vocab.zipf_table(vocab.PLURALS)
        self.verbs = vocab.zipf_table(vocab.VERBS_PAST)
        self.base_verbs = vocab.zipf_table(vocab.VERBS_BASE)
        self.modals = vocab.zipf_table(vocab.MODALS)
        self.adjectives = vocab.zipf_table(vocab.ADJECTIVES)
        self.adverbs = vocab.zipf_table(vocab.ADVERBS)
        self.prepositions = vocab.zipf_table(vocab.PREPOSITIONS, 1.3)
        self.determiners = vocab.zipf_table(vocab.DETERMINERS, 0.5)
        self.people = vocab.zipf_table([f"{first} {last}" for first, last in vocab.PEOPLE], 0.8)
        self.orgs = vocab.zipf_table([vocab.org_phrase(org) for org in vocab.ORGS], 0.8)
        self.cities = vocab.zipf_table(vocab.CITIES, 0.9)
        self.countries = vocab.zipf_table(vocab.COUNTRIES, 0.9)
        self.quote_open, self.quote_close = '"', '"'
        self.topic_nouns: tuple[str, ...] = ("government",)
        self.topic_people: tuple[str, ...] = ("Viktor Examplov",)
        choice, randrange = self.choice, self.rng.randrange
        self.slots: dict[str, Callable[[], str]] = {
            "place": lambda: self.pick(self.countries if self.random() < 0.5 else self.cities),
            "country": lambda: self.pick(self.countries),
            "city": lambda: self.pick(self.cities),
            "region": lambda: choice(vocab.REGIONS),
            "person": lambda: choice(vocab.PEOPLE)[1],
            "org": lambda: choice(vocab.ORGS),
            "theorg": lambda: choice(vocab.INSTITUTIONS),
            "measure": lambda: choice(vocab.MEASURES),
            "topic": lambda: choice(vocab.TOPICS),
            "label": lambda: choice(vocab.LABELS),
            "event": lambda: choice(vocab.EVENTS),
            "role": lambda: choice(vocab.ROLES_TITLE),
            "group": lambda: choice(vocab.GROUPS),
            "disaster": lambda: choice(vocab.DISASTERS),
            "project": lambda: choice(vocab.PROJECTS),
            "offense": lambda: choice(vocab.OFFENSES),
            "brand": lambda: choice(vocab.BRANDS),
            "holiday": lambda: choice(vocab.HOLIDAYS),
            "law": lambda: choice(vocab.LAWS),
            "policy": lambda: choice(vocab.POLICY_VERBS),
            "adj": lambda: choice(vocab.TITLE_ADJECTIVES),
            "nationality": lambda: choice(vocab.NATIONALITIES),
            "month": lambda: choice(vocab.MONTHS),
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
        """Draw from a Zipf table: one index of 12 random bits."""
        return table[self.bits(vocab.TABLE_BITS)]

    def choice(self, items: Sequence[Any]) -> Any:
        """Draw uniformly (``random.choice`` consumes the generator differently)."""
        return items[int(self.random() * len(items))]

    def weighted(self, items: Sequence[Any], weights: Sequence[int]) -> Any:
        """Draw one item with the given weights."""
        return self.rng.choices(items, weights)[0]

    def start_article(self) -> None:
        """Pick the words this article keeps coming back to, as real stories do."""
        self.topic_nouns = tuple(self.choice(vocab.NOUNS) for _ in range(5))
        self.topic_people = (self.pick(self.people), self.pick(self.people))
        curly = self.random() < 0.3
        self.quote_open, self.quote_close = ("\u201c", "\u201d") if curly else ('"', '"')

    # -- titles

    def title(self) -> str:
        """Draw a headline from a template, with one typography per headline."""
        template = self.choice(vocab.TITLE_TEMPLATES)
        used: dict[str, str] = {}

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            base = name.rstrip("2")
            value = self.slots[base]()
            while name != base and value == used.get(base):
                value = self.slots[base]()
            used[name] = value
            return value

        text = vocab.SLOT_RE.sub(fill, template)
        if self.random() < 0.5:
            text = text.replace("\u2018", "'").replace("\u2019", "'")
        if self.random() < 0.4:
            text = text.replace("\u2013", "-")
        return text

    def mutate(self, title: str, kind: str) -> str | None:
        """Change one name, number or negation; None when the title has none."""
        if kind == "negation":
            for old, new in vocab.NEGATIONS:
                if old in title:
                    return title.replace(old, new, 1)
            return None
        if kind == "number":
            match = vocab.NUMBER_RE.search(title)
            if not match:
                return None
            value = int(match.group().replace(",", ""))
            value += self.rng.randrange(1, 9) * 10 ** max(0, len(str(value)) - 1)
            new = f"{value:,}" if "," in match.group() or value >= 10_000 else str(value)
            return title[: match.start()] + new + title[match.end() :]
        match = vocab.NAME_RE.search(title)
        if not match:
            return None
        name = match.group()
        names = next(c for c in vocab.NAME_CLASSES if name in c)
        new_name = name
        while new_name == name:
            new_name = self.choice(names)
        return title[: match.start()] + new_name + title[match.end() :]

    # -- body text

    def noun_phrase(self) -> str:
        """A subject or object: topic words, people, organisations, plain nouns."""
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
        """When it happened, in the words news copy uses."""
        r = self.random()
        if r < 0.4:
            return f"on {self.choice(vocab.WEEKDAYS)}"
        if r < 0.6:
            return self.choice(("last week", "last month", "this week", "earlier this year"))
        if r < 0.8:
            return f"in {self.choice(vocab.MONTHS)}"
        return f"on {self.choice(vocab.AP_MONTHS)} {self.rng.randrange(1, 29)}"

    def clause(self) -> str:
        """Subject, verb and object, sometimes with a preposition or a time."""
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
        """Who is quoted: a named figure, a passer-by, an expert."""
        r = self.random()
        if r < 0.35:
            return self.pick(self.people)
        if r < 0.6:
            age = self.rng.randrange(19, 80)
            return f"{self.choice(vocab.FIRST_NAMES)}, a {age}-year-old {self.choice(vocab.JOBS)}"
        if r < 0.8:
            return f"a {self.pick(self.cities)}-based {self.choice(vocab.ROLES)}"
        first, last = self.choice(vocab.FIRST_NAMES), self.choice(vocab.LAST_NAMES)
        role = self.choice(vocab.ROLES)
        article = "an" if role[0] in "aeiou" else "a"
        return f"{first} {last}, {article} {role} at {self.pick(self.orgs)}"

    def sentence(self) -> str:
        """One sentence of news copy, quoted or reported."""
        r = self.random()
        q_open, q_close = self.quote_open, self.quote_close
        if r < 0.3:
            text = f"{self.clause()}."
        elif r < 0.45:
            text = f"{self.noun_phrase()} said {self.time_phrase()} that {self.clause()}."
        elif r < 0.55:
            text = f"{self.clause()}, {self.noun_phrase()} said."
        elif r < 0.67:
            text = f"{q_open}{vocab.cap(self.clause())},{q_close} said {self.speaker()}."
        elif r < 0.72:
            quote = f"{vocab.cap(self.clause())}. {vocab.cap(self.clause())}"
            outlet = self.choice(vocab.OUTLETS)
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
        return vocab.cap(text)

    def paragraph(self) -> str:
        """One to three sentences."""
        r = self.random()
        count = 1 if r < 0.4 else 2 if r < 0.8 else 3
        return " ".join([self.sentence() for _ in range(count)])

    def subhead(self) -> str:
        """A ``###`` subhead in one of the styles seeds use."""
        style = self.choice(vocab.SUBHEAD_STYLES)
        r = self.random()
        if r < 0.5:
            text = f"{vocab.cap(self.pick(self.adjectives))} {self.pick(self.plurals)}"
        elif r < 0.8:
            text = f"{vocab.cap(self.pick(self.verbs))} {self.noun_phrase()}"
        else:
            preposition = self.pick(self.prepositions)
            text = f"The {self.pick(self.nouns)} {preposition} {self.pick(self.cities)}"
        if style == "bold_quoted":
            return f"### **'{text}'**"
        if style == "bold":
            return f"### **{text}**"
        return f"### {text}"

    def caption(self) -> tuple[str, str]:
        """Return (caption, credit) of a photo, or empty strings for no photo."""
        if self.random() >= 0.55:
            return "", ""
        r = self.random()
        city = self.pick(self.cities)
        if r < 0.35:
            caption = f"{city}, {self.choice(vocab.REGIONS)}."
        elif r < 0.7:
            caption = (
                f"{self.pick(self.people)} during a {self.choice(vocab.EVENT_NOUNS)} in {city}."
            )
        else:
            caption = (
                f"{vocab.cap(self.pick(self.adjectives))} {self.pick(self.plurals)} in {city}."
            )
        if self.random() < 0.7:
            person = f"{self.choice(vocab.FIRST_NAMES)} {self.choice(vocab.LAST_NAMES)}"
            return caption, f"{person} / {self.choice(vocab.PHOTO_AGENCIES)}"
        return caption, self.choice(vocab.SOLE_CREDITS)
