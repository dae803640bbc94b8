"""Article pages rendered in partitions on the build's task runner (a local or remote cluster).

Rendering is the biggest phase of a cold build and ran on one core.  Here the
articles generator still walks every article as Pelican does (the
``article_generator_write_article`` signal, the writer's call, so the
incremental writer decides what needs rendering and keeps its fingerprints),
but hands the writer a :class:`DeferredTemplate`: the writer's call records
the page instead of rendering it (the file is created empty, as the writer
would create it).  The pages that need rendering are then cut into
partitions; each becomes a render task (``page_render.render_pages``) with its
own articles in full and, of every other article a page shows (neighbours,
related links, "More on this"), only what the page shows of it
(:data:`SHOWN_FIELDS`).  The task writes its pages straight into the staging
folder and returns a count: pages never travel back through the scheduler.

Where no cluster runs (small archives, a few edited pages, no build runner),
nothing changes: the pages are rendered here, as before.  Output is the same
bytes either way (``tests/distributed`` proves it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import importlib.util
import io
import logging
import os
import pickle
import sys
import sysconfig
import types
from collections.abc import Iterable, Iterator
from dataclasses import is_dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from sitewide import pickling, text_store
from sitewide.free_memory import GiveBackAsItGrows

from .cluster import CLUSTER, code_packages
from .listings import ArchiveArticlesGenerator, ArchivePelican
from .page_render import ThemeSpec, render_pages, write_page
from .progress import PROGRESS

logger = logging.getLogger(__name__)

#: The progress display's stage for article pages (newsarchive/progress.py).
PROGRESS_STAGE = "Rendering articles"
#: Most pages per render task (fewer when that leaves a worker short of tasks).
PAGES_PER_TASK = 100
#: Render tasks per worker at least: a slow task is then not the last thing running.
TASKS_PER_WORKER = 4
#: Pages to render, recorded, before the cluster is asked for (fewer: rendered here at the end).
STREAM_FROM = 200
#: What a page may show of an article other than its own (as in a listing; see contracts.md).
SHOWN_FIELDS = (
    "url",
    "save_as",
    "slug",
    "title",
    "date",
    "locale_date",
    "summary",
    "authors",
    "author",
    "agency",
    "category",
    "source_site",
    "status",
    "lang",
)
#: Attributes of an article not handed on (besides private ones): the settings, ``metadata``
#: (whose every key Pelican also sets as an attribute), and the path helpers Pelican derives
#: ``url`` and ``save_as`` from (a quarter of a millisecond a page, read by no template).
NOT_SHOWN = frozenset({"settings", "metadata", "filename", "relative_dir", "url_format"})
#: Types handed on as they are.
PLAIN = (str, int, float, bool, dt.date, dt.time, dt.tzinfo)
#: The common ones among them, recognised by their exact type first (most values are these).
EXACTLY_PLAIN = frozenset({str, int, float, bool, type(None), dt.datetime, dt.date})


class NotShippable(TypeError):
    """A template variable that cannot be handed to a worker as plain data."""


#: What Pelican's writer sets per page in the shared context or its copy (kept per page).
_PER_PAGE_KEYS = ("localsiteurl", "SITEURL", "output_file")
_MISSING = object()


class PendingPage:
    """A page the writer asked to render, kept until its partition is rendered.

    The writer hands each page a copy of the whole site context (a dict of
    ~100 entries, 4 KB); kept for every page of a big archive that is 400 MB
    at 100,000 articles.  A pending page keeps only what differs from the
    generator's context (its article, URL, output file) and makes the copy
    again when asked (:attr:`context`).
    """

    def __init__(
        self,
        name: str,
        template: jinja2.Template,
        context: dict[str, Any],
        article: Any,
        base: dict[str, Any],
    ) -> None:
        self.name = name
        self.template = template
        self.article = article
        self._base = base
        self._own = {
            key: value
            for key, value in context.items()
            if key in _PER_PAGE_KEYS or base.get(key, _MISSING) is not value
        }
        self._gone = [key for key in base if key not in context]
        self._base_size = len(base)
        #: What ``article_generator_write_article`` set on the article for this page
        #: alone (see :func:`page_only_attributes`), dropped once the page is rendered
        #: or handed to a task.
        self.page_only: list[str] = []
        self._stashed: dict[str, Any] = {}

    def stash(self) -> None:
        """The page is handed to a task: its article gives up what only the page read.

        Kept here while the task runs (a page handed back is rendered with it),
        dropped with the page when the task is collected.
        """
        state = vars(self.article)
        self._stashed = {name: state.pop(name) for name in self.page_only if name in state}

    @contextlib.contextmanager
    def rendering_here(self) -> Iterator[None]:
        """The article as the writer's call saw it, while the page renders here; then not."""
        vars(self.article).update(self._stashed)
        try:
            yield
        finally:
            state = vars(self.article)
            for name in self.page_only:
                state.pop(name, None)
            self._stashed = {}

    @property
    def context(self) -> dict[str, Any]:
        """The context the writer gave this page (a fresh copy)."""
        base = self._base
        if len(base) != self._base_size:  # keys added since: not this page's
            base = dict(islice(base.items(), self._base_size))
        context = {**base, **self._own}
        for key in self._gone:
            context.pop(key, None)
        return context


class DeferredTemplate:
    """Stands for the article template in the writer's call: records the page, renders nothing.

    The writer keys its fingerprint by the template's ``name`` (the same as
    the real template's) and writes what ``render`` returns: an empty file,
    filled when the page's partition is rendered.
    """

    def __init__(
        self,
        template: jinja2.Template,
        article: Any,
        pending: list[PendingPage],
        base: dict[str, Any],
    ):
        self.template = template
        self.name = template.name
        self.article = article
        self.pending = pending
        self.base = base

    def render(self, localcontext: dict[str, Any]) -> str:
        """Record the page (the writer then creates its file, empty for now)."""
        self.pending.append(
            PendingPage(
                localcontext["output_file"], self.template, localcontext, self.article, self.base
            )
        )
        return ""


@contextlib.contextmanager
def page_only_attributes(
    generator: Any, article: Any, signal: Any = signals.article_generator_write_article
) -> Iterator[list[str]]:
    """``article_generator_write_article`` sent; the names of what it set for the page alone.

    Receivers set what only the article's own page reads (structured data,
    social cards, the meta description), which the build process kept to the
    end of the build: about 1.2 KB an article (at 30,000 articles the render
    phase peaked at 553 MB with them, 517 MB without).  Yields those
    names; what is still named on exit is dropped from the article (a caller
    keeping them for a page rendered later empties the list).  Whatever is
    written later (listings, feeds) reads no such attribute: a page shows
    other articles only as a listing does (:data:`SHOWN_FIELDS`).
    """
    before = set(vars(article))
    signal.send(generator, content=article)
    names = [name for name in vars(article) if name not in before]
    try:
        yield names
    finally:
        state = vars(article)
        for name in names:
            state.pop(name, None)


def ask_runner(items: int, *, start: bool) -> tuple[bool, Any]:
    """The build's runner for ``items`` pages: (a build runner answered, the runner or None).

    With ``start=False`` no cluster is started: None means one would be.
    """
    for _receiver, runner in CLUSTER.send(__name__, items=items, start=start):
        return True, runner
    return False, None


class PartitionedArticlesGenerator(ArchiveArticlesGenerator):
    """The articles generator, with article pages rendered in partitions on a cluster."""

    def generate_articles(self, write: Any) -> None:
        """Article pages: here when no cluster is worth it, else in partitions on the cluster.

        Partitions are sent as soon as they are full, so the workers render
        while this process is still going through the writer's calls.
        """
        articles = list(
            chain(self.translations, self.articles, self.hidden_translations, self.hidden_articles)
        )
        answered, runner = ask_runner(len(articles), start=False)
        here = not answered or (runner is not None and runner.client is None)
        # Small work or no build runner: every page rendered in the writer's call, as
        # Pelican does.
        spec = None if here else theme_spec(self)
        pending: list[PendingPage] = []
        stream: RenderStream | None = None
        decided = spec is None
        for done, article in enumerate(articles, start=1):
            PROGRESS.send(__name__, stage=PROGRESS_STAGE, done=done, total=len(articles))
            template = self.get_template(article.template)
            call = self.article_page_call(article)
            if self.article_page_unchanged(write, call, template):
                continue
            with page_only_attributes(self, article) as page_only:
                if spec is not None and not hasattr(article, "override_save_as"):
                    template = DeferredTemplate(template, article, pending, self.context)
                recorded = len(pending)
                self.write_article_page(write, call, template)
                if len(pending) > recorded:  # dropped when the page is handed to a task
                    pending[-1].page_only = page_only.copy()
                    page_only.clear()
            if not decided and len(pending) >= STREAM_FROM and spec is not None:
                decided = True  # enough pages to ask: as many again, in proportion, to come
                projected = len(pending) * len(articles) // done
                _, runner = ask_runner(projected, start=True)
                if runner is not None and runner.client is not None:
                    stream = RenderStream(
                        self, runner, spec, pages_per_task(projected, runner.workers)
                    )
            if stream is not None:
                stream.feed(pending)
        if stream is not None:
            stream.finish(pending)
        elif pending:
            self._render_pending(pending, spec)

    def _render_pending(self, pending: list[PendingPage], spec: ThemeSpec | None) -> None:
        """Render the recorded pages: on the cluster if there are enough of them, else here."""
        _, runner = ask_runner(len(pending), start=True)
        if runner is None or runner.client is None or spec is None:
            for page in pending:
                self._render_here(page)
            return
        stream = RenderStream(self, runner, spec, pages_per_task(len(pending), runner.workers))
        stream.feed(pending)
        stream.finish(pending)

    def render_jobs(
        self,
        pages: list[PendingPage],
        spec: ThemeSpec,
        names: dict[str, frozenset[str] | None],
        snapshot: Snapshot,
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """Render jobs for ``pages``; a page that cannot be shipped is rendered here instead."""
        jobs = []
        for page in pages:
            template = page.template.name
            if template not in names:
                names[template] = template_variables(spec, template)
            try:
                if names[template] is None:
                    raise NotShippable(f"{template}: cannot tell what it reads")
                variables = self._page_variables(page, names[template], snapshot)
                jobs.append((page.name, template, variables))
                page.stash()
            except NotShippable as exc:  # rendered here instead, as before
                logger.debug("Rendering %s in the build process: %s", page.name, exc)
                self._render_here(page)
        return jobs

    def _page_variables(
        self, page: PendingPage, names: frozenset[str], snapshot: Snapshot
    ) -> dict[str, Any]:
        """What the page's templates read, as plain data (as the writer sets it up to render)."""
        context = page.context
        if context.get("localsiteurl"):
            self.context["localsiteurl"] = context["localsiteurl"]
        return snapshot.page(context, names, page.article)

    def _render_here(self, page: PendingPage) -> None:
        """Render one recorded page in this process, exactly as the writer would have."""
        with page.rendering_here():
            context = page.context
            if context.get("localsiteurl"):
                self.context["localsiteurl"] = context["localsiteurl"]
            write_page(self.output_path, page.name, page.template.render(context))


class RenderStream:
    """Render tasks sent as their partitions fill, and their results gathered at the end."""

    def __init__(
        self, generator: PartitionedArticlesGenerator, runner: Any, spec: ThemeSpec, size: int
    ) -> None:
        self.generator = generator
        self.runner = runner
        self.spec = spec
        self.data = dict(vars(spec))
        self.size = size
        #: The pages of each task not collected yet (a page handed back is rendered here).
        self.waiting: dict[Any, list[PendingPage]] = {}
        self.rendered = 0
        self.names: dict[str, frozenset[str] | None] = {}
        self.snapshot = Snapshot()
        self.memory = GiveBackAsItGrows()  # each page's variables, pickled and freed

    def feed(self, pending: list[PendingPage], *, everything: bool = False) -> None:
        """Send every full partition of ``pending`` (and the rest if ``everything``).

        Sent pages leave ``pending``; finished tasks are collected on the way.
        """
        while len(pending) >= self.size or (everything and pending):
            pages = pending[: self.size]
            del pending[: self.size]
            jobs = self.generator.render_jobs(pages, self.spec, self.names, self.snapshot)
            if jobs:
                handle = self.runner.submit(
                    render_pages, jobs, self.data, self.generator.output_path, phase="render"
                )
                self.waiting[handle] = pages
                for done, result in self.runner.ready(self.waiting, phase="render"):
                    self._collected(by_name(self.waiting.pop(done)), *result)
                self.memory.check()

    def finish(self, pending: list[PendingPage]) -> None:
        """Send the last partition, wait for every task; render here what a task handed back."""
        self.feed(pending, everything=True)
        pages = by_name(page for pages in self.waiting.values() for page in pages)
        for result in self.runner.results(list(self.waiting), phase="render"):
            self._collected(pages, *result)
        self.waiting.clear()
        logger.info("Rendered %d article pages on %s", self.rendered, self.runner.where)
        logger.debug(
            "Free memory given back %d times while rendering (%.2f s)",
            self.memory.trims,
            self.memory.seconds,
        )

    def _collected(self, pages: dict[str, PendingPage], count: int, left: list[str]) -> None:
        """A finished task: count its pages, render here those it handed back (by name)."""
        self.rendered += count
        for name in left:
            self.generator._render_here(pages[name])


def by_name(pages: Iterable[PendingPage]) -> dict[str, PendingPage]:
    """Pages by the name of the file each renders to."""
    return {page.name: page for page in pages}


def pages_per_task(pages: int, workers: int) -> int:
    """Pages per render task: at most :data:`PAGES_PER_TASK`, and a few tasks per worker."""
    tasks = max(workers * TASKS_PER_WORKER, -(-pages // PAGES_PER_TASK))
    return max(1, -(-pages // tasks))


class PartitionedPelican(ArchivePelican):
    """Pelican with :class:`PartitionedArticlesGenerator` as its articles generator."""

    def _get_generator_classes(self) -> list[type]:
        return [
            PartitionedArticlesGenerator if generator is ArchiveArticlesGenerator else generator
            for generator in super()._get_generator_classes()
        ]


_properties: dict[type, tuple[str, ...]] = {}


def properties_of(cls: type) -> tuple[str, ...]:
    """The properties an article's class defines (``content``, ``url``, a plugin's ``agency``...)."""
    if cls not in _properties:
        _properties[cls] = tuple(
            sorted(
                {
                    name
                    for klass in cls.__mro__
                    for name, member in vars(klass).items()
                    if isinstance(member, property | functools.cached_property)
                    and not name.startswith("_")
                    and name not in NOT_SHOWN
                }
            )
        )
    return _properties[cls]


class Snapshot:
    """Template variables as plain data that a template reads the same way.

    The page's own article in full, any other article by :data:`SHOWN_FIELDS`
    only, names (authors, agencies) by name and URL.  Jinja reads ``a.b`` from
    a dict as ``a["b"]``, so records are dicts.  What every page shows of
    another article is the same, so it is made once per article.
    """

    def __init__(self) -> None:
        self._shown: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._names: dict[int, tuple[Any, dict[str, Any]]] = {}

    def page(self, context: dict[str, Any], names: frozenset[str], own: Any) -> dict[str, Any]:
        """The variables ``names`` of one page's context, with ``own`` as its own article."""
        return {name: self.data(context[name], own) for name in sorted(names) if name in context}

    def data(self, value: Any, own: Any, depth: int = 0) -> Any:
        """``value`` as plain data (see the class docstring)."""
        kind = type(value)
        if kind in EXACTLY_PLAIN:
            return value
        if kind is list or kind is tuple:
            if all(type(item) in EXACTLY_PLAIN for item in value):
                return list(value) if kind is list else value
            items = [self.data(item, own, depth + 1) for item in value]
            return items if kind is list else tuple(items)
        if value is None or isinstance(value, PLAIN):
            return value
        if depth > 12:
            raise NotShippable(f"nested too deeply: {type(value).__name__}")
        if isinstance(value, Content):
            if value is own:
                fields = {
                    k: v
                    for k, v in vars(value).items()
                    if k not in NOT_SHOWN and not k.startswith("_")
                }
                for name in properties_of(type(value)):
                    try:
                        fields[name] = getattr(value, name)
                    except Exception as exc:  # the page shows it here, where it raises
                        raise NotShippable(f"{name}: {type(exc).__name__}") from exc
                return {
                    # Copies of its long texts: pickled for the worker, each leaves its UTF-8
                    # form on the copy, which goes with the page, not on the kept article.
                    name: pickling.own_copy(self.data(item, own, depth + 1))
                    for name, item in fields.items()
                }
            return self._shown_of(value, own, depth)
        if isinstance(value, URLWrapper):
            known = self._names.get(id(value))
            if known is None or known[0] is not value:
                record = {"name": value.name, "slug": value.slug, "url": value.url}
                known = (value, dict(record, save_as=value.save_as))
                self._names[id(value)] = known
            return known[1]
        if isinstance(value, list | tuple):
            items = [self.data(item, own, depth + 1) for item in value]
            return items if isinstance(value, list) else tuple(items)
        if isinstance(value, dict):
            return {key: self.data(item, own, depth + 1) for key, item in value.items()}
        if isinstance(value, text_store.StoredText):
            return value.text()
        if is_dataclass(value) and not isinstance(value, type):
            return {
                name: self.data(item, own, depth + 1)
                for name, item in vars(value).items()
                if not name.startswith("_")
            }
        raise NotShippable(f"{type(value).__name__} is not plain data")

    def _shown_of(self, article: Any, own: Any, depth: int) -> dict[str, Any]:
        known = self._shown.get(id(article))
        if known is None or known[0] is not article:
            fields = {
                name: getattr(article, name) for name in SHOWN_FIELDS if hasattr(article, name)
            }
            record = {name: self.data(item, own, depth + 1) for name, item in fields.items()}
            known = (article, record)  # the article itself is kept, so its id stays its own
            self._shown[id(article)] = known
        return known[1]


def template_sources(folders: list[Path], simple: Path, theme: Path) -> dict[str, str]:
    """Every template Pelican's loader can find, by the name it finds it under (first wins)."""
    sources: dict[str, str] = {}
    for prefix, roots in (("", [*folders, simple]), ("!simple/", [simple]), ("!theme/", [theme])):
        for root in roots:
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    try:
                        text = path.read_text("utf-8")
                    except (OSError, UnicodeDecodeError):
                        continue
                    sources.setdefault(prefix + path.relative_to(root).as_posix(), text)
    return sources


#: What the worker's environment gets by itself, as Pelican's generator does (see page_render).
WORKER_MADE = frozenset({"strftime", "plugin_enabled"})


class _ModuleRecorder(pickle._Pickler):  # type: ignore[name-defined]
    """A pickler that notes the module of every class and function it pickles by name."""

    def __init__(self, file: Any) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.modules: set[str] = set()

    def save(self, obj: Any, save_persistent_id: bool = True) -> None:
        if isinstance(obj, type | types.FunctionType | types.BuiltinFunctionType):
            self.modules.add(str(getattr(obj, "__module__", "") or ""))
        super().save(obj, save_persistent_id)


def _installed_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(
        os.path.join(os.path.realpath(paths[key]), "") for key in ("stdlib", "purelib", "platlib")
    )


def module_origin(name: str) -> str:
    """The file a top-level module comes from ("built-in", "frozen"; "" when unknown)."""
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None):
        return str(module.__file__)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return ""
    return str(getattr(spec, "origin", None) or "")


def portable(value: Any, packages: frozenset[str]) -> bool:
    """Whether ``value`` pickles here and unpickles on any worker of the same environment.

    Every module it names must be one of ``packages`` (shipped with the code)
    or installed (the standard library, site-packages): a settings file's own
    function (``pelicanconf.newest_first``) is neither.
    """
    recorder = _ModuleRecorder(io.BytesIO())
    try:
        recorder.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    roots = _installed_roots()
    for module in recorder.modules:
        top = module.split(".", 1)[0]
        if top in packages or top in sys.builtin_module_names:
            continue
        origin = module_origin(top)
        if origin in {"built-in", "frozen"}:
            continue
        if not origin or not os.path.realpath(origin).startswith(roots):
            return False
    return True


def shippable(
    values: dict[str, Any], defaults: dict[str, Any], packages: frozenset[str]
) -> tuple[dict[str, Any], set[str]]:
    """Of ``values`` not among Jinja's ``defaults``: the portable ones, and the names of the rest."""
    ready: dict[str, Any] = {}
    unavailable: set[str] = set()
    for name, value in values.items():
        if name in WORKER_MADE or defaults.get(name) is value:
            continue
        if portable(value, packages):
            ready[name] = value
        else:
            unavailable.add(name)
    return ready, unavailable


def theme_spec(generator: Any) -> ThemeSpec | None:
    """The generator's Jinja setup as plain data, or None if it cannot be shipped to a worker.

    Filters, globals and tests come from the generator's environment itself
    (the settings' and any a plugin added); one that cannot travel is named in
    ``unavailable``: the worker has a stand-in for it, and a page that calls
    it is rendered here instead.
    """
    import pelican

    settings = generator.settings
    theme = Path(os.path.expanduser(os.path.join(generator.theme, "templates")))
    overrides = [Path(p) for p in settings["THEME_TEMPLATES_OVERRIDES"]]
    simple = Path(pelican.__file__).parent / "themes" / "simple" / "templates"
    sources = template_sources([*overrides, theme], simple, theme)
    plugins = [getattr(p, "__name__", str(p)) for p in settings.get("PLUGINS") or []]
    env, plain = generator.env, jinja2.Environment()
    packages = code_packages()
    filters, no_filters = shippable(dict(env.filters), dict(plain.filters), packages)
    globals_, no_globals = shippable(dict(env.globals), dict(plain.globals), packages)
    tests, no_tests = shippable(dict(env.tests), dict(plain.tests), packages)
    options = dict(settings["JINJA_ENVIRONMENT"])
    try:
        pickled = pickle.dumps((sources, options, filters, globals_, tests, plugins))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return ThemeSpec(
        key=hashlib.sha256(pickled).hexdigest(),
        sources=sources,
        options=options,
        filters=filters,
        globals=globals_,
        tests=tests,
        plugins=plugins,
        unavailable=sorted(no_filters | no_globals | no_tests),
    )


def template_variables(spec: ThemeSpec, name: str) -> frozenset[str] | None:
    """Every variable (and filter and test) ``name`` and the templates it uses can read.

    None when that cannot be known (a template named by a computed expression).
    """
    env = jinja2.Environment(**spec.options)
    names: set[str] = set()
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in spec.sources:
            continue
        seen.add(current)
        tree = env.parse(spec.sources[current])
        names |= meta.find_undeclared_variables(tree)
        names |= {node.name for node in tree.find_all((nodes.Filter, nodes.Test))}
        for target in meta.find_referenced_templates(tree):
            if target is None:
                return None
            todo.append(target)
    return frozenset(names)
