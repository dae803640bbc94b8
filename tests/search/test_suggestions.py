"""Did you mean: misspelled names find the intended indexed term first."""

from __future__ import annotations

import random
import re
import string

import pytest

from lunr_search.phrases import TermMemo
from tests.search.generated import GeneratedIndex, generated_index
from tools.search_stats import read_payload

MEMO = TermMemo()
NAME = re.compile(r"(?:(?<=[a-z,] )|^)([A-Z][a-z]{4,})\b")


def osa(a: str, b: str) -> int:
    """Edit distance with swaps of neighbours (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            value = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, rows[-2][j - 2] + 1)
            row.append(value)
        rows.append(row)
    return rows[-1][-1]


def misspell(word: str, edits: int, rng: random.Random) -> str:
    """``word`` with ``edits`` random insertions, deletions, substitutions or swaps."""
    out = word
    for _ in range(edits):
        i = rng.randrange(len(out))
        kind = rng.choice(["insert", "delete", "substitute", "swap"])
        letter = rng.choice(string.ascii_lowercase)
        if kind == "insert":
            out = out[:i] + letter + out[i:]
        elif kind == "delete":
            out = out[:i] + out[i + 1 :]
        elif kind == "substitute":
            out = out[:i] + letter + out[i + 1 :]
        elif i + 1 < len(out):
            out = out[:i] + out[i + 1] + out[i] + out[i + 2 :]
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GeneratedIndex:
    return generated_index(tmp_path_factory.mktemp("generated"), 700, seed=9)


def indexed_terms(index: GeneratedIndex) -> set[str]:
    terms: set[str] = set()
    for path in index.search_dir.glob("terms-*.js"):
        for _, _, entries in read_payload(path)["keys"]:
            terms.update(entry[0] for entry in entries)
    return terms


def test_misspelled_names_suggest_the_intended_term(generated, tmp_path) -> None:
    indexed = indexed_terms(generated)
    texts = [f"{' '.join(doc.authors)} {doc.body}" for doc in generated.docs]
    lowercase = {word for doc in generated.docs for word in re.findall(r"\b[a-z]+\b", doc.body)}
    # names: capitalised words of five letters or more never written in lowercase
    names = sorted(
        {
            name.lower()
            for text in texts
            for name in NAME.findall(text)
            if name.lower() not in lowercase and MEMO[name.lower()] in indexed
        }
    )
    assert len(names) >= 120
    rng = random.Random(17)
    names = rng.sample(names, min(200, len(names)))
    cases: dict[str, tuple[int, str]] = {}
    for name in names:
        for edits in (1, 2):
            for _ in range(50):
                typo = misspell(name, edits, rng)
                if osa(typo, name) == edits and MEMO[typo] not in indexed and typo not in cases:
                    cases[typo] = (edits, MEMO[name])
                    break
    assert len(cases) >= 2 * len(names) - 10
    out = generated.run(tmp_path, [], list(cases))["suggest"]
    first = {1: 0, 2: 0}
    for typo, (edits, term) in cases.items():
        words = out[typo]["words"]
        first[edits] += bool(words) and words[0]["term"] == term
    total = {k: sum(1 for e, _ in cases.values() if e == k) for k in (1, 2)}
    rate = {k: first[k] / total[k] for k in (1, 2)}
    # up to 200 names (the generator writes fewer of five letters or more), each
    # misspelled once and twice
    overall = (first[1] + first[2]) / len(cases)
    print(f"names {len(names)}: first {rate[1]:.1%} (one edit), {rate[2]:.1%} (two), {overall:.1%}")
    assert overall >= 0.95 and rate[1] >= 0.95 and rate[2] >= 0.9, (overall, rate)
    # a suggestion loads term lists only, never a shard
    assert all(f.startswith("terms-") for q in out.values() for f in q["requested"])


def test_suggestion_replaces_the_word_in_the_query(generated, tmp_path) -> None:
    name = next(w.lower() for d in generated.docs for w in NAME.findall(d.body) if len(w) >= 7)
    typo = name[:2] + name[3:]  # one letter dropped
    queries = [f"+{typo.capitalize()} -kremlin", f'"{typo} said"', "president", "zzzzzzzzzz"]
    out = generated.run(tmp_path, [], queries)["suggest"]
    assert out[queries[0]]["query"] == f"+{name} -kremlin"
    assert out[queries[1]]["query"] == f'"{name} said"'
    assert out["president"] == {
        "query": None,
        "words": [],
        "requested": out["president"]["requested"],
    }
    assert out["zzzzzzzzzz"]["query"] is None
