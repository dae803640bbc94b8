"""The index built in a worker process is the index built in-process."""

from __future__ import annotations

import lunr_search.background as background
from lunr_search.documents import number_documents
from lunr_search.index_builder import DEFAULT_BOOSTS

from .synthetic import synthetic_inputs


def test_worker_build_equals_in_process_build(monkeypatch):
    docs = number_documents(synthetic_inputs(60))
    expected = background.serialized_index(docs, DEFAULT_BOOSTS)
    monkeypatch.setattr(background, "MIN_DOCS", 1)
    job = background.IndexJob(docs, DEFAULT_BOOSTS)
    assert job._future is not None, "a worker was started"
    assert job.result() == expected


def test_small_archives_build_in_process():
    docs = number_documents(synthetic_inputs(5))
    job = background.IndexJob(docs, DEFAULT_BOOSTS)
    assert job._future is None
    assert job.result() == background.serialized_index(docs, DEFAULT_BOOSTS)
