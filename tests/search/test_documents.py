"""What the build compares to know the search index's inputs are unchanged."""

from __future__ import annotations

import dataclasses
import hashlib

from lunr_search.documents import SearchDoc, digest_documents

DOC = SearchDoc(
    ref="0", title="Gas talks", authors=("A. Writer",), agency="Northwind Wire",
    body="Oil and gas.", url="2021/03/gas.html", date="2021-03-02", excerpt="Oil.",
)  # fmt: skip


def _digest(*docs: SearchDoc) -> str:
    hasher = hashlib.sha256()
    digest_documents(hasher, docs)
    return hasher.hexdigest()


def test_every_field_of_every_document_changes_the_digest() -> None:
    assert _digest(DOC) == _digest(DOC)
    changed = {
        name: _digest(dataclasses.replace(DOC, **{name: value}))
        for name, value in [
            ("ref", "1"), ("title", "Gas Talks"), ("authors", ("A. Writer", "B")),
            ("agency", ""), ("body", "Oil and gas!"), ("url", "x.html"), ("date", ""),
            ("excerpt", "Oil"),
        ]
    }  # fmt: skip
    assert len({_digest(DOC), *changed.values()}) == len(changed) + 1
    assert [field.name for field in dataclasses.fields(SearchDoc)] == list(changed)


def test_text_moved_between_fields_or_documents_changes_the_digest() -> None:
    moved = dataclasses.replace(DOC, ref="0G", title="as talks")  # (fields side by side)
    assert _digest(DOC) != _digest(moved)
    assert _digest(DOC, DOC) != _digest(DOC)
    odd = dataclasses.replace(DOC, body="lone surrogate \ud800 kept")
    assert _digest(odd) != _digest(DOC)
