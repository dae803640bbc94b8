"""The dev server's build core: the archive kept warm in memory, pages written when asked for.

A build (``run_build``) reads or loads every article, works across them and
fingerprints every page: 7 s at 10,000 articles when nothing changed, far
too long to wait after each save.  A :class:`WarmSite` keeps between changes:

- every article as it was read (:class:`ArticleStore`), so a change reads
  again only the seeds that changed.  Plugins attach their results to the
  articles (related links, neighbours, structured data), so each kept article
  is put back to its state as read before the next change's cross-article work;
- the incremental writer's fingerprints, in memory.

A change runs Pelican's generators again over the kept articles: duplicates,
slugs, related links, backlinks, listings, the timeline (the plugins' own memos
make this a fraction of a second at 10,000 articles).  A save that changed a
seed's body alone is cheaper still: its article takes the new text in place in
the last model, and the plugins bring up to date what they made from that text
(``archive.article_text_changed``, see docs/contracts.md).  The generators' calls to
the writer are then *recorded*, not carried out (:class:`LazyWriter`).  The
recorded outputs are written through the incremental writer (a page whose
fingerprint did not change is not rendered) in this order: the pages in view
(the browsers are then told to reload), any page a browser asks for before its
turn, then all the others, the search index, and the files written at the end of
a build (stale pages removed, the fingerprints saved), in the background.  A
request for a file not yet written waits for it: nothing stale is served.

What a change cannot reach here (plugin code, the settings file) needs a new
process: the dev server restarts itself (see devserver.py).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import string
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from incremental.pelican_glue import IncrementalWriter
from pelican import signals
from pelican.contents import Article, Content
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from lunr_search.pelican_glue import LunrSearchGenerator
from seed_reader.pelican_glue import ARTICLE_TEXT_CHANGED, BODY_FIELDS
from sitewide.paths import absolute_path

from .build import (
    UNFINISHED_MARK,
    BuildOptions,
    _reset_log_limits,
    build_settings,
    configure_incremental,
    staging_folder,
)
from .listings import ArchiveArticlesGenerator, ArchivePelican
from .render_partitions import PartitionedArticlesGenerator
from .report import BuildReport, ReportCollector
from .sync import sync_tree

# incremental, lunr_search, seed_reader, sitewide: the plugins' modules by the names Pelican
# loads them under (newsarchive/__init__.py), so IncrementalWriter is the class the
# incremental plugin's receivers know.
logger = logging.getLogger(__name__)

Thunk = Callable[[], Any]


# --- articles kept between changes ----------------------------------------------------------


def _copied(value: Any) -> Any:
    """A container of an article's state copied one level (a plugin may change it in place)."""
    kind = type(value)
    if kind is list or kind is dict or kind is set:
        return kind(value)
    return value


@dataclass
class _Kept:
    article: Any
    state: dict[str, Any]
    #: Names of people and agencies with the slug they were read with (plugins re-slug them).
    slugs: list[tuple[URLWrapper, Any]]
    context: Any = None
    #: The class it was read as (the seed reader swaps it for one with frozen URLs).
    cls: type = object
    #: Its source path relative to the content folder (Pelican's key for it; slow to compute).
    location: str | None = None
    #: Names in ``state`` holding a list, dict or set (copied again on each restore).
    containers: tuple[str, ...] = ()
    #: A copy of ``state`` made ahead, while the server was idle (see ``ArticleStore.prepare``).
    ready: dict[str, Any] | None = None


#: What the page URLs of articles may be made of for the last change's URLs to be kept: with
#: only these, an article whose slug did not change keeps its URL (formatting one is slow).
URL_FIELDS = frozenset({"slug", "date", "lang"})
#: Formatted once per article, and cached by the seed reader's frozen URLs.
URL_ATTRIBUTES = ("url", "save_as")
#: Where a kept article notes the slug its carried URLs were made from.
URL_SLUG = "_warm_url_slug"


def url_fields_only(settings: dict[str, Any], names: Iterable[str]) -> bool:
    """Whether the URL settings ``names`` use no field but :data:`URL_FIELDS`."""
    formatter = string.Formatter()
    for name in names:
        try:
            fields = {
                f.split(".")[0].split("[")[0] for _, f, _, _ in formatter.parse(settings[name]) if f
            }
        except (KeyError, ValueError, TypeError):
            return False
        if not fields <= URL_FIELDS:
            return False
    return True


class ArticleStore:
    """Articles as they were read, by seed file, until the watcher says the file changed."""

    def __init__(self, carry_urls: bool = False) -> None:
        self.kept: dict[str, _Kept] = {}
        #: Keep each article's URLs from one change to the next while its slug is the same.
        self.carry_urls = carry_urls
        self.by_id: dict[int, _Kept] = {}
        #: Article states replaced by :meth:`get`, not freed yet.
        self.discarded: list[dict[str, Any]] = []

    @staticmethod
    def _fresh(kept: _Kept) -> dict[str, Any]:
        """A copy of the state ``kept.article`` was read with (its containers copied too)."""
        state = kept.state.copy()
        for name in kept.containers:
            state[name] = _copied(state[name])
        return state

    def prepare(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Copy each kept article's state ahead, for the next change to put back at once.

        Called once the site is current: the copies are made while the server
        is idle, not while the user waits for the page (0.1 s at 10,000 articles).
        """
        for kept in list(self.kept.values()):
            if should_stop():
                return
            if kept.ready is None:
                kept.ready = self._fresh(kept)

    def release(self) -> None:
        """Free the article states replaced since the last call (once the page in view is out)."""
        self.discarded = []

    def forget(self, paths: Iterable[str]) -> None:
        """Drop what was read from ``paths`` (the watcher saw them change)."""
        for path in paths:
            kept = self.kept.pop(os.path.abspath(path), None)
            if kept is not None:
                self.by_id.pop(id(kept.article), None)

    def location(self, article: Any) -> str:
        """``article.get_relative_source_path()``, computed once per kept article."""
        kept = self.by_id.get(id(article))
        if kept is None or kept.article is not article:
            return str(article.get_relative_source_path())
        if kept.location is None:
            kept.location = str(article.get_relative_source_path())
        return kept.location

    @staticmethod
    def settle_urls(articles: Iterable[Any]) -> None:
        """Drop carried URLs whose article's slug changed (call once slugs are final)."""
        for article in articles:
            state = article.__dict__
            if URL_SLUG in state and state.pop(URL_SLUG) != state.get("slug"):
                for name in URL_ATTRIBUTES:
                    state.pop(name, None)

    def keep(self, path: str, article: Any) -> None:
        """Remember ``article`` as just read from ``path``."""
        state = {name: _copied(value) for name, value in vars(article).items()}
        wrappers = [
            value
            for value in chain.from_iterable(
                item if isinstance(item, list | tuple) else (item,) for item in state.values()
            )
            if isinstance(value, URLWrapper)
        ]
        slugs = [(wrapper, wrapper.__dict__.get("_slug")) for wrapper in wrappers]
        kept = _Kept(article, state, slugs, state.get("_context"), type(article))
        kept.containers = tuple(
            name for name, value in state.items() if type(value) in (list, dict, set)
        )
        previous = self.kept.get(path)
        if previous is not None:
            self.by_id.pop(id(previous.article), None)
        self.kept[path] = kept
        self.by_id[id(article)] = kept

    def adopt(self, path: str, article: Any, context: Any, location: str | None) -> None:
        """Put back the state kept for ``path`` into ``article`` from now on (the model's object).

        The text of ``article`` was brought up to date in place; the state just
        kept for ``path`` is the one read, and ``article`` already stands for it
        in ``context``.
        """
        kept = self.kept[path]
        self.by_id.pop(id(kept.article), None)
        kept.article, kept.context, kept.location = article, context, location
        self.by_id[id(article)] = kept

    def get(self, path: str, context: Any) -> Any | None:
        """The article read from ``path``, as it was read (None: read it again).

        Put back to its state as read once per build context, so asking twice
        (the seed reader asks which seeds it need not parse) costs nothing more.
        """
        kept = self.kept.get(path)
        if kept is None:
            return None
        if kept.context is context:
            return kept.article
        article = kept.article
        state, kept.ready = kept.ready or self._fresh(kept), None
        if "_context" in state:
            state["_context"] = context
        if self.carry_urls:
            last = article.__dict__
            carried = {name: last[name] for name in URL_ATTRIBUTES if name in last}
            if len(carried) == len(URL_ATTRIBUTES) and "slug" in last:
                state.update(carried)
                state[URL_SLUG] = last["slug"]
        article.__class__ = kept.cls
        # The last change's state is freed later (release): freeing what the plugins
        # attached (JSON-LD, links, bylines) costs a fifth of a second at 10,000 articles.
        self.discarded.append(article.__dict__)
        article.__dict__ = state
        for wrapper, slug in kept.slugs:
            wrapper._slug = slug
        kept.context = context
        return article


class WarmArticlesGenerator(ArchiveArticlesGenerator):
    """The articles generator, reading only seeds it does not keep, writing lazily."""

    store: ArticleStore = ArticleStore()  # set per site (see WarmPelican)

    def get_cached_data(self, filename: str, default: Any = None) -> Any:
        """A kept article for ``filename`` (relative to the content folder), else ``default``."""
        article = self.store.get(absolute_path(self.path, filename), self.context)
        return default if article is None else article

    def cache_data(self, filename: str, data: Any) -> None:
        """Keep the article just read from ``filename``."""
        self.store.keep(absolute_path(self.path, filename), data)

    def add_source_path(self, content: Any, static: bool = False) -> None:
        """Pelican's, with the kept article's relative path computed once."""
        key = "static_content" if static else "generated_content"
        self.context[key][self.store.location(content)] = content

    def _update_context(self, items: Any) -> None:
        # Called once slugs are final (after ``article_generator_pretaxonomy``).
        self.store.settle_urls(chain(self.articles, self.drafts, self.hidden_articles))
        self.store.settle_urls(chain(self.translations, self.hidden_translations))
        super()._update_context(items)

    def generate_articles(self, write: Any) -> None:
        """Article pages, as Pelican writes them; each a recorded output when writing lazily."""
        lazy = getattr(write, "func", None)
        outputs = getattr(getattr(lazy, "__self__", None), "outputs", None)
        if outputs is None:
            super().generate_articles(write)
            return
        for article in chain(
            self.translations, self.articles, self.hidden_translations, self.hidden_articles
        ):
            outputs.add(article.save_as, functools.partial(self._write_article, write, article))

    def _write_article(self, write: Any, article: Any) -> None:
        template = self.get_template(article.template)
        call = self.article_page_call(article)
        if self.article_page_unchanged(write, call, template):
            return  # as the partitioned generator does: no page attributes, no call
        signals.article_generator_write_article.send(self, content=article)
        self.write_article_page(write, call, template)


class WarmPelican(ArchivePelican):
    """Pelican with the warm articles generator (bound to this site's article store)."""

    def __init__(self, settings: dict[str, Any], store: ArticleStore) -> None:
        # Named as the build's articles generator: Pelican names its content cache after
        # the class, and the first change reads the articles from the cache the build left.
        self.generator_class = type(
            PartitionedArticlesGenerator.__name__, (WarmArticlesGenerator,), {"store": store}
        )
        super().__init__(settings)

    def _get_generator_classes(self) -> list[type]:
        return [
            self.generator_class if generator is ArchiveArticlesGenerator else generator
            for generator in super()._get_generator_classes()
        ]


# --- outputs written when asked for -----------------------------------------------------------


class PendingOutputs:
    """The writer's calls recorded for one change, by the output file they write."""

    def __init__(self) -> None:
        self.calls: dict[str, list[Thunk]] = {}

    def add(self, name: str, call: Thunk) -> None:
        """Record one call writing ``name``."""
        self.calls.setdefault(name, []).append(call)

    def take(self, name: str) -> list[Thunk]:
        """The calls writing ``name`` (none if there are none, or they were taken)."""
        return self.calls.pop(name, [])

    def names(self) -> list[str]:
        """The outputs still to write."""
        return list(self.calls)


class LazyWriter:
    """Stands for the writer in the generators' ``generate_output``: records, writes nothing.

    While a recorded call runs (:attr:`now`), calls go straight to the writer.
    """

    def __init__(self, writer: IncrementalWriter, outputs: PendingOutputs) -> None:
        self.writer = writer
        self.outputs = outputs
        self.now = False

    def write_file(self, name: Any, *args: Any, **kwargs: Any) -> Any:
        """Record (or, while a recorded call runs, carry out) ``Writer.write_file``."""
        if self.now or not name:
            return self.writer.write_file(name, *args, **kwargs)
        self.outputs.add(name, functools.partial(self.writer.write_file, name, *args, **kwargs))
        return None

    def write_feed(
        self, elements: Any, context: Any, path: Any = None, *args: Any, **kw: Any
    ) -> Any:
        """Record (or carry out) ``Writer.write_feed``."""
        if self.now or not path:
            return self.writer.write_feed(elements, context, path, *args, **kw)
        call = functools.partial(self.writer.write_feed, elements, context, path, *args, **kw)
        self.outputs.add(path, call)
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.writer, name)


class WarmWriter(IncrementalWriter):
    """The incremental writer, starting from the fingerprints in memory, never emptying the site.

    When the site key changed (a template edit), the pages stay on disk until
    they are written again (each is, before it is served); the ones no longer
    asked for are removed at the end, as ever.
    """

    def __init__(self, output_path: str, settings: dict[str, Any], state: dict | None) -> None:
        self.handed_over = state
        super().__init__(output_path, settings)
        #: Pages of a paginated listing written alone, ahead of the rest of it (see
        #: :meth:`write_page_alone`); the listing's own write leaves them as they are.
        self.pages_out: set[str] = set()
        self._only: str | None = None

    def write_page_alone(self, call: functools.partial, file: str) -> None:
        """Render only ``file`` of the paginated listing ``call`` writes: the page in view.

        A listing of 10,000 articles is hundreds of pages (a second to render
        them all); the browser shows one.  Rendered by Pelican's own writer
        from the same call, so it is the page the whole listing's write makes;
        no fingerprint is kept for it (the listing's write keeps the listing's).
        """
        name, template, context, *args = call.args
        self._only = file
        try:
            Writer.write_file(self, name, _OnePage(template, file), context, *args, **call.keywords)
        finally:
            self._only = None
        self.pages_out.add(file)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        """Pelican's, with pages not to write now (see :meth:`write_page_alone`) thrown away."""
        relative = os.path.relpath(filename, self.output_path)
        if relative != self._only and (self._only is not None or relative in self.pages_out):
            return open(os.devnull, "w", encoding=encoding)
        return super()._open_w(filename, encoding, override)

    def last_state(self) -> dict[str, Any]:
        """The fingerprints the last change left (the state file, the first time)."""
        return self.handed_over if self.handed_over is not None else super().last_state()

    def site_changed(self, previous: dict[str, Any]) -> dict[str, Any]:
        """Keep the last outputs' files (for removal), with no fingerprint (to render)."""
        outputs = previous.get("outputs", {})
        return {"outputs": {name: ["", files] for name, (_, files) in outputs.items()}}


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template and source checksum (an edit misses)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` from memory, if this template was compiled before."""
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep ``bucket``'s compiled code."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class _OnePage:
    """A listing's template that renders one of its pages, and nothing for the others."""

    def __init__(self, template: Any, file: str) -> None:
        self.template = template
        self.file = file

    def render(self, context: dict[str, Any]) -> str:
        """The page, if ``context`` is the one of :attr:`file`."""
        return self.template.render(context) if context.get("output_file") == self.file else ""


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a change's model is made.

    Making the model allocates a great deal and frees little, so the collector
    runs full collections that walk every kept article (a second at 10,000
    articles, as in the build runner: see build.py) while the user waits for
    the page.  Switched back on afterwards, it collects what the change left
    behind while the rest of the site is written in the background.  (Not
    ``gc.freeze``: articles a later change replaces would never be collected.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: An article's state that is not the seed's to decide (the process's), or is its text.
_NOT_SHAPE = frozenset({"_context", "settings", "metadata"}) | BODY_FIELDS


def _shape(state: dict[str, Any]) -> dict[str, Any]:
    """What of an article's state (as read) decides more than its own page: all but its text."""
    shape = {name: _comparable(value) for name, value in state.items() if name not in _NOT_SHAPE}
    metadata = state.get("metadata") or {}
    shape["metadata"] = {
        name: _comparable(value) for name, value in metadata.items() if name not in BODY_FIELDS
    }
    return shape


def _comparable(value: Any) -> Any:
    """Names stand for authors and agencies (Pelican compares them by slug alone)."""
    if isinstance(value, URLWrapper):
        return (type(value).__name__, value.name)
    if isinstance(value, list | tuple):
        return [_comparable(item) for item in value]
    return value


def forget_memoised_text() -> None:
    """Empty Pelican's memos of each content object's text and summary.

    Pelican memoises ``content`` and ``summary`` by the object, for as long as the
    process lives.  A kept article is the same object from one change to the
    next while its text may not be: the related plugin rewrites the links to a
    cited article whose address or title changed.  Kept, the memo served the
    text of an earlier change (and held every article ever read).
    """
    for name in ("get_content", "get_summary"):
        cache = getattr(Content.__dict__.get(name), "cache", None)
        if isinstance(cache, dict):
            cache.clear()


# --- one change -------------------------------------------------------------------------------


@dataclass
class Problem:
    """Something the last change broke, for the error page: which file, where, what."""

    file: str
    message: str
    line: int | None = None
    kind: str = "error"


@dataclass
class Change:
    """One change's build: the model made again, its outputs written in order."""

    number: int
    report: BuildReport
    started: float = field(default_factory=time.perf_counter)
    outputs: PendingOutputs = field(default_factory=PendingOutputs)
    lazy: LazyWriter | None = None
    pelican_object: Any = None
    search: Any = None
    #: Output file -> the recorded output that writes it (for pages a listing paginates).
    owners: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Files of the last change's outputs that this one no longer writes (removed at its end).
    gone: set[str] = field(default_factory=set)
    done: threading.Event = field(default_factory=threading.Event)
    abandoned: bool = False
    model_seconds: float = 0.0
    #: Outputs written because a request asked for them before the background reached them.
    asked: int = 0
    #: The generators of a model made in full (a template edit records their outputs again).
    generators: list[Any] | None = None
    #: What keeps a seed changed since the server started from its page.
    seed_problems: list[Problem] = field(default_factory=list)
    #: The search index of this change is written (a template edit leaves it as it is).
    search_done: bool = False
    #: How the model was made: "model" (in full), "templates" (outputs recorded again),
    #: "text" (one article's new text taken into the last model).
    how: str = "model"


def describe_exception(exc: BaseException) -> Problem:
    """A template error by its template and line; anything else by where in our code it was raised."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(exc.filename or exc.name or "template", exc.message or str(exc), exc.lineno)
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):  # a runtime error in a template: the template's frame
        if frame.filename.endswith((".html", ".xml", ".j2")):
            return Problem(frame.filename, f"{type(exc).__name__}: {exc}", frame.lineno)
    frame = frames[-1] if frames else None
    where = f"{frame.filename}:{frame.lineno} in {frame.name}" if frame else "?"
    return Problem(where, f"{type(exc).__name__}: {exc}", None, "bug")


class WarmSite:
    """One archive kept warm between changes (see the module docstring)."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.settings = build_settings(options)
        self.output = Path(self.settings["OUTPUT_PATH"])
        self.staging = staging_folder(str(self.output))
        configure_incremental(self.settings, self.staging)
        self.site_dir = Path(self.settings["OUTPUT_PATH"])
        search = dict(self.settings.get("LUNR_SEARCH") or {}, START_EARLY=False)
        related = dict(self.settings.get("RELATED") or {}, KEEP_WARM=True)
        jinja = dict(self.settings.get("JINJA_ENVIRONMENT") or {})
        jinja.setdefault("bytecode_cache", MemoryBytecodeCache())
        #: What the generators see: the search index started after the pages in view, "More
        #: on this" kept in memory, templates compiled once (each change makes new
        #: generators, each with its own Jinja environment).  Not what the writer sees:
        #: the pages' fingerprints (and the site key) are a build's.
        self.generator_settings = dict(
            self.settings, LUNR_SEARCH=search, RELATED=related, JINJA_ENVIRONMENT=jinja
        )
        #: What the articles generator sees once the store holds the articles: the store in
        #: place of the reader's cache on disk (86 MB to load and save at 10,000 articles),
        #: answering as Pelican's generator-level cache (loaded from nowhere).
        self.warm_article_settings = dict(
            self.generator_settings, CONTENT_CACHING_LAYER="generator", LOAD_CONTENT_CACHE=False
        )
        self.store = ArticleStore(
            carry_urls=url_fields_only(self.settings, ("ARTICLE_URL", "ARTICLE_SAVE_AS"))
        )
        self.lock = threading.RLock()
        self.search_lock = threading.Lock()
        self.sync_lock = threading.Lock()
        self.change: Change | None = None
        self.count = 0
        self.pelican = WarmPelican(self.settings, self.store)
        #: Seed and template files changed since the server started (their problems are shown).
        self.touched: set[str] = set()
        self.templates = Path(self.pelican.theme, "templates").resolve()

    # The model --------------------------------------------------------------------------

    def apply(self, changed: Iterable[str] = ()) -> Change:
        """Make the model again after ``changed`` files changed; its outputs are left to write."""
        changed = [os.path.abspath(path) for path in changed]
        with self.lock:
            state = None
            previous = self.change
            if previous is not None:
                previous.abandoned = True
                state = self._writer_state(previous)
            # A template alone changes no article: the last model's outputs are recorded again.
            again = (
                previous
                if previous is not None
                and previous.generators is not None
                and changed
                and all(Path(path).is_relative_to(self.templates) for path in changed)
                else None
            )
            text_of = self._text_candidate(previous, changed) if again is None else None
            self.store.forget(changed)
            forget_memoised_text()
            self.touched.update(changed)
            self.count += 1
            report = BuildReport(
                seeds_dir=", ".join(self.settings["ARTICLE_PATHS"]),
                output_dir=str(self.output),
            )
            change = Change(self.count, report)
            self.change = change
            with self._collecting(report), collector_paused():
                try:
                    if again is not None:
                        change.how = "templates"
                        self._record_again(change, again, state)
                    elif text_of is None or not self._patch_text(change, previous, state, *text_of):
                        self._make_model(change, state)
                except Exception as exc:  # a bug (or a template that cannot be loaded)
                    change.problems.append(describe_exception(exc))
                    logger.error("Preview: %s", describe_exception(exc).message)
            change.seed_problems = (
                again.seed_problems if again is not None else self._seed_problems(report)
            )
            change.problems[:0] = change.seed_problems
            change.model_seconds = time.perf_counter() - change.started
            return change

    def _make_model(self, change: Change, state: dict | None) -> None:
        """Pelican's run up to the writing, with the writer's calls recorded."""
        _reset_log_limits()
        (self.staging / UNFINISHED_MARK).parent.mkdir(parents=True, exist_ok=True)
        (self.staging / UNFINISHED_MARK).touch()
        settings = self.generator_settings
        # The first time, the articles are read from the content cache the build left.
        articles_settings = self.warm_article_settings if self.store.kept else settings
        pelican_object = self.pelican
        context = self.settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = settings["SITEURL"]
        generators = [
            cls(
                context=context,
                settings=articles_settings if issubclass(cls, WarmArticlesGenerator) else settings,
                path=pelican_object.path,
                theme=pelican_object.theme,
                output_path=pelican_object.output_path,
            )
            for cls in pelican_object._get_generator_classes()
        ]
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
            if hasattr(generator, "check_disabled_readers"):
                generator.check_disabled_readers()
        signals.all_generators_finalized.send(generators)
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        self._record(change, generators, state)
        change.generators = generators

    def _text_candidate(
        self, previous: Change | None, changed: list[str]
    ) -> tuple[str, _Kept] | None:
        """The one seed saved and its kept article, if the last model may take its new text."""
        if (
            previous is None
            or previous.generators is None
            or previous.problems
            or len(changed) != 1
            or not changed[0].endswith(".txt")
        ):
            return None
        kept = self.store.kept.get(changed[0])
        articles = self._articles_generator(previous.generators)
        if kept is None or articles is None or kept.location is None:
            return None
        if articles.context["generated_content"].get(kept.location) is not kept.article:
            return None  # not the last model's article
        return changed[0], kept

    @staticmethod
    def _articles_generator(generators: list[Any]) -> Any | None:
        return next((g for g in generators if isinstance(g, WarmArticlesGenerator)), None)

    def _patch_text(
        self, change: Change, previous: Change, state: dict | None, source: str, kept: _Kept
    ) -> bool:
        """A seed's body alone changed: its article takes the new text in the last model.

        The whole model is made again (most of a second at 10,000 articles) only when
        the save changed more than the body (:data:`BODY_FIELDS`): title, date,
        names, related titles, status.  Everything else about the archive is then
        the same; what was made from the text (related placeholders, "More on
        this", search) is brought up to date by the plugins, and the outputs are
        recorded again (their fingerprints tell which pages show the change).
        False: not so (nothing is changed), make the model again.
        """
        generators = previous.generators or []
        articles = self._articles_generator(generators)
        old = kept.article
        _reset_log_limits()
        (self.staging / UNFINISHED_MARK).touch()
        reader = articles.readers.readers.get("txt")
        if reader is None or reader.read(source)[1].get("status") == "skip":
            return False  # the model made again reports it
        new = articles.readers.read_file(
            base_path=articles.path,
            path=kept.location,
            content_class=Article,
            context=articles.context,
            preread_signal=signals.article_generator_preread,
            preread_sender=articles,
            context_signal=signals.article_generator_context,
            context_sender=articles,
        )
        read = vars(new)
        if not new.is_valid() or _shape(kept.state) != _shape(read):
            return False
        fingerprints = {kept.state.get("fingerprint"), read.get("fingerprint")} - {None, ""}
        if any(
            other.state.get("fingerprint") in fingerprints for other in self.store.kept.values()
        ):
            return False  # an exact duplicate comes or goes
        now = vars(old)
        for name in BODY_FIELDS:
            if name in read:
                now[name] = read[name]
            else:
                now.pop(name, None)
        now["metadata"] = read["metadata"]
        self.store.keep(source, new)
        self.store.adopt(source, old, articles.context, kept.location)
        results = ARTICLE_TEXT_CHANGED.send(articles, article=old)
        if any(result is False for _, result in results):
            return False
        self._record(change, generators, state)
        change.generators = generators
        change.how = "text"
        return True

    def _record_again(self, change: Change, previous: Change, state: dict | None) -> None:
        """The outputs of ``previous``'s model, recorded again with the templates read anew."""
        _reset_log_limits()
        (self.staging / UNFINISHED_MARK).touch()
        generators = previous.generators or []
        for generator in generators:
            if isinstance(getattr(generator, "_templates", None), dict):
                generator._templates = {}
            env = getattr(generator, "env", None)
            if env is not None and env.cache is not None:
                env.cache.clear()
        self._record(change, generators, state)
        change.generators = generators
        if previous.search_done:  # no article changed: the index written is current
            change.search = None

    def _record(self, change: Change, generators: list[Any], state: dict | None) -> None:
        """The generators' writes recorded, with what the last change's outputs wrote."""
        pelican_object = self.pelican
        writer = WarmWriter(pelican_object.output_path, self.settings, state)
        change.lazy = LazyWriter(writer, change.outputs)
        change.owners = {
            file: name
            for name, (_, files) in writer.previous.items()
            for file in files
            if file != name
        }
        change.pelican_object = pelican_object
        for generator in generators:
            if isinstance(generator, LunrSearchGenerator):
                change.search = generator
            elif hasattr(generator, "generate_output"):
                generator.generate_output(change.lazy)
        recorded = set(change.outputs.calls)
        change.gone = {
            file
            for name, (_, files) in writer.previous.items()
            if name not in recorded
            for file in files
        }

    @staticmethod
    def _writer_state(change: Change) -> dict | None:
        lazy = change.lazy
        return None if lazy is None else lazy.writer.state()

    def _seed_problems(self, report: BuildReport) -> list[Problem]:
        """What keeps a seed changed since the server started from its page (not mere warnings)."""
        problems = []
        for item in report.skipped:
            if os.path.abspath(item.get("file", "")) in self.touched:
                problems.append(Problem(item["file"], item.get("reason", ""), None, "skipped"))
        for item in report.errors:
            if item.get("file") and os.path.abspath(item["file"]) in self.touched:
                problems.append(Problem(item["file"], item.get("message", ""), None, "warning"))
        for item in report.bugs:
            problems.append(Problem(item.get("where", ""), item.get("message", ""), None, "bug"))
        return problems

    @contextlib.contextmanager
    def _collecting(self, report: BuildReport) -> Iterator[None]:
        collector = ReportCollector(report)
        root = logging.getLogger()
        root.addHandler(collector)
        try:
            yield
        finally:
            root.removeHandler(collector)

    # Writing ----------------------------------------------------------------------------

    def write(self, change: Change, name: str) -> bool:
        """Write the recorded output ``name`` of ``change`` now, if it is still to be written."""
        with self.lock:
            if change.abandoned or change.lazy is None:
                return False
            calls = change.outputs.take(name)
            if not calls:
                return False
            change.lazy.now = True
            try:
                with self._collecting(change.report):
                    for call in calls:
                        call()
            except Exception as exc:
                problem = describe_exception(exc)
                change.problems.append(problem)
                logger.error(
                    "Preview: %s: %s (line %s)", problem.file, problem.message, problem.line
                )
            finally:
                change.lazy.now = False
            return True

    def settled(self) -> None:
        """Return once no model is being made and no output written.

        A file no recorded output still owns may belong to the output being
        written right now (taken, half-written: a paginated listing writes
        several files), or to a change whose model is not made yet.
        """
        with self.lock:
            pass

    def write_in_view(self, change: Change, file: str) -> None:
        """Write the page ``file`` a browser shows: alone, if one page of a paginated listing."""
        name = self.owner(change, file)
        if name is None:
            return
        with self.lock:
            calls = change.outputs.calls.get(name, [])
            lazy = change.lazy
            if (
                change.abandoned
                or lazy is None
                or len(lazy.writer.previous.get(name, ("", ()))[1]) < 2  # one page only
                or len(calls) != 1
                or getattr(calls[0], "func", None) != lazy.writer.write_file
            ):
                self.write(change, name)
                return
            try:
                with self._collecting(change.report):
                    lazy.writer.write_page_alone(calls[0], file)
            except Exception as exc:
                change.problems.append(describe_exception(exc))

    @staticmethod
    def written_alone(change: Change, file: str) -> bool:
        """Whether ``file``, a page of a listing, was written ahead of it (it is current)."""
        return change.lazy is not None and file in change.lazy.writer.pages_out

    def owner(self, change: Change, file: str) -> str | None:
        """The recorded output of ``change`` that writes ``file`` (None: none left to write)."""
        if self.written_alone(change, file):
            return None
        if file in change.outputs.calls:
            return file
        name = change.owners.get(file)
        return name if name is not None and name in change.outputs.calls else None

    def finish(self, change: Change, first: Iterable[str] = ()) -> None:
        """Write everything still recorded (``first`` first), the search index, the end of a build."""
        self.store.release()
        try:
            for name in [*first, *change.outputs.names()]:
                if change.abandoned:
                    return
                self.write(change, name)
            if change.search is not None and not change.abandoned:
                with self.search_lock, self._collecting(change.report):
                    try:
                        change.search.generate_output(change.lazy)
                        change.search_done = True
                    except Exception as exc:
                        change.problems.append(describe_exception(exc))
            with self.lock:
                if change.abandoned:
                    return
                with self._collecting(change.report):
                    signals.finalized.send(change.pelican_object)
                (self.staging / UNFINISHED_MARK).unlink(missing_ok=True)
            with self.sync_lock:
                if not change.problems:
                    sync_tree(self.site_dir, self.output, self.staging / "manifest.json")
        finally:
            change.done.set()
        # Idle now: the next change's copies of the kept articles are made ahead.
        self.store.prepare(lambda: change.abandoned or self.change is not change)
