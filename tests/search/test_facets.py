"""The manifest's facet table: month and agency of every ref, for the filter counts."""

from __future__ import annotations

import pytest

from lunr_search.documents import SearchDoc
from lunr_search.facets import ALPHABET, facet_table
from tests.search.conftest import ShardedArchive
from tools.search_stats import read_payload


def _doc(ref: int, date: str, agency: str) -> SearchDoc:
    return SearchDoc(str(ref), f"T{ref}", (), agency, "body", f"{ref}.html", date)


def _agency(table: dict, ref: int) -> str:
    width = table["agencyWidth"]
    digits = table["agencyOf"][ref * width : (ref + 1) * width]
    number = 0
    for digit in digits:
        number = number * len(ALPHABET) + ALPHABET.index(digit)
    return table["agencies"][number]


def _month(table: dict, ref: int) -> str:
    return [month for month, first in table["months"] if first <= ref][-1]


def test_months_are_runs_and_agencies_codes_in_ref_order() -> None:
    docs = [
        _doc(0, "2019-12-31", "Northwind Wire"),
        _doc(1, "2020-01-01", ""),
        _doc(2, "2020-05-01", "Example Press"),
        _doc(3, "2020-05-21", "example press"),
        _doc(4, "2021-02-03", "example press"),
    ]
    table = facet_table(docs, unattributed="Unattributed")
    assert table == {
        "months": [["2019-12", 0], ["2020-01", 1], ["2020-05", 2], ["2021-02", 4]],
        "agencies": ["Example Press", "example press", "Northwind Wire", "Unattributed"],
        "agencyOf": "23011",
        "agencyWidth": 1,
    }


def test_more_than_64_agencies_take_two_digits() -> None:
    docs = [_doc(i, "2020-01-01", f"Agency {i:03d}") for i in range(100)]
    table = facet_table(docs)
    assert table["agencyWidth"] == 2
    assert len(table["agencyOf"]) == 200
    assert [_agency(table, i) for i in range(100)] == [d.agency for d in docs]


def test_refs_must_be_positions() -> None:
    with pytest.raises(ValueError, match="ref '1' at position 0"):
        facet_table([_doc(1, "2020-01-01", "Northwind Wire")])


def test_manifest_facets_match_every_document(sharded_archive: ShardedArchive) -> None:
    manifest = read_payload(sharded_archive.search_dir / "manifest.js")
    table = manifest["facets"]
    for position, doc in enumerate(sharded_archive.docs):
        assert _month(table, position) == doc.date[:7]
        assert _agency(table, position) == (doc.agency or "Unattributed")
