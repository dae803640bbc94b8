"""A synthetic archive for the search tests: varied vocabulary, non-ASCII and astral terms."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from lunr_search.documents import DocInput

ROOT = Path(__file__).resolve().parents[2]

NEWS = [
    "patov",
    "kremlin",
    "moscow",
    "army",
    "armies",
    "armed",
    "armour",
    "armistice",
    "arms",
    "election",
    "minister",
    "president",
    "government",
    "ukraine",
    "border",
    "talks",
    "sanctions",
    "economy",
    "oil",
    "gas",
    "market",
    "court",
    "police",
    "protest",
    "war",
    "peace",
    "treaty",
    "summit",
    "military",
    "soldier",
    "navy",
    "missile",
    "nuclear",
    "energy",
    "bank",
    "trade",
    "report",
    "official",
    "press",
    "running",
    "runner",
    "ran",
    "governor",
    "governance",
]
# Non-ASCII, CJK, and characters whose UTF-16 order differs from code-point order:
# astral ones (surrogates 0xD800-0xDFFF) sort before U+E000-U+FFFF in JavaScript only.
EXOTIC = [
    "müller",
    "über",
    "café",
    "déjà",
    "naïve",
    "zürich",
    "straße",
    "élysée",
    "señor",
    "東京",
    "北京",
    "日本語",
    "中文",
    "😀",
    "x😀y",
    "xｆy",
    "xﬁy",
    "x\ue000y",
    "𝔘nicode",
    "𠜎字",
    "ｆｕｌｌ",
    "𠀋",
    "z𝔘",
    "zｆ",
]
STOP = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "he",
    "for",
    "it",
    "with",
    "as",
    "his",
    "on",
    "be",
    "at",
    "by",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ran",
    "tes",
    "vor",
    "pa",
    "tov",
    "ar",
    "me",
    "nia",
    "zel",
    "bor",
    "gan",
    "kri",
    "sta",
    "lev",
    "dor",
]
NAMES = ["Anna Müller", "Boris Levin", "Chen Wei", "Dmitri Sato", "Élodie Martin", "Greg Smith"]
AGENCIES = ["Northwind Wire", "Example Press Agency", "Kestrel News", "XN", ""]


def synthetic_inputs(count: int = 300, seed: int = 7) -> list[DocInput]:
    rng = random.Random(seed)
    made = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(700)}
    vocab = NEWS + EXOTIC + sorted(made)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(vocab))]
    start = dt.datetime(2014, 1, 1, 9, 0)
    inputs = []
    for i in range(count):
        title = rng.choices(vocab, weights, k=rng.randint(3, 8))
        if i % 9 == 0:
            title.insert(0, "Patov")
        body = [
            rng.choice(STOP) if rng.random() < 0.3 else rng.choices(vocab, weights)[0]
            for _ in range(rng.randint(40, 120))
        ]
        inputs.append(
            DocInput(
                title=" ".join(title).title(),
                authors=rng.sample(NAMES, rng.randint(0, 2)),
                agency=rng.choice(AGENCIES),
                body=" ".join(body),
                url=f"{2014 + i // 100}/{i % 12 + 1:02d}/story-{i}.html",
                date=start + dt.timedelta(days=i // 3, hours=i % 3),
                excerpt=" ".join(body[:20]) + " & <more>",
            )
        )
    return inputs
