"""Quoted phrases: the loader's results equal a brute-force scan of the article texts.

On a generated archive, every phrase of 2-4 words sampled from the texts (stop words
and punctuation included), phrases that occur nowhere, and phrases mixed with lunr's
syntax. The scan knows nothing of word pairs: it tokenises each field as lunr does,
maps each word to its term (None for a dropped stop word) and looks for the phrase's
sequence. Scores must stay lunr's own for the same words as required terms.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest

from lunr_search.phrases import PairCollector, TermMemo, decode_occurrences, words_of
from tests.search.generated import GeneratedIndex, generated_index

FIELDS = ("title", "authors", "agency", "body")
MEMO = TermMemo()


def phrase_terms(text: str) -> list[str | None]:
    terms = [MEMO[word] for word in words_of(text)]
    while terms and terms[0] is None:
        terms.pop(0)
    while terms and terms[-1] is None:
        terms.pop()
    return terms


def holds(text: str, phrase: list[str | None]) -> bool:
    seq = [MEMO[word] for word in words_of(text)]
    size = len(phrase)
    return any(seq[i : i + size] == phrase for i in range(len(seq) - size + 1))


def scan(index: GeneratedIndex, text: str, fields: tuple[str, ...] = FIELDS) -> set[str]:
    """Refs of the documents where the phrase stands in one of ``fields`` (brute force)."""
    phrase = phrase_terms(text)
    return {
        doc.ref
        for doc in index.docs
        if any(holds(str(doc.index_record()[field] or ""), phrase) for field in fields)
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GeneratedIndex:
    return generated_index(tmp_path_factory.mktemp("generated"), 160)


def sampled_phrases(index: GeneratedIndex, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(field, phrase) of 2-4 words as they stand in a title or body, with 2+ indexed words."""
    rng = random.Random(seed)
    found: list[tuple[str, str]] = []
    while len(found) < count:
        doc = rng.choice(index.docs)
        field = "title" if rng.random() < 0.2 else "body"
        words = str(doc.index_record()[field]).split()
        size = rng.randint(2, 4)
        if len(words) < size:
            continue
        start = rng.randrange(len(words) - size + 1)
        text = " ".join(words[start : start + size]).replace('"', "")
        if sum(term is not None for term in phrase_terms(text)) >= 2:
            found.append((field, text))
    return found


@pytest.fixture(scope="module")
def cases(generated: GeneratedIndex) -> dict[str, Any]:
    rng = random.Random(3)
    sampled = sampled_phrases(generated, 160)
    nowhere = []
    for _, text in sampled:
        words = text.split()
        rng.shuffle(words)
        candidate = " ".join(words)
        if len(nowhere) < 40 and not scan(generated, candidate):
            nowhere.append(candidate)
    common = [text for _, text in sampled[:20]]
    vocabulary = ["president", "kremlin", "moscow", "court", "minister", "police"]
    mixed = {
        **{f'"{text}" +{rng.choice(vocabulary)}': ("+", text) for text in common[:6]},
        **{f'"{text}" -{rng.choice(vocabulary)}': ("-", text) for text in common[6:12]},
        **{f'{rng.choice(vocabulary)} -"{text}"': ("not", text) for text in common[12:18]},
        **{f'title:"{text}"': ("title", text) for field, text in sampled[:80] if field == "title"},
    }
    queries = [f'"{text}"' for _, text in sampled] + [f'"{text}"' for text in nowhere] + list(mixed)
    return {"sampled": sampled, "nowhere": nowhere, "mixed": mixed, "queries": queries}


@pytest.fixture(scope="module")
def answers(
    generated: GeneratedIndex, cases: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return generated.run(tmp_path_factory.mktemp("node"), cases["queries"])["search"]


def expected(generated: GeneratedIndex, query: str, whole: list[dict], kept: set[str], drop=False):
    return [r for r in whole if (r["ref"] not in kept if drop else r["ref"] in kept)]


def assert_same(got: list[dict], wanted: list[dict], query: str) -> None:
    assert [r["ref"] for r in got] == [r["ref"] for r in wanted], query
    for a, b in zip(got, wanted, strict=True):
        assert math.isclose(a["score"], b["score"], rel_tol=0, abs_tol=1e-9), query


def test_sampled_phrases_equal_the_brute_force_scan(generated, cases, answers) -> None:
    narrowed = 0
    for _, text in cases["sampled"]:
        query = f'"{text}"'
        kept = scan(generated, text)
        assert kept, text  # it was sampled from a text
        got = answers[query]["shards"]
        assert {r["ref"] for r in got} == kept, query
        # ranked as lunr ranks the phrase's words (all required), among the phrase's matches
        assert_same(got, expected(generated, query, answers[query]["whole"], kept), query)
        narrowed += len(answers[query]["whole"]) > len(kept)
    # not vacuous: for many phrases, documents holding every word but not the phrase exist
    assert narrowed >= len(cases["sampled"]) // 4


def test_phrases_that_occur_nowhere_find_nothing(cases, answers) -> None:
    assert len(cases["nowhere"]) >= 20
    for text in cases["nowhere"]:
        assert answers[f'"{text}"']["shards"] == [], text


def test_phrases_mixed_with_lunr_syntax_and_fields(generated, cases, answers) -> None:
    kinds = {kind for kind, _ in cases["mixed"].values()}
    assert kinds == {"+", "-", "not", "title"}
    for query, (kind, text) in cases["mixed"].items():
        whole = answers[query]["whole"]
        got = answers[query]["shards"]
        if kind == "title":
            wanted = expected(generated, query, whole, scan(generated, text, ("title",)))
        elif kind == "not":
            wanted = expected(generated, query, whole, scan(generated, text), drop=True)
        else:
            wanted = expected(generated, query, whole, scan(generated, text))
        assert_same(got, wanted, query)


def test_a_two_word_phrase_loads_its_shards_and_one_pair_file(answers, cases) -> None:
    two = next(f'"{t}"' for _, t in cases["sampled"] if len(phrase_terms(t)) == 2)
    files = answers[two]["requested"]
    assert len([f for f in files if f.startswith("pair-")]) == 1
    assert all(f.startswith(("shard-", "pair-")) for f in files)


def test_pair_encoding_round_trips() -> None:
    collector = PairCollector(["body"])
    collector.add(0, {"body": "Foreign Ministry spoke the Foreign Ministry"})
    collector.add(3, {"body": "x foreign-ministry, foreign of the ministry"})
    encoded = collector.encoded()
    assert decode_occurrences(encoded["foreign ministri"][0]) == [(0, 0), (0, 4), (3, 1)]
    assert decode_occurrences(encoded["foreign ministri 2"][0]) == [(3, 3)]
    assert decode_occurrences(encoded["ministri spoke"][0]) == [(0, 1)]
    assert "spoke foreign" not in encoded and "spoke foreign 1" in encoded


def test_impossible_to_calculate(tmp_path: Path) -> None:
    """The issue's example: a stop word in a phrase is a gap of exactly one dropped word."""
    from lunr_search.documents import DocInput, number_documents
    from lunr_search.index_builder import build_index, serialize_for_js
    from lunr_search.writer import write_search_files

    texts = [
        "Losses were impossible to calculate, he said.",
        "It is impossible, to calculate anything.",
        "Impossible calculate",
        "impossible really to calculate",
        "impossible of calculate",
    ]
    docs = number_documents(
        DocInput(t, ["A"], "Northwind Wire", t, f"{i}.html", None) for i, t in enumerate(texts)
    )
    serialized = serialize_for_js(build_index(docs))
    write_search_files(tmp_path / "search", serialized, docs)
    (tmp_path / "whole.json").write_text(__import__("json").dumps(serialized), "utf-8")
    index = GeneratedIndex(docs, tmp_path / "search", tmp_path / "whole.json")
    out = index.run(tmp_path, ['"impossible to calculate"', 'title:"impossible calculate"'])
    assert {r["ref"] for r in out["search"]['"impossible to calculate"']["shards"]} == {
        "0",
        "1",
        "4",
    }
    assert [r["ref"] for r in out["search"]['title:"impossible calculate"']["shards"]] == ["2"]


def test_what_is_searched_while_typing(generated, tmp_path) -> None:
    """The last word as a prefix of its term; an open phrase as its words until it closes."""
    typing = {
        "orinak": "orinak*",
        "armenians": "armenian*",
        "+sergei -tur": "+sergei -tur*",
        '"foreign mini': "foreign mini*",
        'title:"impossible to calc': "impossible to calc*",
        '"foreign ministry"': None,  # closed: the phrase itself
        "ab": None,  # too short to be a prefix
        "talks ": None,  # the word is finished
        "arm~1": None,
    }
    out = generated.run(tmp_path, [], [], list(typing))["typing"]
    assert out == typing
