"""'More on this': TF-IDF neighbours found through a pruned inverted index."""

import random

from related.similar import IncrementalSimilarity, SimilarityStats, similar_documents, tokenize
from sitewide.parts import Made

DOCS = [
    ("lockdown-1", "Moscow Extends Coronavirus Lockdown Until May 11",
     "Mayor Dummyanin said the capital's lockdown and self-isolation regime will stay."),
    ("lockdown-2", "Dummyanin Eases Moscow Lockdown as Coronavirus Cases Fall",
     "Moscow's mayor lifted parts of the self-isolation regime on Monday."),
    ("lockdown-3", "Moscow Lockdown: What Changes on Monday",
     "Residents of Moscow may walk outside under the eased self-isolation rules."),
    ("karabakh-1", "Examplov Says Russia Will Defend Armenia if Conflict Spreads",
     "Fighting in Nagorno-Karabakh between Armenia and Azerbaijan has killed hundreds."),
    ("karabakh-2", "Russia Calls for New Karabakh Ceasefire After Talks in Moscow",
     "Armenia and Azerbaijan accused each other of breaking the Karabakh truce."),
    ("karabakh-3", "Armenian Families Watch Karabakh War as Chancellery Keeps Its Distance",
     "Men with family in Armenia follow the Karabakh fighting from Moscow."),
    ("loremov-1", "Loremov Poisoned With Novichok, German Government Says",
     "Berlin said tests showed the opposition politician was poisoned."),
    ("loremov-2", "Loremov Leaves Berlin Hospital After Novichok Poisoning",
     "The Chancellery critic spent weeks in a Berlin clinic."),
]  # fmt: skip


def topics(result: dict[str, list[tuple[str, float]]], key: str) -> set[str]:
    return {other.split("-")[0] for other, _ in result[key]}


def test_similar_stays_on_topic_and_never_lists_itself() -> None:
    result = similar_documents(DOCS, top_k=2)
    for key, pairs in result.items():
        assert key not in {other for other, _ in pairs}
        assert topics(result, key) <= {key.split("-")[0]}, (key, pairs)
    assert [other for other, _ in result["loremov-1"]] == ["loremov-2"]
    assert all(0 < score <= 1 for pairs in result.values() for _, score in pairs)


def test_excluded_articles_are_not_listed() -> None:
    result = similar_documents(DOCS, min_score=0.0, exclude={"karabakh-1": ["karabakh-2"]})
    listed = [other for other, _ in result["karabakh-1"]]
    assert "karabakh-2" not in listed
    assert "karabakh-3" in listed


def test_top_k_min_score_and_determinism() -> None:
    assert all(len(p) <= 1 for p in similar_documents(DOCS, top_k=1).values())
    assert similar_documents(DOCS, min_score=0.99) == {key: [] for key, *_ in DOCS}
    assert similar_documents(DOCS) == similar_documents(list(DOCS))
    assert similar_documents(DOCS[:1]) == {"lockdown-1": []}


def test_tokenize_drops_stopwords_and_numbers_and_folds_plurals() -> None:
    assert tokenize("The Sanctions on Russia's Banks Until May 11") == [
        "sanction",
        "russia",
        "bank",
        "may",
    ]


def test_work_per_document_is_bounded() -> None:
    """Candidates come from a pruned index: no all-pairs comparison."""
    rng = random.Random(7)
    places = ["Moscow", "Kazan", "Omsk", "Tomsk", "Perm", "Sochi", "Ufa", "Samara"]
    people = ["Examplov", "Loremov", "Dummyanin", "Placeholdov", "Ipsumov", "Dolorev", "Nescio"]
    events = ["Lockdown", "Protest", "Election", "Flood", "Fire", "Strike", "Trial"]
    docs = [
        (
            i,
            f"{rng.choice(people)} Comments on {rng.choice(events)} in {rng.choice(places)}",
            " ".join(rng.choices(places + people + events, k=12)),
        )
        for i in range(3000)
    ]
    stats = SimilarityStats()
    result = similar_documents(docs, query_terms=5, max_postings=50, candidates=20, stats=stats)
    n = len(docs)
    assert stats.documents == n
    assert stats.postings_scanned <= n * 5 * 50
    assert stats.cosines_computed <= n * (20 + 1)  # all pairs: n * (n - 1)
    assert stats.truncated_terms  # the pruning path ran
    assert sum(1 for pairs in result.values() if pairs) > 0.9 * n


def _corpus(rng: random.Random, n: int) -> list[tuple[int, str, str]]:
    """Synthetic titles and leads from a small vocabulary: many shared terms, long postings."""
    words = [f"{a}{b}" for a in ("lor", "ips", "dol", "sit", "amet", "cons", "adip") for b in
             ("ana", "eko", "ira", "ovo", "uma")]  # fmt: skip
    return [
        (i, " ".join(rng.choices(words, k=6)), " ".join(rng.choices(words, k=rng.randint(0, 20))))
        for i in range(n)
    ]


def test_incremental_runs_answer_as_runs_from_scratch() -> None:
    """Edits of titles, leads and exclusions, one or many at a time: the same answer, bit for bit."""
    rng = random.Random(11)
    docs = _corpus(rng, 400)
    words = sorted({w for _, title, lead in docs for w in f"{title} {lead}".split()})
    options = {"top_k": 4, "min_score": 0.05, "max_postings": 15, "candidates": 8}
    exclude: dict[int, set[int]] = {}
    incremental = IncrementalSimilarity()
    assert incremental.run(docs, exclude=exclude, **options) == similar_documents(
        docs, exclude=exclude, **options
    )
    for step in range(40):
        for _ in range(rng.choice((1, 1, 1, 3, 20))):
            i = rng.randrange(len(docs))
            key, title, lead = docs[i]
            if rng.random() < 0.5:
                title = " ".join(rng.choices(words, k=rng.randint(1, 8)))
            else:
                lead = f"{lead} {rng.choice(words)} brandnewterm{step}"
            docs[i] = (key, title, lead)
        if step % 5 == 0:
            exclude = {rng.randrange(400): {rng.randrange(400)} for _ in range(30)}
        stats = SimilarityStats()
        answer = incremental.run(docs, exclude=exclude, stats=stats, **options)
        assert answer == similar_documents(docs, exclude=exclude, **options), step
    # A word said once more: only that text's vector moves, and only the answers reading it.
    key, title, lead = docs[7]
    docs[7] = (key, title, f"{lead} {title.split()[0]}")
    stats, scratch = SimilarityStats(), SimilarityStats()
    answer = incremental.run(docs, exclude=exclude, stats=stats, **options)
    assert answer == similar_documents(docs, exclude=exclude, stats=scratch, **options)
    assert 0 < stats.cosines_computed < scratch.cosines_computed / 4


def test_articles_coming_and_going_answer_as_runs_from_scratch() -> None:
    """Every idf moves: vectors computed again, candidates reused where the postings held."""
    rng = random.Random(3)
    # A vocabulary as a newsroom's: many words, few of them common (Zipf-like).
    letters = "bcdfghjklmnpqrstvwxz"
    vocabulary = [
        f"{letters[i // 400]}{letters[i // 20 % 20]}a{letters[i % 20]}o" for i in range(2000)
    ]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]

    def text(k: int) -> str:
        return " ".join(rng.choices(vocabulary, weights, k=k))

    docs = [(i, text(6), text(25)) for i in range(300)]
    incremental = IncrementalSimilarity()
    incremental.run(docs)
    for step in range(12):
        if step % 2:
            del docs[rng.randrange(len(docs))]
        else:
            docs.insert(rng.randrange(len(docs)), (1000 + step, text(6), text(25)))
        stats, scratch = SimilarityStats(), SimilarityStats()
        answer = incremental.run(docs, stats=stats)
        assert answer == similar_documents(docs, stats=scratch), step
        assert stats.postings_scanned < scratch.postings_scanned  # candidates reused
    assert incremental.run(docs, top_k=2) == similar_documents(docs, top_k=2)


def test_answers_asked_late_or_never_are_those_of_a_run_from_scratch() -> None:
    """The dev server asks for the page in view first, the rest later, or never before the
    next save: whatever was left unasked, each answer is the one a run from scratch gives."""
    rng = random.Random(5)
    letters = "bcdfghjklmnpqrstvwxz"
    vocabulary = [f"{letters[i // 20]}a{letters[i % 20]}o" for i in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]

    def text(k: int) -> str:
        return " ".join(rng.choices(vocabulary, weights, k=k))

    docs = [(i, text(6), text(25)) for i in range(300)]
    options = {"max_postings": 20, "candidates": 10}
    incremental = IncrementalSimilarity()
    for step in range(60):
        kind = rng.random()
        if kind < 0.15 and step:
            del docs[rng.randrange(len(docs))]
        elif kind < 0.3:
            docs.insert(rng.randrange(len(docs)), (1000 + step, text(6), text(25)))
        else:
            for i in rng.sample(range(len(docs)), k=rng.choice((1, 5))):
                key, title, lead = docs[i]
                docs[i] = (key, text(6) if rng.random() < 0.5 else title, f"{lead} {text(3)}")
        answers = incremental.prepare(docs, **options)
        scratch = similar_documents(docs, **options)
        keys = [key for key, _, _ in docs]
        asked = rng.sample(keys, k=rng.choice((0, 0, 1, 40, len(keys))))  # in any order
        for key in asked:
            assert answers.answer(key) == scratch[key], (step, key)
    assert incremental.prepare(docs, **options).result() == similar_documents(docs, **options)


def test_an_answer_left_unasked_is_not_carried_past_a_later_change() -> None:
    """After an article came, an unasked answer may reuse its last candidates; once a later
    edit brings it a new candidate, it may not."""
    docs = [
        (0, "zebra yak", ""),
        (1, "zebra yak", ""),
        (2, "lemon mango", ""),
        (3, "lemon kiwi", ""),
    ]
    incremental = IncrementalSimilarity()
    incremental.run(docs)
    docs.append((4, "papaya", ""))
    incremental.prepare(docs)  # nothing asked before the next change
    docs[3] = (3, "zebra yak", "")
    answers = incremental.prepare(docs)
    assert [key for key, _ in answers.answer(0)] == [1, 3]
    assert answers.result() == similar_documents(docs)


def test_an_answer_reading_a_reordered_posting_list_is_made_again() -> None:
    """A truncated posting list reordered by an edit elsewhere is made again when read, and
    an answer that read it is checked first: here the edited article enters the list the
    first one probes, without either of them moving otherwise."""
    options = {"max_postings": 2, "candidates": 5, "top_k": 5, "min_score": 0.0}
    docs = [
        (0, "zebra", ""),
        (1, "zebra mango papaya", ""),
        (2, "zebra", ""),
        (3, "zebra kiwi", ""),
        (4, "lemon", ""),
        (5, "lemon", ""),
    ]
    incremental = IncrementalSimilarity()
    assert [key for key, _ in incremental.run(docs, **options)[0]] == [2]
    docs[1] = (1, "zebra", "")
    answers = incremental.prepare(docs, **options)
    scratch = similar_documents(docs, **options)
    assert [key for key, _ in scratch[0]] == [1]
    assert answers.answer(0) == scratch[0]
    assert answers.result() == scratch


def _pickling_spread(calls: list[int], made: list[bool] | None = None):
    """A ``spread`` that sends every part and the shared model through pickle, as to a worker."""
    import pickle

    def spread(function, parts, shared):
        calls.append(len(parts))
        if made is not None:
            made.append(isinstance(shared, Made))
        shared = pickle.loads(pickle.dumps(shared))  # once, as a worker keeps it
        if isinstance(shared, Made):  # made by a task, sent on pickled
            shared = pickle.loads(pickle.dumps(shared.make()))
        for part in reversed(parts):  # finishing in any order
            yield pickle.loads(pickle.dumps(function(pickle.loads(pickle.dumps(part)), shared)))

    return spread


def test_answers_computed_in_parts_are_the_answers_computed_here() -> None:
    rng = random.Random(17)
    docs = _corpus(rng, 400)
    exclude = {key: {(key + 1) % 400} for key in range(0, 400, 3)}
    here_stats, parts_stats = SimilarityStats(), SimilarityStats()
    here = similar_documents(docs, exclude=exclude, stats=here_stats)
    calls: list[int] = []
    made: list[bool] = []
    in_parts = similar_documents(
        docs, exclude=exclude, stats=parts_stats, spread=_pickling_spread(calls, made), parts=7
    )
    assert calls == [7], "one map, in the parts asked for"
    assert made == [True], "the model is made where the tasks run, not handed to the map"
    assert in_parts == here
    assert list(in_parts) == list(here), "every key, in input order"
    assert sum(bool(pairs) for pairs in here.values()) > 300
    assert (parts_stats.postings_scanned, parts_stats.cosines_computed) == (
        here_stats.postings_scanned,
        here_stats.cosines_computed,
    )


def test_a_one_off_model_keeps_only_what_its_answers_need() -> None:
    """What only an update reads (texts, term counts, candidates, probe terms) is not kept."""
    from related.similar import _Model, _Params

    rng = random.Random(5)
    docs = _corpus(rng, 200)
    kept = _Model(docs, {}, _Params(), SimilarityStats())
    one_off = _Model(docs, {}, _Params(), SimilarityStats(), one_off=True)
    assert one_off.result() == kept.result()
    assert not one_off.counts and not one_off.texts
    assert all(not q.probe and not q.considered for q in one_off.queries.values())
    assert kept.counts and all(q.considered for q in kept.queries.values() if q.result)
