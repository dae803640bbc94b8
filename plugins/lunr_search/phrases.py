"""Word pairs with their positions, for exact phrase queries (``"foreign ministry"``).

lunr has no phrase queries: its index says which documents hold a term, not where.
lunr's own ``position`` metadata would put offsets into every posting of every shard
(loaded by every query) and would still leave a two-word phrase needing the positions
of two frequent words. Instead the build records every *pair* of consecutive indexed
terms of a field, with the number of stop words between them (the gap)::

    "foreign ministri"      foreign ministry
    "impossibl calcul 1"    impossible to calculate

and, for each document holding the pair, the word positions where it starts. A phrase
of two indexed words is one pair (which documents hold it is the answer); a longer one
is a chain of pairs, each starting where the previous one's second word stands, so the
positions make it exact. A pair is far rarer than either of its words, so the page
loads little: the one ``pair-NNN.js`` that holds it.

Definitions (the tests' brute-force scan implements the same):

- a field's words are lunr's tokens (lowercase, split on whitespace and hyphens); the
  index pipeline (trimmer, stop words, stemmer) gives each its term or drops it;
- a phrase matches a field when the field's sequence of terms (a dropped word as a
  gap) holds the phrase's sequence contiguously; a phrase's leading and trailing
  dropped words are ignored, so ``"impossible to calculate"`` needs exactly one
  dropped word between ``impossibl`` and ``calcul``.

Files: the pairs are spread over ``pair-NNN.js`` by CRC-32 of the pair's UTF-8 key
(``manifest.pairFiles`` of them; the page computes the same), each::

    {"file": "pair-007", "pairs": [[key, title, authors, agency, body], ...]}

with one string per field: for each occurrence, in document then position order, the
document as the difference from the previous occurrence's (0: the same document) and
the position (absolute for a new document, else the difference from the previous one
minus one), each number in base-32 digits (``encode_numbers``).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, pairwise, repeat
from operator import is_not, sub
from typing import Any

from lunr.pipeline import Pipeline
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.trimmer import trimmer

from .stemmer import js_stemmer

_WORDS = re.compile("[^" + re.escape(SEPARATOR_CHARS) + "]+")

#: Last digit of a number (5 bits) ...
FINAL = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
#: ... and the digits before it (5 bits each, most significant first). JSON-safe, no escapes.
MORE = "WXYZabcdefghijklmnopqrstuvwxyz-_"

#: Occurrence codes: document << _SHIFT | position.
_SHIFT = 24
_MASK = (1 << _SHIFT) - 1


def encode_number(number: int) -> str:
    """One non-negative integer: ``MORE`` digits (most significant first), then a ``FINAL``."""
    if number < 0:
        raise ValueError(f"lunr_search: cannot encode {number}")
    digits = [FINAL[number & 31]]
    number >>= 5
    while number:
        digits.append(MORE[number & 31])
        number >>= 5
    return "".join(reversed(digits))


_TABLE = [encode_number(number) for number in range(1 << 15)]


class _Values(dict[str, int]):
    """One encoded number -> its value (the common ones made once)."""

    def __missing__(self, digits: str) -> int:
        return decode_numbers(digits)[0]


_VALUE = _Values((digits, number) for number, digits in enumerate(_TABLE))
#: One encoded number: its ``MORE`` digits, then its ``FINAL`` one.
_NUMBER = re.compile("[" + re.escape(MORE) + "]*[" + re.escape(FINAL) + "]")


def encode_numbers(numbers: Iterable[int]) -> str:
    """Several numbers, back to back (each ends at its ``FINAL`` digit)."""
    table = _TABLE
    limit = len(table)
    return "".join(
        [table[number] if number < limit else encode_number(number) for number in numbers]
    )


def decode_numbers(text: str) -> list[int]:
    """The inverse of ``encode_numbers``."""
    numbers: list[int] = []
    value = 0
    for char in text:
        digit = FINAL.find(char)
        if digit == -1:
            value = value * 32 + MORE.index(char)
        else:
            numbers.append(value * 32 + digit)
            value = 0
    return numbers


def decode_occurrences(text: str) -> list[tuple[int, int]]:
    """(document, position) of each occurrence of one (pair, field) string."""
    numbers = list(map(_VALUE.__getitem__, _NUMBER.findall(text)))
    out: list[tuple[int, int]] = []
    doc = position = 0
    for delta, value in zip(numbers[0::2], numbers[1::2], strict=True):
        if delta or not out:
            doc += delta
            position = value
        else:
            position += value + 1
        out.append((doc, position))
    return out


def record_key(values: Sequence[Any]) -> str:
    """Names a document's indexed field values, to find its analysis from an earlier build."""
    hasher = hashlib.sha1(usedforsecurity=False)
    for value in values:
        hasher.update(repr(value).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x1f")
    return hasher.hexdigest()


class TermMemo(dict[str, str | None]):
    """Word -> its term under the index pipeline (trimmer, stop words, stemmer), or None.

    The same tokens and terms as ``index_builder.ArchiveBuilder`` (and stock lunr.py);
    each distinct word goes through the pipeline once.
    """

    def __init__(self) -> None:
        """Start empty, with lunr's default index pipeline."""
        super().__init__()
        self.pipeline = Pipeline()
        self.pipeline.add(trimmer, stop_word_filter, js_stemmer)

    def __missing__(self, word: str) -> str | None:
        """Run the pipeline on a word seen for the first time."""
        tokens = self.pipeline.run([Token(word, {})])
        term = self[word] = str(tokens[0]) if tokens else None
        return term


def words_of(text: str) -> list[str]:
    """Lunr's tokens of a field: lowercase, split on whitespace and hyphens."""
    return _WORDS.findall(text.lower())


def pair_keys(terms: Sequence[str | None]) -> tuple[list[tuple[str, str, str]], list[int]]:
    """The pairs of consecutive terms of a field and where each starts.

    A pair is ``(first, second, gap)``, the gap as the key's suffix (``""``, ``" 1"``, ...);
    ``pair_key`` makes the key. Every step is a loop in C: this runs once per word.
    """
    starts = list(compress(range(len(terms)), map(is_not, terms, repeat(None))))
    return _pairs(list(map(terms.__getitem__, starts)), starts), starts[:-1]


def _pairs(seq: Sequence[str], starts: Sequence[int]) -> list[tuple[str, str, str]]:
    """Pairs of the indexed terms ``seq`` found at word positions ``starts``."""
    steps = list(map(sub, starts[1:], starts))
    try:
        gaps = list(map(_GAPS.__getitem__, steps))
    except IndexError:
        gaps = [_GAPS[step] if step < len(_GAPS) else f" {step - 1}" for step in steps]
    return list(zip(seq, seq[1:], gaps, strict=False))


def pair_key(pair: tuple[str, str, str]) -> str:
    """``"foreign ministri"``, ``"impossibl calcul 1"``."""
    return f"{pair[0]} {pair[1]}{pair[2]}"


#: Key suffix by the step between a pair's words: 1 is no gap, 2 one dropped word, ...
_GAPS = ["", ""] + [f" {gap}" for gap in range(1, 1023)]

#: Pairs are collected in shares of about this many occurrences each (one share's
#: code lists held at a time: 4 million take ~130 MB), by their first term.
OCCURRENCES_PER_SHARE = 4_000_000
#: Collected in shares, the pairs' entries wait on disk in this many groups, and
#: ``pairFiles`` is a multiple of it: every pair file is made from one group.
FILE_GROUPS = 16

#: One document's analysis, kept between builds, as numbers (a compact pickle): per
#: field the ids of its indexed words (``KeptPairs.strings``; each word's term is
#: ``memo[word]``) and the word position of each. Dropped words (stop words) are only
#: the gaps between positions: the index, the pairs and the spellings need no more.
PairAnalysis = tuple[tuple[array, array], ...]


@dataclass
class KeptPairs:
    """Word pairs kept between builds: analyses, the strings their ids name, word -> term."""

    analyses: dict[str, PairAnalysis] = field(default_factory=dict)
    strings: list[str] = field(default_factory=list)
    memo: dict[str, str | None] = field(default_factory=dict)
    #: The last build's documents (``record_key`` by ref), its pair files and their
    #: size as ``pair_file_count`` measures it.
    refs: list[str] = field(default_factory=list)
    pair_bytes: list[bytes] = field(default_factory=list)
    pair_size: int = 0


class _Ids(dict[str, int]):
    """Word -> id, a new word getting the next id (its place in ``strings`` and ``terms``)."""

    def __init__(self, strings: list[str], memo: TermMemo) -> None:
        super().__init__((string, number) for number, string in enumerate(strings))
        self.strings = strings
        self.memo = memo
        #: Each word's term (by id).
        self.terms: list[str | None] = [memo[string] for string in strings]

    def __missing__(self, string: str) -> int:
        number = self[string] = len(self.strings)
        self.strings.append(string)
        self.terms.append(self.memo[string])
        return number


@dataclass(frozen=True)
class Moves:
    """How the last build's documents map to this build's: one changed run in between.

    Documents before ``start`` keep their refs; the last build's ``start ..
    old_end`` are gone (changed or deleted), this build's ``start .. new_end`` are
    new; every later document is the same, ``new_end - old_end`` refs further.
    """

    start: int
    old_end: int
    new_end: int
    #: How many documents the last build had.
    old_count: int

    @classmethod
    def between(cls, last: Sequence[str], now: Sequence[str]) -> Moves:
        """The longest same run at each end (an edit, an insertion or a deletion between)."""
        limit = min(len(last), len(now))
        start = 0
        while start < limit and last[start] == now[start]:
            start += 1
        same_end = 0
        while same_end < limit - start and last[-1 - same_end] == now[-1 - same_end]:
            same_end += 1
        return cls(start, len(last) - same_end, len(now) - same_end, len(last))

    @property
    def shift(self) -> int:
        """How many refs further each document after the change is."""
        return self.new_end - self.old_end

    def doc(self, old: int) -> int:
        """A kept document's ref now (one before or after the changed run)."""
        return old if old < self.start else old + self.shift

    def shifted(self, text: str) -> str:
        """One (pair, field) string with every document after the changed run moved.

        Documents are differences from the one before, so only one number changes:
        the first document at or after ``old_end`` (absolute if it is the first).
        """
        numbers = _NUMBER.findall(text)
        if len(numbers) == 2:  # one occurrence: most pairs
            first = _VALUE[numbers[0]]
            return text if first < self.old_end else _encoded(first + self.shift) + numbers[1]
        docs = list(accumulate(map(_VALUE.__getitem__, numbers[0::2])))
        at = bisect_left(docs, self.old_end)
        if at == len(docs):
            return text
        numbers[2 * at] = _encoded(_VALUE[numbers[2 * at]] + self.shift)
        return "".join(numbers)


def _encoded(number: int) -> str:
    return _TABLE[number] if number < len(_TABLE) else encode_number(number)


class PairCollector:
    """Gathers every field's pairs, document by document, in ref order.

    ``kept`` holds documents analysed by an earlier build, by ``record_key`` of
    their indexed values, and that build's word -> term table: a kept document
    is not tokenised again, only regrouped (an edit analyses one document, not
    the archive). :meth:`kept` is what this build analysed or reused.
    """

    def __init__(self, fields: Sequence[str], kept: KeptPairs | None = None) -> None:
        """Start empty."""
        kept = kept or KeptPairs()
        self.fields = list(fields)
        self.memo = TermMemo()
        self.memo.update(kept.memo)
        self.by_field: list[defaultdict[tuple[str, str, str], array]] = [
            defaultdict(_codes) for _ in self.fields
        ]
        #: How often each word occurs (for the spelling of suggested terms).
        self.word_counts: Counter[str] = Counter()
        self._kept = kept.analyses
        self._ids = _Ids(list(kept.strings), self.memo)
        self._last = kept
        self.analyses: dict[str, PairAnalysis] = {}
        self.refs: list[str] = []
        #: Pairs encoded again from the last build's (None: all were encoded anew).
        self.affected: set[str] | None = None
        self._fresh: list[dict[str, array]] = []
        self._moves = Moves(0, 0, 0, 0)
        #: How many pairs the fed documents hold, over all fields.
        self.occurrences = 0

    def feed(self, doc: int, record: Mapping[str, Any]) -> None:
        """Take the next document (its ``index_record()``, refs 0, 1, ... in order).

        Only its analysis is kept (a kept one is not made again): the collector
        never needs the text again, so the caller need not hold it.
        """
        key = record_key([record.get(name) for name in self.fields])
        analysis = self._kept.get(key) or self.analyses.get(key)
        if analysis is None:
            analysis = self.analyse(doc, record)
        self.analyses[key] = analysis
        self.refs.append(key)
        strings = self._ids.strings
        for word_ids, _ in analysis:
            self.word_counts.update(map(strings.__getitem__, word_ids))
            self.occurrences += max(len(word_ids) - 1, 0)

    @property
    def shares(self) -> int:
        """In how many shares :meth:`collect_shares` collects the pairs (1 for most archives)."""
        return max(1, -(-self.occurrences // OCCURRENCES_PER_SHARE))

    @property
    def file_multiple(self) -> int:
        """What ``pairFiles`` is a multiple of (see :data:`FILE_GROUPS`)."""
        return FILE_GROUPS if self.shares > 1 else 1

    def terms(self, word_ids: Iterable[int]) -> list[str]:
        """The terms of a field's indexed words (ids, as an analysis holds them)."""
        return list(map(self._ids.terms.__getitem__, word_ids))

    def documents(self) -> list[PairAnalysis]:
        """Every fed document's analysis, in ref order."""
        return list(map(self.analyses.__getitem__, self.refs))

    def follow_changes(self) -> bool:
        """Whether the last build's pairs can be followed, not collected anew.

        When few documents differ from the last build's (an edit, an article added
        or deleted anywhere: the documents before and after it are the same, those
        after it one ref further or nearer), only the pairs the changed documents
        held or hold (:attr:`affected`) are made again, by :meth:`reencoded` from
        their last strings, and every other pair's strings only move its documents
        after the change (:meth:`shifted`). Otherwise :meth:`collect_all` (or
        :meth:`collect_shares`) encodes all.
        """
        last = self._last.refs
        self._moves = moves = Moves.between(last, self.refs)
        changed = range(moves.start, moves.new_end)
        stale = [self._kept.get(last[ref]) for ref in range(moves.start, moves.old_end)]
        if (
            not self._last.pair_bytes
            or (len(changed) + len(stale)) * 20 > len(self.refs)
            or None in stale
        ):
            return False
        fresh: list[defaultdict[tuple[str, str, str], array]] = [
            defaultdict(_codes) for _ in self.fields
        ]
        for ref in changed:
            self._add_pairs(fresh, ref, self.analyses[self.refs[ref]])
        self._fresh = [
            {pair_key(pair): codes for pair, codes in by_pair.items()} for by_pair in fresh
        ]
        self.affected = set(chain.from_iterable(self._fresh))
        for analysis in filter(None, stale):
            self.affected.update(self._pair_keys_of(analysis))
        return True

    def collect_all(self) -> dict[str, list[str]]:
        """Every fed document's pairs, all encoded anew."""
        self.by_field = [defaultdict(_codes) for _ in self.fields]
        analyses = self.analyses
        for ref, key in enumerate(self.refs):
            self._add_pairs(self.by_field, ref, analyses[key])
        self.affected = None
        return self.encoded()

    def collect_shares(self, shares: int) -> Iterator[dict[str, list[str]]]:
        """Every fed document's pairs, encoded anew, one share of them at a time.

        A pair belongs to the share of its first term (CRC-32 of it, modulo
        ``shares``): each share is every document's pairs starting with one of
        its terms, so a pair's occurrences are all in one share, and only one
        share's code lists are held at a time.
        """
        self.affected = None
        ids = self._ids
        share_of = array(
            "H",
            (
                zlib.crc32(term.encode("utf-8", "surrogatepass")) % shares if term else 0
                for term in ids.terms
            ),
        )
        analyses = self.analyses
        for share in range(shares):
            self.by_field = [defaultdict(_codes) for _ in self.fields]
            for ref, key in enumerate(self.refs):
                self._add_share(ref, analyses[key], share_of, share)
            yield self.encoded()

    def _add_share(self, doc: int, analysis: PairAnalysis, share_of: array, share: int) -> None:
        """Collect the pairs of document ``doc`` whose first term is in share ``share``."""
        base = doc << _SHIFT
        in_share = share.__eq__
        for by_pair, (word_ids, starts) in zip(self.by_field, analysis, strict=True):
            if len(starts) < 2:
                continue
            first = map(share_of.__getitem__, word_ids[:-1])
            chosen = list(compress(range(len(starts) - 1), map(in_share, first)))
            if not chosen:
                continue
            terms = self.terms(word_ids)
            for at in chosen:
                step = starts[at + 1] - starts[at]
                gap = _GAPS[step] if step < len(_GAPS) else f" {step - 1}"
                by_pair[(terms[at], terms[at + 1], gap)].append(base | starts[at])

    def _pair_keys_of(self, analysis: PairAnalysis) -> Iterable[str]:
        for word_ids, starts in analysis:
            yield from map(pair_key, _pairs(self.terms(word_ids), starts))

    def reencoded(self, key: str, before: Sequence[str] | None) -> list[str] | None:
        """An affected pair's strings from its last ones (None: no document holds it now)."""
        moves = self._moves
        strings = []
        for number, text in enumerate(before or [""] * len(self.fields)):
            codes = [
                moves.doc(doc) << _SHIFT | position
                for doc, position in decode_occurrences(text)
                if not moves.start <= doc < moves.old_end
            ]
            codes.extend(self._fresh[number].get(key, ()))
            codes.sort()
            strings.append(_encode_codes(array("q", codes)) if codes else "")
        return strings if any(strings) else None

    @property
    def shifts_documents(self) -> bool:
        """Whether documents kept from the last build have other refs now (see :meth:`collect`)."""
        return self._moves.shift != 0 and self._moves.old_end < self._moves.old_count

    def shifted(self, before: Sequence[str]) -> list[str]:
        """A pair no changed document holds: its strings with the later documents moved."""
        shifted = self._moves.shifted
        return [text and shifted(text) for text in before]  # most fields hold no pair

    def analyse(self, doc: int, record: Mapping[str, Any]) -> PairAnalysis:
        """One document's indexed words and their positions, per field (``index_record()``)."""
        ids = self._ids.__getitem__
        per_field = []
        for name in self.fields:
            value = record.get(name)
            words = words_of(str(value)) if value else []
            terms = map(self.memo.__getitem__, words)
            starts = list(compress(range(len(words)), map(is_not, terms, repeat(None))))
            if starts and starts[-1] > _MASK:
                raise ValueError(f"lunr_search: document {doc} has over {_MASK} words in {name}")
            indexed = map(words.__getitem__, starts)
            kind = "H" if not starts or starts[-1] <= 0xFFFF else "I"  # (2 bytes nearly always)
            per_field.append((array("I", map(ids, indexed)), array(kind, starts)))
        return tuple(per_field)

    def add(self, doc: int, record: Mapping[str, Any]) -> None:
        """Add one document (its ``index_record()``), refs ascending: fed, its pairs collected."""
        self.feed(doc, record)
        self._add_pairs(self.by_field, doc, self.analyses[self.refs[-1]])

    def _add_pairs(
        self,
        by_field: Sequence[defaultdict[tuple[str, str, str], array]],
        doc: int,
        analysis: PairAnalysis,
    ) -> None:
        """Collect the pairs of document ``doc`` (its analysis) into ``by_field``."""
        base = doc << _SHIFT
        for by_pair, (word_ids, starts) in zip(by_field, analysis, strict=True):
            if len(starts) < 2:
                continue
            keys = _pairs(self.terms(word_ids), starts)
            # C-level loops: the pair's code list (made when new), then one append each
            lists = map(by_pair.__getitem__, keys)
            codes = [base | start for start in starts[:-1]]
            deque(map(array.append, lists, codes), maxlen=0)

    def kept(self) -> KeptPairs:
        """What the next build needs of this one: its documents and their words' terms."""
        ids = self._ids
        memo = dict(zip(ids.strings, ids.terms, strict=True))
        return KeptPairs(self.analyses, ids.strings, memo, self.refs)

    def encoded(self) -> dict[str, list[str]]:
        """Pair key -> one encoded string per field (the collected codes are let go).

        Each pair's codes are dropped as it is encoded: a million pairs' code
        arrays and their strings are not held at once (300 MB at 10,000 articles).
        """
        out: dict[str, list[str]] = {}
        empty = [""] * len(self.fields)
        for number, pairs in enumerate(self.by_field):
            for pair in list(pairs):
                codes = pairs.pop(pair)
                key = pair_key(pair)
                strings = out.get(key)
                if strings is None:
                    strings = out[key] = list(empty)
                strings[number] = _encode_codes(codes)
        return out


def _codes() -> array:
    return array("q")


def _encode_codes(codes: array) -> str:
    if len(codes) == 1:  # most pairs occur once in the whole archive
        code = codes[0]
        return encode_numbers((code >> _SHIFT, code & _MASK))
    docs = [code >> _SHIFT for code in codes]
    positions = [code & _MASK for code in codes]
    numbers = [0] * (2 * len(codes))
    numbers[0], numbers[1] = docs[0], positions[0]
    numbers[2::2] = [b - a for a, b in pairwise(docs)]
    numbers[3::2] = [
        q if b != a else q - p - 1
        for a, b, p, q in zip(docs, docs[1:], positions, positions[1:], strict=False)
    ]
    return encode_numbers(numbers)


def pair_file(key: str, files: int) -> int:
    """Which ``pair-NNN.js`` holds ``key`` (CRC-32 of its UTF-8 bytes; the page does the same)."""
    return zlib.crc32(key.encode("utf-8")) % files


def pair_name(number: int) -> str:
    """``pair-007``."""
    return f"pair-{number:03d}"


def entry_size(key: str, strings: Sequence[str]) -> int:
    """A pair's share of its file's JSON: key and strings, quotes and commas."""
    return len(key) + sum(map(len, strings)) + 3 * len(strings) + 4


def pair_size(encoded: Mapping[str, Sequence[str]]) -> int:
    """The sum of ``entry_size`` over ``encoded`` (C-level sums)."""
    strings = list(chain.from_iterable(encoded.values()))
    return sum(map(len, encoded)) + sum(map(len, strings)) + 3 * len(strings) + 4 * len(encoded)


def pair_file_count(size: int, target_bytes: int, multiple: int = 1) -> int:
    """How many ``pair-NNN.js`` hold pairs of ``pair_size`` ``size``: none if no pairs.

    Rounded up to a ``multiple`` (see :data:`FILE_GROUPS`).
    """
    if not size:
        return 0
    files = max(1, -(-size // max(1, target_bytes)))
    return -(-files // multiple) * multiple


def pair_buckets(keys: Iterable[str], files: int) -> list[list[str]]:
    """The keys of each of ``files`` pair files, sorted."""
    buckets: list[list[str]] = [[] for _ in range(files)]
    crc32 = zlib.crc32
    for key in sorted(keys):  # pair_file, inlined: this runs once per pair
        buckets[crc32(key.encode("utf-8")) % files].append(key)
    return buckets


def bucket_payload(
    number: int, keys: Iterable[str], encoded: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """One pair file's payload: ``[key, title, authors, agency, body]`` per pair."""
    return {"file": pair_name(number), "pairs": [[key, *encoded[key]] for key in keys]}


def pair_payloads(encoded: Mapping[str, Sequence[str]], target_bytes: int) -> list[dict[str, Any]]:
    """Spread the pairs over files of about ``target_bytes`` each (none without pairs)."""
    buckets = pair_buckets(encoded, pair_file_count(pair_size(encoded), target_bytes))
    return [bucket_payload(number, keys, encoded) for number, keys in enumerate(buckets)]
