"""Kept answers equal fresh ones, and are dropped as soon as the indexed titles change."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from related.matching import TitleIndex
from related.memo import MemoisedTitleIndex, records_key
from sitewide.state import load_keyed, save_keyed

RECORDS = [
    (0, "Armenia and Azerbaijan agree to a ceasefire", datetime(2020, 10, 10)),
    (1, "Armenia, Azerbaijan agree to cease-fire", datetime(2020, 10, 26)),
    (2, "Russia sends peacekeepers to Karabakh", datetime(2020, 11, 10)),
    (3, "Oil prices fall again", datetime(2020, 11, 11)),
]
QUESTIONS = [
    ("Armenia and Azerbaijan agree to ceasefire", 3, datetime(2020, 11, 11)),
    ("Russia sends peace-keepers to Karabakh", 0, datetime(2020, 12, 1)),
    ("Oil prices fall again", 3, datetime(2020, 11, 11)),  # only itself: unresolved
    ("Nothing like it at all", 2, datetime(2020, 11, 12)),
]


def _ask(memo):
    return [memo.resolve(t, source_key=k, source_date=d) for t, k, d in QUESTIONS]


def _memo(records, threshold, kept=None):
    """A memo with what the last build kept in ``kept`` (as the glue loads it)."""
    previous = load_keyed(kept, records_key(records, threshold)) if kept else None
    return MemoisedTitleIndex(records, threshold=threshold, previous=previous or {})


def _keep(memo, records, threshold, path):
    save_keyed(path, records_key(records, threshold), memo.answers)
    return path


def test_answers_equal_the_index_and_are_reused_while_records_are_the_same(tmp_path):
    fresh = TitleIndex(RECORDS)
    expected = [fresh.resolve(t, source_key=k, source_date=d) for t, k, d in QUESTIONS]
    first = _memo(RECORDS, 80.0)
    assert _ask(first) == expected
    assert sum(m is not None for m in expected) == 2, "the questions must mix hits and misses"
    again = _memo(RECORDS, 80.0, _keep(first, RECORDS, 80.0, tmp_path / "answers"))
    assert _ask(again) == expected
    assert again.reused == len(QUESTIONS)
    assert again._index is None, "nothing asked anew, so no index was built"


def test_a_changed_title_or_threshold_discards_every_kept_answer(tmp_path):
    first = _memo(RECORDS, 80.0)
    _ask(first)
    kept = _keep(first, RECORDS, 80.0, tmp_path / "answers")
    renamed = [*RECORDS[:2], (2, "Turkey sends drones", RECORDS[2][2]), RECORDS[3]]
    changed = _memo(renamed, 80.0, kept)
    assert changed.resolve(*QUESTIONS[1][:1], source_key=0, source_date=QUESTIONS[1][2]) is None
    assert changed.reused == 0
    stricter = _memo(RECORDS, 99.0, kept)
    _ask(stricter)
    assert stricter.reused == 0


_WORDS = ["armenia", "azerbaijan", "ceasefire", "russia", "karabakh", "peacekeepers", "oil",
          "prices", "talks", "moscow", "drones", "turkey", "sanctions", "vaccine", "lockdown",
          "protest", "election", "minsk", "border", "truce",
          "the", "for", "to", "in", "of"]  # fmt: skip


def _title_maker(rng: random.Random) -> Callable[[], str]:
    """Random titles of 2-6 words from a small newsroom vocabulary."""
    return lambda: " ".join(rng.sample(_WORDS, rng.randint(2, 6)))


def test_answers_carried_past_edited_titles_equal_a_fresh_index():
    """After titles and dates change, kept answers plus the ones asked anew are the fresh ones."""
    rng = random.Random(5)
    title = _title_maker(rng)

    records = [(i, title(), datetime(2020, 1 + i % 12, 1 + i % 28)) for i in range(150)]
    questions = [(title(), rng.randrange(150), datetime(2020, 6, 1)) for _ in range(300)]
    questions += [(records[k][1], rng.randrange(150), None) for k in range(0, 150, 3)]
    memo = MemoisedTitleIndex(records, threshold=80.0, previous={})
    for t, k, d in questions:
        memo.resolve(t, source_key=k, source_date=d)
    carried_total = 0
    for step in range(15):
        records = list(records)
        for _ in range(rng.choice((1, 1, 3))):
            i = rng.randrange(len(records))
            key, old, date = records[i]
            records[i] = (key, title(), date) if step % 4 else (key, old, datetime(2021, 1, 1))
        memo = MemoisedTitleIndex(
            records, threshold=80.0, previous={}, earlier=(memo._records, memo.answers)
        )
        fresh = TitleIndex(records, threshold=80.0)
        for t, k, d in questions:
            assert memo.resolve(t, source_key=k, source_date=d) == fresh.resolve(
                t, source_key=k, source_date=d
            ), (step, t)
        carried_total += memo.reused
    assert carried_total > 0, "some answers must have been carried"


def test_a_short_question_is_asked_anew_when_any_title_changes():
    """'Ceasefire' shares no word with 'Cease fire', yet matches it: a short question scores
    every title, so an edited title it never shared a word with can still become its answer."""
    before = [(0, "Oil prices fall", None), (1, "Markets close higher", None)]
    after = [(0, "Oil prices fall", None), (1, "Cease fire", None)]
    memo = MemoisedTitleIndex(before, threshold=80.0, previous={})
    assert memo.resolve("Ceasefire", source_key=5) is None
    memo = MemoisedTitleIndex(after, threshold=80.0, previous={}, earlier=(before, memo.answers))
    assert memo.resolve("Ceasefire", source_key=5) == TitleIndex(after).resolve(
        "Ceasefire", source_key=5
    )
    assert memo.resolve("Ceasefire", source_key=5).key == 1


def test_answers_carried_past_articles_coming_and_going_equal_a_fresh_index():
    """Keys are positions: after articles come or go, kept answers are filed under the keys
    their articles have now, and equal what a fresh index answers."""
    rng = random.Random(9)
    title = _title_maker(rng)

    # Articles by name, in a fixed order (as the generator sorts them); keys are positions.
    articles = [(f"a{i:04d}", title(), datetime(2020, 1 + i % 12, 1 + i % 28)) for i in range(150)]
    questions = [(title(), rng.randrange(150), datetime(2020, 6, 1)) for _ in range(300)]
    questions += [(articles[k][1], rng.randrange(150), None) for k in range(0, 150, 3)]

    def records() -> list[tuple[int, str, datetime]]:
        return [(k, t, d) for k, (_, t, d) in enumerate(articles)]

    memo = MemoisedTitleIndex(records(), threshold=80.0, previous={})
    for t, k, d in questions:
        memo.resolve(t, source_key=k, source_date=d)
    carried_total = 0
    for step in range(12):
        before = [name for name, _, _ in articles]
        if step % 2:
            del articles[rng.randrange(len(articles))]
        else:
            # A title some question asks for: its answer must change.
            cited = rng.choice(questions)[0]
            articles.insert(rng.randrange(len(articles)), (f"a{step:04d}b", cited, None))
        now = {name: k for k, (name, _, _) in enumerate(articles)}
        moved = {k: now[name] for k, name in enumerate(before) if name in now}
        memo = MemoisedTitleIndex(
            records(),
            threshold=80.0,
            previous={},
            earlier=(memo._records, memo.answers),
            moved=moved,
        )
        fresh = TitleIndex(records(), threshold=80.0)
        for t, k, d in questions:
            k = k % len(articles)
            assert memo.resolve(t, source_key=k, source_date=d) == fresh.resolve(
                t, source_key=k, source_date=d
            ), (step, t)
        carried_total += memo.reused
    assert carried_total > 0, "some answers must have been carried"


def test_answers_made_ahead_in_parts_equal_the_index_and_are_not_counted_as_reused():
    import pickle

    from related.memo import question_key

    fresh = TitleIndex(RECORDS)
    expected = [fresh.resolve(t, source_key=k, source_date=d) for t, k, d in QUESTIONS]
    questions = [(question_key(t, k, d), t, k, d) for t, k, d in QUESTIONS]
    sent: list[list] = []

    def spread(function, parts, shared):
        shared = pickle.loads(pickle.dumps(shared))  # as a worker receives it
        for part in parts:
            sent.append([question for question, *_ in part])
            yield function(pickle.loads(pickle.dumps(part)), shared)

    memo = _memo(RECORDS, 80.0)
    memo.answer_in_parts(questions, spread, 3)
    assert len(sent) == 2, "4 questions in parts of 2"
    assert sorted(q for part in sent for q in part) == sorted(q for q, *_ in questions)
    assert _ask(memo) == expected
    assert _ask(memo) == expected, "asked again (a title cited twice): the same answers"
    assert memo._index is None, "every answer was made ahead: none here"
    assert memo.reused == 0
    assert list(memo.answers) == [q for q, *_ in questions]


def test_questions_answered_by_the_last_build_are_not_sent_to_the_tasks(tmp_path):
    from related.memo import question_key

    first = _memo(RECORDS, 80.0)
    _ask(first)
    kept = _keep(first, RECORDS, 80.0, tmp_path / "answers")
    extra = ("Russia sends peacekeepers to Karabakh", 1, datetime(2020, 11, 30))
    questions = [(question_key(t, k, d), t, k, d) for t, k, d in [*QUESTIONS, extra]]
    sent: list[str] = []

    def spread(function, parts, shared):
        for part in parts:
            sent.extend(question for question, *_ in part)
            yield function(part, shared)

    again = _memo(RECORDS, 80.0, kept)
    again.answer_in_parts(questions, spread, 4)
    assert sent == [questions[-1][0]], "only the question the last build did not answer"
    assert again.resolve(extra[0], source_key=1, source_date=extra[2]) == TitleIndex(
        RECORDS
    ).resolve(extra[0], source_key=1, source_date=extra[2])


def test_no_title_index_is_built_to_carry_no_answers():
    """An archive citing nothing: an article added builds no index for answers it lacks."""
    memo = MemoisedTitleIndex(
        RECORDS, threshold=80.0, previous={}, earlier=(RECORDS[:3], {}), moved={0: 0, 1: 1, 2: 2}
    )
    assert memo._index is None
    assert _ask(memo) == [
        TitleIndex(RECORDS).resolve(t, source_key=k, source_date=d) for t, k, d in QUESTIONS
    ]


def test_answers_are_carried_without_building_a_title_index(monkeypatch):
    """Carrying last build's answers past an added article reads only which words are indexed:
    no whole title index is built for it (at 100,000 articles, 257 MB of the build process)."""
    import related.memo as memo_module

    built: list[int] = []

    class CountingIndex(TitleIndex):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    first = MemoisedTitleIndex(RECORDS[:3], threshold=80.0, previous={})
    for t, k, d in QUESTIONS:
        first.resolve(t, source_key=min(k, 2), source_date=d)
    monkeypatch.setattr(memo_module, "TitleIndex", CountingIndex)
    memo = MemoisedTitleIndex(
        RECORDS,
        threshold=80.0,
        previous={},
        earlier=(RECORDS[:3], first.answers),
        moved={0: 0, 1: 1, 2: 2},
    )
    assert built == [] and memo._previous, "answers carried, no index built"
    carried = next(iter(memo._previous))
    key, _date, title = carried.split("\x1f", 2)
    memo.answer(carried, title, int(key), None)
    assert built == [], "a carried answer is given without an index"


def test_indexed_words_are_the_words_a_title_index_posts_titles_under():
    """What carrying answers reads instead of an index must be exactly that index's words."""
    from related.matching import indexed_words

    rng = random.Random(11)
    title = _title_maker(rng)
    titles = [title() for _ in range(300)] + ["The and of", "", "Cease-fire, ceasefire!"]
    records = [(i, t, None) for i, t in enumerate(titles)]
    assert indexed_words(titles) == set(TitleIndex(records)._postings)


def test_a_question_sharing_only_stopwords_with_an_added_title_keeps_its_answer():
    """'the' and 'for' are posted under no title: an article added whose title shares only them
    with a question cannot change its answer, so it is carried (one seed added at 100,000
    asked four times as many questions anew when they counted)."""
    first = MemoisedTitleIndex(RECORDS, threshold=80.0, previous={})
    question = "Russia sends peace-keepers to Karabakh for the talks"
    sharing = "Oil prices fall again in Moscow"
    first.resolve(question, source_key=3, source_date=None)
    first.resolve(sharing, source_key=2, source_date=None)
    added = [*RECORDS, (4, "The case for the lockdown", None)]
    added_oil = [*RECORDS, (4, "Oil for the people", None)]
    moved = {0: 0, 1: 1, 2: 2, 3: 3}
    for records, kept, asked in ((added, 2, 0), (added_oil, 1, 1)):
        memo = MemoisedTitleIndex(
            records, threshold=80.0, previous={}, earlier=(RECORDS, first.answers), moved=moved
        )
        fresh = TitleIndex(records, threshold=80.0)
        for title, key in ((question, 3), (sharing, 2)):
            assert memo.resolve(title, source_key=key) == fresh.resolve(title, source_key=key)
        assert (memo.reused, len(memo.answers) - memo.reused) == (kept, asked)
