"""Every indexed term with its document count, cut so a misspelling finds its neighbours.

"Did you mean pashinyan?" needs the terms near a misspelled one, and lunr's fuzzy
``foo~1`` needs every term within one edit of ``foo``: today only all shards tell. Here
each term is listed under two keys, (its first character, its length) and (its second
character, its length). A term one edit (insertion, deletion, substitution or swap of
neighbours) away from a word of length ``L`` has length ``L-1 .. L+1`` and shares a
key character with it: an edit after the second character keeps the first; one at the
first character keeps the second (substitution), moves it to the front (deletion, swap)
or puts the term's first character second (insertion). So the keys of a word's first
two characters and lengths ``L-1 .. L+1`` hold *every* such term (for ``L >= 2``), and
``foo~1`` loads exactly the shards of the terms it can match. Suggestions look two
edits away (lengths ``L-2 .. L+2``); a misspelling that changes both first characters is
missed.

Keys are sorted (character in JavaScript's UTF-16 order, then length) and cut into
``terms-NNN.js`` files of about ``target_bytes``; the manifest lists each file's first
key, so a word's keys are found in one or two files per character::

    {"file": "terms-003", "keys": [[char, length, [[term, docs], [term, docs, word]]], ...]}

``docs`` is how many documents hold the term (any field); ``word`` is its most frequent
spelling in the texts, when that differs from the term (a stem such as ``ministri``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .index_builder import utf16_key
from .sharding import Shard

_PUNCTUATION = re.compile(r"^\W+|\W+$")


def term_counts(shards: Iterable[Shard]) -> dict[str, int]:
    """How many documents hold each term, in any field (from the shards' postings)."""
    counts: dict[str, int] = {}
    for shard in shards:
        for entry in shard.terms:
            docs: set[int] = set()
            for flat in entry[2:]:
                doc = 0
                for delta in flat[0::2]:
                    doc += delta
                    docs.add(doc)
            counts[entry[0]] = len(docs)
    return counts


def spellings(word_counts: Mapping[str, int], memo: Mapping[str, str | None]) -> dict[str, str]:
    """Term -> its most frequent word, trimmed of punctuation (ties: the first in order)."""
    totals: dict[tuple[str, str], int] = {}
    for token, count in word_counts.items():
        term = memo.get(token)
        if term is not None:
            key = (term, _PUNCTUATION.sub("", token) or token)
            totals[key] = totals.get(key, 0) + count
    best: dict[str, tuple[int, str]] = {}
    for (term, word), count in totals.items():
        known = best.get(term)
        if known is None or count > known[0] or (count == known[0] and word < known[1]):
            best[term] = (count, word)
    return {term: word for term, (_, word) in best.items()}


def key_chars(term: str) -> list[str]:
    """The characters a term is listed under: its first and second (UTF-16 units, as JS)."""
    units = term.encode("utf-16-be", "surrogatepass")
    chars = [
        units[i : i + 2].decode("utf-16-be", "surrogatepass") for i in (0, 2) if i < len(units)
    ]
    return list(dict.fromkeys(chars))


def utf16_length(term: str) -> int:
    """A string's length as JavaScript counts it."""
    return len(term.encode("utf-16-be", "surrogatepass")) // 2


def term_payloads(
    counts: Mapping[str, int], words: Mapping[str, str], target_bytes: int
) -> tuple[list[list[Any]], list[dict[str, Any]]]:
    """The manifest's ``[char, length]`` of each file's first key, and the files."""
    keys: dict[tuple[str, int], list[list[Any]]] = {}
    for term in sorted(counts, key=utf16_key):
        entry: list[Any] = [term, counts[term]]
        word = words.get(term)
        if word and word != term:
            entry.append(word)
        length = utf16_length(term)
        for char in key_chars(term):
            keys.setdefault((char, length), []).append(entry)
    firsts: list[list[Any]] = []
    payloads: list[dict[str, Any]] = []
    current: list[list[Any]] = []
    size = 0
    for char, length in sorted(keys, key=lambda key: (utf16_key(key[0]), key[1])):
        entries = keys[(char, length)]
        current.append([char, length, entries])
        size += len(json.dumps(entries, ensure_ascii=False)) + 8
        if size >= target_bytes:
            firsts.append(current[0][:2])
            payloads.append({"file": terms_name(len(payloads)), "keys": current})
            current, size = [], 0
    if current:
        firsts.append(current[0][:2])
        payloads.append({"file": terms_name(len(payloads)), "keys": current})
    return firsts, payloads


def terms_name(number: int) -> str:
    """``terms-003``."""
    return f"terms-{number:03d}"


def suggestion_files(
    counts: Mapping[str, int],
    word_counts: Mapping[str, int],
    memo: Mapping[str, str | None],
    target_bytes: int,
) -> tuple[list[list[Any]], list[dict[str, Any]]]:
    """Every term with its document count (:func:`term_counts`) and spelling, cut into files."""
    return term_payloads(counts, spellings(word_counts, memo), target_bytes)
