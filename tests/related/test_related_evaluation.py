"""Measured on ~2,000 synthetic titles: no wrong link, and (nearly) every right one."""

from collections import Counter

import pytest

from related.matching import DEFAULT_FUZZY_THRESHOLD, TitleIndex
from tools.generate.citations import build_archive
from tools.title_evaluation import evaluate


@pytest.fixture(scope="module")
def archive():
    return build_archive()


def test_archive_has_every_kind_of_hard_case(archive) -> None:
    records, cases = archive
    assert 1900 <= len(records) <= 2100
    kinds = Counter(case.kind.split(":")[0] for case in cases)
    assert kinds["variant"] >= 800 and kinds["negative"] >= 500
    assert kinds["shared"] >= 50 and kinds["prefix"] >= 20 and kinds["exact"] >= 300
    detail = {part for case in cases for part in case.kind.replace("+", ":").split(":")}
    assert {"curly", "dash", "upper", "entities", "trailing", "spaces", "the"} <= detail
    assert {"name", "number", "negation", "prefix", "self"} <= detail


def test_precision_is_total_and_recall_at_least_98_percent(archive) -> None:
    records, cases = archive
    result = evaluate(records, cases, threshold=DEFAULT_FUZZY_THRESHOLD)
    assert result.wrong == 0, result.errors[:10]
    assert result.precision == 1.0
    assert result.recall >= 0.98, (result.summary(), result.errors[:10])
    assert result.fuzzy_correct >= 100  # the fuzzy tier does real work


def test_without_the_guard_the_score_alone_links_wrong_stories(archive) -> None:
    records, cases = archive
    negatives = [case for case in cases if case.expected is None]
    result = evaluate(records, negatives, threshold=90, guard=False)
    assert result.precision < 0.5  # names, numbers, negations score above 90


def test_index_builds_fast_enough_to_rebuild_every_build(archive) -> None:
    records, _ = archive
    assert len(TitleIndex(records)) >= 1900
