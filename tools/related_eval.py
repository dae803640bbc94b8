"""Measure related-title resolution on a generated archive with known answers.

``python -m tools.related_eval --count N`` (or ``invoke related-eval``)
generates (or reuses) a synthetic archive, whose ground truth says which
article each ``Related article`` line cites, or that it cites nothing in the
archive, reads every file with the seed parser (titles, dates and cited titles
as a build reads them, in every layout the generator writes) and runs the
plugin's matcher over every citation. A citation of a headline that several
articles share counts as right when it resolves to any of them (the ground
truth lists them as ``candidates``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from plugins.seed_reader.parser import parse_seed_bytes
from tools.bench import prepare_archive
from tools.title_evaluation import Case, Evaluation, evaluate

Records = list[tuple[str, str, datetime]]


def cases_from_ground_truth(truth: dict) -> tuple[Records, list[Case]]:
    """Records (file, title, date) of built articles and one case per related line."""
    dates = {a["file"]: datetime.fromisoformat(a["date"]) for a in truth["articles"]}
    records = [(a["file"], a["title"], dates[a["file"]]) for a in truth["articles"]]
    cases = [
        Case(
            title=item["text"],
            source_key=item["citing"],
            source_date=dates.get(item["citing"]),
            expected=item["target"],
            kind=item["variant"],
        )
        for item in truth["related"]
        if item["citing"] in dates
    ]
    return records, cases


def cases_from_seed_files(folder: Path, truth: dict) -> tuple[Records, list[Case]]:
    """Like :func:`cases_from_ground_truth`, with every title as the parser reads the files.

    A related line the parser did not read becomes a case with an empty title (a miss).
    """
    records: Records = []
    cited: dict[str, tuple[str, ...]] = {}
    dates: dict[str, datetime] = {}
    for article in truth["articles"]:
        seed = parse_seed_bytes((folder / article["file"]).read_bytes())
        dates[article["file"]] = datetime.combine(seed.date, datetime.min.time())
        records.append((article["file"], seed.title, dates[article["file"]]))
        cited[article["file"]] = seed.related_titles
    cases = [
        Case(
            title=_nth(cited[item["citing"]], item["index"]),
            source_key=item["citing"],
            source_date=dates[item["citing"]],
            expected=item["target"],
            kind=item["variant"],
        )
        for item in truth["related"]
        if item["citing"] in dates
    ]
    return records, cases


def _nth(titles: tuple[str, ...], index: int) -> str:
    return titles[index] if index < len(titles) else ""


def accept_shared_headlines(result: Evaluation, truth: dict) -> Evaluation:
    """Count a wrong target as right when it is another article with the cited headline."""
    candidates = {r["target"]: set(r.get("candidates") or []) for r in truth["related"]}
    still_wrong = []
    for case, got in result.errors:
        if got is not None and got in candidates.get(case.expected, set()):
            result.wrong_target -= 1
            result.correct += 1
        else:
            still_wrong.append((case, got))
    result.errors = still_wrong
    return result


def main(argv: list[str] | None = None) -> int:
    """Print precision and recall for a generated archive."""
    parser = argparse.ArgumentParser(prog="python -m tools.related_eval")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    folder = prepare_archive(options.count, options.seed)
    truth = json.loads(Path(folder, "_ground_truth.json").read_text("utf-8"))
    records, cases = cases_from_seed_files(folder, truth)
    result = accept_shared_headlines(evaluate(records, cases), truth)
    print(f"Related titles on {options.count} generated seeds ({len(cases)} citations, as parsed):")
    print("  " + result.summary())
    for case, got in result.errors[:10]:
        print(f"  miss/wrong: {case.title!r} ({case.kind}) -> {got} (expected {case.expected})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
