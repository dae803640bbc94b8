"""Thin Pelican glue: read settings, call the pure modules, hand results to articles.

Signal: ``article_generator_finalized``. It fires once every article has been read and
sorted, hands us the ``ArticlesGenerator`` itself (articles, translations, hidden
articles) and comes before anything is written, before ``all_generators_finalized``
plugins and before Pelican refreshes intersite links, so content, templates and feeds
all see the rewritten related lines.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import blinker
from pelican import signals
from pelican.log import LimitFilter

from sitewide.links import link, relative_href
from sitewide.parts import Made
from sitewide.settings import public_siteurl, search_page
from sitewide.state import load_keyed, save_keyed

from .lazy import LazyList
from .matching import RelatedLink, invert_links
from .memo import MemoisedTitleIndex, Question, question_key, question_keys, records_key
from .normalize import normalize_title
from .rendering import RenderedRelated, replace_placeholders, search_href
from .similar import IncrementalSimilarity, similar_documents

logger = logging.getLogger(__name__)
# Pelican's LimitFilter drops any message already logged in this process, so a second
# build in the same process (tests, autoreload) would lose its report section. The
# report goes through a logger without that filter; warnings keep theirs on purpose.
report_logger = logging.getLogger(f"{__name__}.report")
for _filter in list(report_logger.filters):
    if isinstance(_filter, LimitFilter):
        report_logger.removeFilter(_filter)

#: Documented defaults; ``RELATED`` in pelicanconf.py is merged over them.
DEFAULTS: dict[str, Any] = {
    # fuzz.ratio cut-off (0-100) before the guard; see matching.DEFAULT_FUZZY_THRESHOLD
    "FUZZY_THRESHOLD": 80.0,
    # link unresolved titles to the archive search (when the site has a search page,
    # SEARCH_SAVE_AS; the query is appended as ?q=<title>)
    "SEARCH_LINKS": True,
    # "More on this": how many, and the minimum TF-IDF cosine
    "SIMILAR_COUNT": 5,
    "SIMILAR_MIN_SCORE": 0.2,
    # keep "More on this" in memory from one build to the next in the same process, and
    # redo only what a change reaches (the dev server sets it; a build uses the cache file)
    "KEEP_WARM": False,
    # from this many articles on, resolve related titles and compute "More on this" as
    # tasks on the build's cluster, when it has one running
    "CLUSTER_FROM": 1000,
    # from this many articles on, related work made anew (a title or lead changed, an
    # article came or went: questions no kept answer holds, "More on this") starts the
    # build's cluster if none is running: the title index (~2.6 KB an article) and the
    # similarity model (~5 KB an article) must not be made in the build process
    # (0: never started for it)
    "START_CLUSTER_FROM": 20000,
}


@dataclass
class _WarmAnswers:
    """The last build's related answers, with what they were made over.

    Kept in memory (``KEEP_WARM``) or in the cache folder (:func:`_save_answers`).
    """

    records: list[Any]
    answers: dict[str, Any]
    #: Each record's article by source file (keys are positions; files follow articles).
    names: list[str]
    records_key: str


#: "More on this", and the last related answers (by threshold), kept between builds of one
#: process (``KEEP_WARM``).
_warm_similarity = IncrementalSimilarity()
_warm_answers: dict[float, _WarmAnswers] = {}

LIMIT_MSG = "Further unresolved related articles are listed in the build report"


class RelatedSettingsError(ValueError):
    """The ``RELATED`` setting is malformed."""


def load_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``RELATED`` over the defaults and validate; never mutates ``settings``."""
    user = settings.get("RELATED") or {}
    if not isinstance(user, Mapping):
        raise RelatedSettingsError(f"RELATED: expected a dict, got {user!r}")
    unknown = sorted(set(user) - set(DEFAULTS))
    if unknown:
        raise RelatedSettingsError(
            f"RELATED: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(DEFAULTS))}"
        )
    merged = dict(DEFAULTS, **user)
    threshold = merged["FUZZY_THRESHOLD"]
    if not isinstance(threshold, int | float) or not 0 < threshold <= 100:
        raise RelatedSettingsError(
            f"RELATED: FUZZY_THRESHOLD must be in (0, 100], got {threshold!r}"
        )
    for name in ("SEARCH_LINKS", "KEEP_WARM"):
        if not isinstance(merged[name], bool):
            raise RelatedSettingsError(f"RELATED: {name} must be True or False")
    count = merged["SIMILAR_COUNT"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise RelatedSettingsError("RELATED: SIMILAR_COUNT must be an integer >= 0")
    if not isinstance(merged["SIMILAR_MIN_SCORE"], int | float):
        raise RelatedSettingsError("RELATED: SIMILAR_MIN_SCORE must be a number")
    least = merged["CLUSTER_FROM"]
    if isinstance(least, bool) or not isinstance(least, int) or least < 1:
        raise RelatedSettingsError("RELATED: CLUSTER_FROM must be an integer >= 1")
    least = merged["START_CLUSTER_FROM"]
    if isinstance(least, bool) or not isinstance(least, int) or least < 0:
        raise RelatedSettingsError("RELATED: START_CLUSTER_FROM must be an integer >= 0")
    return merged


def check_settings(pelican: Any) -> None:
    """Fail at start-up, not mid-build, on a bad ``RELATED`` setting."""
    load_settings(pelican.settings)


def _citation(target: Any, url: str, source_url: str, public: str) -> dict[str, str]:
    """schema.org ``NewsArticle`` for JSON-LD ``citation``.

    ``url`` is absolute when the public address is known, else relative to the citing
    page (the structured_data plugin's convention for every other JSON-LD URL).
    """
    url = link(public, url, source_url)
    item = {"@type": "NewsArticle", "headline": target.title, "url": url}
    if getattr(target, "date", None) is not None:
        item["datePublished"] = target.date.isoformat()
    if getattr(target, "source_url", ""):
        item["isBasedOn"] = target.source_url
    return item


@functools.lru_cache(maxsize=1 << 16)
def _story_key(title: str) -> str:
    """Group spellings of one missing title (``cease-fire``/``ceasefire`` included)."""
    return normalize_title(title).replace(" ", "")


def _date_text(article: Any) -> str:
    return getattr(article, "locale_date", "") or article.date.date().isoformat()


@dataclass
class _Tally:
    """What the build report's ``related`` section counts."""

    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("found", "resolved", "exact", "fuzzy", "unresolved"), 0
        )
    )
    # normalised title -> (spellings seen, citing files): one entry per missing story
    unresolved: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    fuzzy: list[dict[str, Any]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        missing = [
            {"title": max(spellings, key=spellings.count), "cited_in": sorted(set(files))}
            for spellings, files in self.unresolved.values()
        ]
        return {
            **self.counts,
            "unresolved_titles": sorted(missing, key=lambda m: (m["title"].casefold(), m["title"])),
            "fuzzy_matches": self.fuzzy,
        }


@dataclass
class _Linked:
    """One article's related titles resolved: what its page shows, what the report counts."""

    links: list[RelatedLink[Any]]
    #: The body with its placeholders replaced (None: it has none).
    content: str | None
    targets: list[int]
    citations: list[dict[str, str]]
    #: The questions asked of the title index, with their answers (kept for the next build).
    answers: dict[str, Any]
    unresolved: list[str]
    fuzzy: list[dict[str, Any]]
    methods: list[str]


def _link_one(
    article: Any,
    key: int,
    articles: list[Any],
    urls: list[str],
    index: MemoisedTitleIndex,
    config: Mapping[str, Any],
    public: str,
) -> _Linked:
    """Resolve one article's related titles and rewrite its placeholders (nothing is set)."""
    source = article.source_path  # as the seed reader reports it
    linked = _Linked([], None, [], [], {}, [], [], [])
    rendered: dict[int, RenderedRelated] = {}
    for position, title in enumerate(getattr(article, "related_titles", None) or []):
        question = question_key(title, key, article.date)
        match = index.answer(question, title, key, article.date)
        linked.answers[question] = index.answers[question]
        if match is None:
            linked.unresolved.append(title)
            linked.links.append(RelatedLink(title, "unresolved", None, "", position))
            search = (
                search_href(config["SEARCH_PAGE"], urls[key], title)
                if config["SEARCH_PAGE"]
                else None
            )
            rendered[position] = RenderedRelated(title=title, search_href=search)
            continue
        target = articles[match.key]
        linked.methods.append(match.method)
        if match.method == "fuzzy":
            linked.fuzzy.append(
                {
                    "title": title,
                    "matched": target.title,
                    "score": round(match.score, 1),
                    "cited_in": source,
                }
            )
        linked.targets.append(match.key)
        linked.links.append(
            RelatedLink(title, "resolved", target, match.method, position, match.score)
        )
        rendered[position] = RenderedRelated(
            title=target.title,
            href=relative_href(urls[match.key], urls[key]),
            date_iso=target.date.date().isoformat(),
            date_text=_date_text(target),
            method=match.method,
        )
    if rendered:
        linked.content = replace_placeholders(
            article._content, rendered, remember=config["KEEP_WARM"]
        )
    linked.citations = [
        _citation(articles[t], urls[t], urls[key], public) for t in dict.fromkeys(linked.targets)
    ]
    return linked


def _apply_linked(article: Any, linked: _Linked, tally: _Tally, warn: bool = True) -> None:
    """Hand ``linked`` to its article, count it, warn of the titles not in the archive.

    ``warn=False``: the same links as the last build of this process, whose warnings
    were given then (they are still counted for the report).
    """
    source = article.source_path
    article.related_links = list(linked.links)
    if linked.content is not None:
        article._content = linked.content
    article.citations = list(linked.citations)
    counts = tally.counts
    counts["found"] += len(linked.unresolved) + len(linked.methods)
    counts["resolved"] += len(linked.methods)
    for method in linked.methods:
        counts[method] += 1
    tally.fuzzy.extend(linked.fuzzy)
    for title in linked.unresolved:
        counts["unresolved"] += 1
        spellings, files = tally.unresolved.setdefault(_story_key(title), ([], []))
        spellings.append(title)
        files.append(source)
        if not warn:
            continue
        logger.warning(
            "Related article not in this archive: %r (cited in %s)",
            title,
            source,
            extra={"seed_file": source, "limit_msg": LIMIT_MSG},
        )


@dataclass
class _KeptLinks:
    """One article's :class:`_Linked`, with what it was made from (``KEEP_WARM``)."""

    article: Any
    content: str
    titles: list[str]
    #: The cited articles themselves (a cited article read again is a new object).
    cited: list[Any]
    linked: _Linked
    #: The article's URL and what its links show of each cited article (``_view``).
    url: str = ""
    views: list[tuple[Any, ...]] = field(default_factory=list)


class _WarmLinks:
    """Each article's related links kept from one build to the next in one process.

    While every article keeps its title, date and URL (a body edited), an
    answer of the title index and every link's text stay the same: an article
    whose body, related titles and cited articles are the same as last time
    gets last time's links (:meth:`get`).  When titles, dates or URLs changed
    (a title edited, an article added or deleted), an article whose questions
    get the same answers (carried, see ``memo.carried_answers``), whose URL is
    the same and whose cited articles show the same title, date and URL gets
    them too, its targets renumbered (:meth:`carried`).
    """

    def __init__(self) -> None:
        self.world: tuple[Any, ...] | None = None
        self.kept: dict[int, _KeptLinks] = {}

    def start(
        self, world: tuple[Any, ...], same_records: bool
    ) -> tuple[dict[int, _KeptLinks], bool]:
        """The links kept, and whether ``world`` (URLs, settings) and the records are the same.

        None are kept when the settings (``world`` but its URLs) changed.
        """
        last = self.world
        kept = self.kept if last is not None and world[1:] == last[1:] else {}
        self.world, self.kept = world, {}
        return kept, same_records and world == last

    def get(
        self, kept: dict[int, _KeptLinks], article: Any, articles: list[Any]
    ) -> _KeptLinks | None:
        """The entry kept for ``article`` if its links are still right, else None."""
        entry = kept.get(id(article))
        if (
            entry is None
            or entry.article is not article
            or entry.content is not article._content
            or entry.titles != (getattr(article, "related_titles", None) or [])
            or any(
                articles[t] is not cited
                for t, cited in zip(entry.linked.targets, entry.cited, strict=True)
            )
        ):
            return None
        return entry

    def carried(
        self,
        kept: dict[int, _KeptLinks],
        article: Any,
        key: int,
        articles: list[Any],
        urls: list[str],
        index: MemoisedTitleIndex,
    ) -> _Linked | None:
        """The links kept for ``article``, renumbered and kept again, if its page would show them.

        None: make them again.
        """
        entry = kept.get(id(article))
        titles = getattr(article, "related_titles", None) or []
        if (
            entry is None
            or entry.article is not article
            or entry.content is not article._content
            or entry.titles != titles
            or entry.url != urls[key]
        ):
            return None
        if not titles:  # most articles cite nothing: nothing to renumber
            self.carry(entry)
            return entry.linked
        targets: list[int] = []
        answers: dict[str, Any] = {}
        for shown, title, question in zip(
            entry.linked.links, titles, question_keys(titles, key, article.date), strict=True
        ):
            match = index.answer(question, title, key, article.date)
            answers[question] = index.answers[question]
            if match is None:
                if shown.target is not None:
                    return None
                continue
            target = articles[match.key]
            if (target, match.method, match.score) != (shown.target, shown.method, shown.score):
                return None
            targets.append(match.key)
        if [_view(articles[t], urls[t]) for t in targets] != entry.views:
            return None
        linked = copy.copy(entry.linked)
        linked.targets, linked.answers = targets, answers
        self.kept[id(article)] = dataclasses.replace(entry, linked=linked)
        return linked

    def carry(self, entry: _KeptLinks) -> None:
        """Keep an entry :meth:`get` found still right, for the next build."""
        self.kept[id(entry.article)] = entry

    def keep(
        self,
        article: Any,
        content: str,
        articles: list[Any],
        linked: _Linked,
        urls: list[str],
        key: int,
    ) -> None:
        """Keep ``article``'s links with what they were made from."""
        cited = [articles[t] for t in linked.targets]
        titles = list(getattr(article, "related_titles", None) or [])
        views = [_view(articles[t], urls[t]) for t in linked.targets]
        self.kept[id(article)] = _KeptLinks(
            article, content, titles, cited, linked, urls[key], views
        )


def _view(target: Any, url: str) -> tuple[Any, ...]:
    """What a link and a citation show of a cited article."""
    return (target.title, target.date, url, getattr(target, "source_url", ""))


#: Related links kept between builds of one process (``KEEP_WARM``).
_warm_links = _WarmLinks()


def _load_answers(path: Path | None, threshold: float) -> _WarmAnswers | None:
    """The last build's related answers, with what they were made over (same threshold)."""
    saved = load_keyed(path, repr(threshold))
    try:
        return _WarmAnswers(**saved) if isinstance(saved, dict) else None
    except TypeError:  # kept by other code with other fields (the build key says so too)
        return None


def _save_answers(path: Path | None, threshold: float, answers: _WarmAnswers) -> None:
    """Keep this build's answers for the next build (plain data, not our class).

    Answers made over other records still serve the next build where no changed
    title reaches them (``memo.carried_answers``): an article added or a title
    edited asks anew only the questions sharing a word with it.
    """
    save_keyed(path, repr(threshold), dict(vars(answers)))


def _cache_file(settings: dict[str, Any], name: str) -> Path | None:
    """Where to keep work between builds: only with Pelican's content cache on."""
    if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH"):
        return Path(settings["CACHE_PATH"]) / name
    return None


def _similar_cached(
    docs: list[tuple[int, str, str]],
    exclude: dict[int, set[int]],
    config: dict[str, Any],
    cache: Path | None,
) -> dict[int, list[tuple[int, float]]]:
    """``similar_documents``, reused from the last build when its inputs are the same."""
    key = hashlib.sha256(
        json.dumps(
            [
                docs,
                sorted((k, sorted(v)) for k, v in exclude.items()),
                config["SIMILAR_COUNT"],
                config["SIMILAR_MIN_SCORE"],
            ],
            ensure_ascii=False,
        ).encode("utf-8")
    ).hexdigest()
    saved = load_keyed(cache, key)
    if isinstance(saved, dict):
        return saved
    runner = _running_cluster(len(docs), config, start=_worth_starting(len(docs), config))
    result = similar_documents(
        docs,
        top_k=config["SIMILAR_COUNT"],
        min_score=config["SIMILAR_MIN_SCORE"],
        exclude=exclude,
        spread=None if runner is None else functools.partial(_spread, runner, "similar"),
        parts=0 if runner is None else runner.workers * TASKS_PER_WORKER,
    )
    save_keyed(cache, key, result)
    return result


def _questions(articles: list[Any]) -> list[Question]:
    """Every related title of every article, as a question for the title index."""
    questions: list[Question] = []
    for key, article in enumerate(articles):
        titles = getattr(article, "related_titles", None) or []
        for question, title in zip(question_keys(titles, key, article.date), titles, strict=True):
            questions.append((question, title, key, article.date))
    return questions


#: ``CLUSTER.send(sender, items=n, start=False)``: the build's task runner, if it has one
#: (see newsarchive/cluster.py); started for this alone only to answer questions or make
#: "More on this" anew from ``START_CLUSTER_FROM`` articles.
CLUSTER = blinker.signal("archive.cluster")
#: Tasks per worker: a few, so a slower worker does not hold up the end.
TASKS_PER_WORKER = 4


def _running_cluster(
    documents: int, config: Mapping[str, Any], *, start: bool = False
) -> Any | None:
    """The build's cluster runner when one is running and the work is worth it, else None.

    ``start``: start the build's cluster if none is running and the build would
    start one for this much work.
    """
    if documents < config["CLUSTER_FROM"]:
        return None
    for _receiver, runner in CLUSTER.send(__name__, items=documents, start=start):
        if runner is not None and runner.client is not None:
            return runner
    return None


def _worth_starting(documents: int, config: Mapping[str, Any]) -> bool:
    """Whether related work made anew over this many articles starts the build's cluster."""
    return 0 < config["START_CLUSTER_FROM"] <= documents


def _spread(
    runner: Any, phase: str, function: Callable[..., Any], parts: list[Any], shared: Any
) -> Any:
    """A ``spread`` (see ``similar`` and ``memo``) on the build's runner.

    ``shared`` goes to each worker once, then every task of the map names it; a
    :class:`~sitewide.parts.Made` is made by a task on the cluster instead.
    """
    if isinstance(shared, Made):
        handle = runner.share_made(shared.function, shared.argument, phase=phase)
    else:
        handle = runner.share(shared)
    try:
        yield from runner.map(function, parts, handle, phase=phase)
    finally:
        runner.forget(handle)


def _similar_warm(
    articles: list[Any],
    names: list[str],
    exclude: dict[int, set[int]],
    config: dict[str, Any],
) -> Callable[[int], list[Any]]:
    """Articles' "More on this" from the model kept in memory, each computed when asked.

    The page in view asks first, the rest while the site is written.  The model
    is keyed by source file: positions move when an article comes or goes, the
    source file names the same article from one build to the next.
    """
    docs = _documents(articles)
    if len(set(names)) < len(names):  # not one file per article: positions, then
        names = [str(k) for k in range(len(docs))]
    position = {name: k for k, name in enumerate(names)}
    # The model is brought to these documents when the first answer is asked for: the
    # page in view of a listing (the home page) never waits for it, nor does a change
    # left before any article page is written.
    answers = functools.cache(
        functools.partial(
            _warm_similarity.prepare,
            [(names[k], title, lead) for k, title, lead in docs],
            exclude={names[k]: {names[o] for o in others} for k, others in exclude.items()},
            top_k=config["SIMILAR_COUNT"],
            min_score=config["SIMILAR_MIN_SCORE"],
        )
    )
    return lambda key: [articles[position[other]] for other, _ in answers().answer(names[key])]


def _moved(earlier: list[str], names: list[str]) -> dict[int, int] | None:
    """Where each article of an earlier build is now, by source file (None: all in place)."""
    if earlier == names:
        return None
    now = {name: k for k, name in enumerate(names)}
    if len(now) < len(names) or len(set(earlier)) < len(earlier):  # not one file per article
        return {}
    return {k: now[name] for k, name in enumerate(earlier) if name in now}


def _documents(articles: list[Any]) -> list[tuple[int, str, str]]:
    """What "More on this" compares: each article's title and lead."""
    return [(k, a.title, getattr(a, "lead", "") or "") for k, a in enumerate(articles)]


def _exclusions(
    links: dict[int, list[int]], backlinks: dict[int, list[int]]
) -> dict[int, set[int]]:
    """Articles already linked either way are not listed again under "More on this".

    Only articles with a link either way have an entry (most have none).
    """
    return {k: linked for k in links if (linked := {*links[k], *backlinks.get(k, ())})}


def _date_and_title(article: Any) -> tuple[Any, str]:
    return (article.date, article.title)


def _config(generator: Any) -> dict[str, Any]:
    config = load_settings(generator.settings)
    config["SEARCH_PAGE"] = search_page(generator.settings) if config["SEARCH_LINKS"] else ""
    return config


def _linked_articles(generator: Any) -> list[Any]:
    """Published work only: drafts keep their placeholders, which read as plain text."""
    return [
        *generator.articles,
        *generator.translations,
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
    ]


def _set_similar(
    articles: list[Any],
    names: list[str],
    links: dict[int, list[int]],
    backlinks: dict[int, list[int]],
    config: dict[str, Any],
) -> None:
    """Hand each article its "More on this" (computed when read, ``KEEP_WARM``)."""
    similar_to = _similar_warm(articles, names, _exclusions(links, backlinks), config)
    for key, article in enumerate(articles):
        article.similar = LazyList(functools.partial(similar_to, key))


def _answer_on_cluster(
    index: MemoisedTitleIndex, questions: list[Question], articles: int, config: Mapping[str, Any]
) -> None:
    """Answer ahead on the build's cluster the questions no kept answer holds.

    A running cluster takes them; none running, one is started for them from
    ``START_CLUSTER_FROM`` articles (one seed added to a big archive: the title
    index must not be built in the build process).
    """
    todo = index.unanswered(questions)
    if not todo:
        return
    runner = _running_cluster(articles, config, start=_worth_starting(articles, config))
    if runner is not None:
        index.answer_in_parts(
            todo, functools.partial(_spread, runner, "related"), runner.workers * TASKS_PER_WORKER
        )


def link_articles(generator: Any) -> None:
    """Resolve related titles, rewrite content, set backlinks, similar and citations."""
    config = _config(generator)
    public = public_siteurl(generator.settings)
    articles = _linked_articles(generator)
    answers_file = _cache_file(generator.settings, "related_answers.pickle")
    records = [(i, a.title, a.date) for i, a in enumerate(articles)]
    names = [a.source_path for a in articles]
    warm = _warm_answers.get(config["FUZZY_THRESHOLD"]) if config["KEEP_WARM"] else None
    same = warm is not None and warm.records == records
    records_id = warm.records_key if same else records_key(records, config["FUZZY_THRESHOLD"])
    # Kept in memory, the last answers need no trip to the cache file and back.
    last = warm or _load_answers(answers_file, config["FUZZY_THRESHOLD"])
    index = MemoisedTitleIndex(
        records,
        threshold=config["FUZZY_THRESHOLD"],
        previous=last.answers if last and warm is None and last.records_key == records_id else {},
        earlier=None if last is None else (last.records, last.answers),
        moved=None if last is None else _moved(last.names, names),
    )
    if warm is None and len(articles) >= config["CLUSTER_FROM"]:
        _answer_on_cluster(index, _questions(articles), len(articles), config)
    urls = [a.url for a in articles]  # Pelican recomputes .url on every access
    tally = _Tally()
    links: dict[int, list[int]] = {}
    world = (urls, config["FUZZY_THRESHOLD"], config["SEARCH_PAGE"], public)
    kept, exact = _warm_links.start(world, same) if config["KEEP_WARM"] else ({}, False)
    made = 0  # articles whose links were made anew (not kept)
    for key, article in enumerate(articles):
        entry = _warm_links.get(kept, article, articles) if exact else None
        carried = None
        if entry is not None:
            linked = entry.linked
            index.answers.update(linked.answers)
            _warm_links.carry(entry)
        else:
            content = article._content
            carried = (
                _warm_links.carried(kept, article, key, articles, urls, index) if kept else None
            )
            linked = carried or _link_one(article, key, articles, urls, index, config, public)
            if carried is None:
                made += 1
                if config["KEEP_WARM"]:
                    _warm_links.keep(article, content, articles, linked, urls, key)
        _apply_linked(article, linked, tally, warn=entry is None and carried is None)
        links[key] = linked.targets

    made_answers = _WarmAnswers(records, index.answers, names, records_id)
    if made or not same:  # else the file holds these answers, saved under this key
        _save_answers(answers_file, config["FUZZY_THRESHOLD"], made_answers)
    if config["KEEP_WARM"]:
        _warm_answers.clear()
        _warm_answers[config["FUZZY_THRESHOLD"]] = made_answers
    backlinks = invert_links(links)
    for key, article in enumerate(articles):
        sources = backlinks.get(key)
        article.cited_by = (
            sorted((articles[s] for s in sources), key=_date_and_title) if sources else []
        )

    if not config["SIMILAR_COUNT"]:
        for article in articles:
            article.similar = []
    elif config["KEEP_WARM"]:
        _set_similar(articles, names, links, backlinks, config)
    else:
        cache = _cache_file(generator.settings, "related_similar.pickle")
        similar = _similar_cached(
            _documents(articles), _exclusions(links, backlinks), config, cache
        )
        for key, article in enumerate(articles):
            article.similar = [articles[k] for k, _ in similar.get(key, [])]

    counts = tally.counts
    report_logger.info(
        "Related articles: %d found, %d resolved (%d exact, %d fuzzy), %d unresolved",
        counts["found"],
        counts["resolved"],
        counts["exact"],
        counts["fuzzy"],
        counts["unresolved"],
        extra={"report_section": "related", "report_data": tally.report()},
    )


def relink_article(generator: Any, article: Any) -> bool:
    """``archive.article_text_changed`` receiver: one article's text changed, nothing else.

    Every title, date and URL is the same, so the title index's answers are; the
    article's placeholders are rendered again from its new text (its related
    titles, so its links, are the same), and "More on this" follows its new lead
    (other articles' answers too: each is computed again when read).  False when
    the last links are not kept (``KEEP_WARM`` off) or do not fit: the caller
    makes the whole model again.
    """
    config = _config(generator)
    warm = _warm_answers.get(config["FUZZY_THRESHOLD"])
    if not config["KEEP_WARM"] or warm is None:
        return False
    articles = _linked_articles(generator)
    records = [(i, a.title, a.date) for i, a in enumerate(articles)]
    names = [a.source_path for a in articles]
    kept = [_warm_links.kept.get(id(a)) for a in articles]
    if records != warm.records or names != warm.names or None in kept:
        return False
    key = next((k for k, a in enumerate(articles) if a is article), None)
    if key is None:  # a draft: its placeholders are not rendered
        return True
    index = MemoisedTitleIndex(
        records,
        threshold=config["FUZZY_THRESHOLD"],
        previous={},
        earlier=(warm.records, warm.answers),
        moved=None,
    )
    content = article._content
    urls = [a.url for a in articles]
    linked = _link_one(
        article, key, articles, urls, index, config, public_siteurl(generator.settings)
    )
    if linked.targets != kept[key].linked.targets:
        return False
    _warm_links.keep(article, content, articles, linked, urls, key)
    _apply_linked(article, linked, _Tally())
    if config["SIMILAR_COUNT"]:
        links = {k: entry.linked.targets for k, entry in enumerate(kept) if entry is not None}
        links[key] = linked.targets
        _set_similar(articles, names, links, invert_links(links), config)
    return True


#: Sent by the dev server's warm core when a kept article's text alone changed in place
#: (see docs/contracts.md); receivers bring what they made from that text up to date.
ARTICLE_TEXT_CHANGED = blinker.signal("archive.article_text_changed")


def register() -> None:
    """Connect module-level receivers (Pelican holds them weakly)."""
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(link_articles)
    ARTICLE_TEXT_CHANGED.connect(relink_article)
