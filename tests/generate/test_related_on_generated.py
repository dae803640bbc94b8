"""The related-title matcher on a generated archive: no wrong link, (almost) nothing missed."""

from __future__ import annotations

import json

import pytest

from tools.generate import generate_archive
from tools.related_eval import (
    accept_shared_headlines,
    cases_from_ground_truth,
    cases_from_seed_files,
)
from tools.title_evaluation import evaluate


@pytest.mark.parametrize("read", ["ground truth", "seed files"])
def test_precision_and_recall_on_a_generated_archive(tmp_path, read):
    folder = tmp_path / "seeds"
    generate_archive(600, folder, seed=7)
    truth = json.loads((folder / "_ground_truth.json").read_text("utf-8"))
    if read == "seed files":  # titles and citations as the parser reads every layout
        records, cases = cases_from_seed_files(folder, truth)
    else:
        records, cases = cases_from_ground_truth(truth)
    assert len(cases) > 300
    result = accept_shared_headlines(evaluate(records, cases), truth)
    assert result.wrong == 0, result.errors[:5]
    assert result.precision == 1.0
    assert result.recall >= 0.98, result.summary()
    assert result.rejected > 0, "citations of missing articles stay unresolved"
