"""Run one Pelican build of the archive and produce an honest report.

Stock Pelican logs a reader exception and exits 0.  Here a bad seed is a data
problem (reported, build goes on, exit 0 unless ``strict``) while an exception
in our own code is a bug (reported with type and location, exit non-zero).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import shutil
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import LimitFilter
from pelican.settings import read_settings

from sitewide import free_memory, text_store

from .cluster import ClusterError, ClusterSession
from .phase_cpu import PhaseCpu
from .render_partitions import PartitionedPelican
from .report import BuildReport, ReportCollector
from .sync import SyncError, sync_tree

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
#: The plugins' folder (pelicanconf.py's PLUGIN_PATHS).
PLUGINS_FOLDER = ROOT / "plugins"
STAGING_ROOT = ROOT / ".cache" / "build"
#: Environment variable naming another folder for staging (tests use a temporary one).
STAGING_ENV = "ARCHIVE_STAGING_ROOT"


@dataclass(frozen=True)
class BuildOptions:
    """What one build reads and writes."""

    settings_file: Path = ROOT / "pelicanconf.py"
    seeds: Path | None = None
    output: Path | None = None
    report: Path | None = ROOT / "build-report.json"
    strict: bool = False
    overrides: tuple[tuple[str, Any], ...] = ()
    #: Dask scheduler to run tasks on (else ``ARCHIVE_SCHEDULER``, else local; see cluster.py).
    scheduler: str | None = None


_current: BuildReport | None = None


def _count_outputs(generators: list[Any]) -> None:
    """``all_generators_finalized`` receiver: how many articles and pages will be written."""
    if _current is None:
        return
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            _current.articles_written = len(generator.articles) + len(generator.hidden_articles)
        elif isinstance(generator, PagesGenerator):
            _current.pages_written = len(generator.pages) + len(generator.hidden_pages)


signals.all_generators_finalized.connect(_count_outputs)

#: Signal -> the phase that ends when it fires, in build order.
PHASE_ENDS = (
    (signals.article_generator_finalized, "read"),
    (signals.all_generators_finalized, "related and other cross-article work"),
    (signals.page_writer_finalized, "render and write pages"),
    (signals.finalized, "search index and static files"),
)


def build_settings(options: BuildOptions) -> dict[str, Any]:
    """Pelican settings for ``options`` (seeds and output folders overridden)."""
    override: dict[str, Any] = dict(options.overrides)
    if options.seeds is not None:
        override["ARTICLE_PATHS"] = [str(Path(options.seeds).resolve())]
    if options.output is not None:
        override["OUTPUT_PATH"] = str(Path(options.output).resolve())
    return read_settings(str(options.settings_file), override=override)


def staging_folder(output: str) -> Path:
    """A persistent staging folder per output folder, outside the published site."""
    key = hashlib.sha1(str(Path(output).resolve()).encode()).hexdigest()[:12]
    return Path(os.environ.get(STAGING_ENV) or STAGING_ROOT) / key


def build_key(plugin_paths: list[str]) -> str:
    """The one digest of the code that builds the site: Pelican's version and the plugins.

    Passed to every part as ``settings["BUILD_KEY"]``: Pelican's content cache
    lives under it (parsed articles from an older parser are never reused),
    the incremental writer's site key holds it, and what plugins keep between
    builds is valid only under it.  The plugin folders are read once, here.
    """
    hasher = hashlib.sha256(pelican_version().encode())
    for folder in map(Path, plugin_paths):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                hasher.update(str(path.relative_to(folder)).encode() + b"\0")
                hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def pelican_version() -> str:
    """Pelican's version (its output and our private hooks depend on it)."""
    import pelican

    return str(getattr(pelican, "__version__", ""))


def configure_incremental(settings: dict[str, Any], staging: Path) -> None:
    """Build into a persistent staging folder, reusing what the last build made.

    Pelican's content cache skips re-reading unchanged seeds (keyed by our
    plugin code, so a parser change reads everything again); the incremental
    writer skips re-rendering unchanged pages and empties the folder itself
    whenever settings, templates or plugins change.
    """
    settings["OUTPUT_PATH"] = str(staging / "site")
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    settings["CACHE_CONTENT"] = True
    settings["LOAD_CONTENT_CACHE"] = True
    settings["CHECK_MODIFIED_METHOD"] = "mtime"
    settings["GZIP_CACHE"] = False  # compressing the cache took longer than reading it
    settings["BUILD_KEY"] = build_key(settings.get("PLUGIN_PATHS") or [])
    settings["CACHE_PATH"] = str(staging / "content-cache" / settings["BUILD_KEY"])
    settings["INCREMENTAL"] = {"STATE_FILE": str(staging / "render-state.json")}


#: In the staging folder while Pelican runs: the articles' long texts (sitewide.text_store).
TEXT_STORE = "article-texts.bin"
#: From this many seed files on, a build keeps texts in the store and gives memory back
#: (below it they save less than they cost: 0.1 s of a 0.4 s no-change build at 300 seeds).
SAVE_MEMORY_FROM = 2000

#: In the staging folder while Pelican writes into it; still there if a build was interrupted.
UNFINISHED_MARK = "build-unfinished"


def count_files(folders: Iterable[str | Path], enough: int) -> int:
    """Files below ``folders``, counted up to ``enough``."""
    count = 0
    for folder in folders:
        for _, _, files in os.walk(folder):
            count += len(files)
            if count >= enough:
                return count
    return count


def start_staging(staging: Path) -> bool:
    """Mark ``staging`` as being built; start it afresh if the last build there never finished.

    A build killed (or a Pelican run that raised) part-way leaves pages,
    caches and render state that may disagree (a page rendered from new seeds
    beside the old fingerprints, a half-written cache file).  Nothing of it
    is trusted: the site, the caches and the render state are removed, so this
    build renders everything.  The manifest of what was published is kept (the
    sync repairs the output from it).  Returns whether it started afresh.
    """
    mark = staging / UNFINISHED_MARK
    afresh = mark.exists()
    if afresh:
        for name in ("site", "content-cache"):
            shutil.rmtree(staging / name, ignore_errors=True)
        (staging / "render-state.json").unlink(missing_ok=True)
        logger.info(
            "The last build into %s was interrupted: building it again from scratch",
            staging,
        )
    staging.mkdir(parents=True, exist_ok=True)
    mark.touch()
    return afresh


def run_build(options: BuildOptions) -> BuildReport:
    """Build the site once; never raises for data or code problems, reports them."""
    global _current
    started = time.perf_counter()
    settings = build_settings(options)
    output = Path(settings["OUTPUT_PATH"])
    staging = staging_folder(str(output))
    configure_incremental(settings, staging)
    report = BuildReport(
        seeds_dir=", ".join(settings["ARTICLE_PATHS"]),
        output_dir=str(output),
        strict=options.strict,
    )
    missing = [folder for folder in settings["ARTICLE_PATHS"] if not Path(folder).is_dir()]
    for folder in missing:
        report.errors.append({"file": folder, "message": "seed folder does not exist"})

    _reset_log_limits()
    collector = ReportCollector(report)
    root = logging.getLogger()
    root.addHandler(collector)
    saved_level = root.level
    root.setLevel(min(saved_level or logging.WARNING, logging.INFO))  # report sections are INFO
    _current = report
    phase_cpu = PhaseCpu(PHASE_ENDS)
    try:
        if not missing:
            # The session checks a named scheduler first: a wrong one touches nothing.
            # A big archive's long texts wait in a file, not in this process, and each
            # phase's freed memory goes back to the system; a small one needs neither.
            big = count_files(settings["ARTICLE_PATHS"], SAVE_MEMORY_FROM) >= SAVE_MEMORY_FROM
            with (
                _cyclic_gc_paused(),
                _read_cache_dropped(),
                _per_file_lines_unless_shown(root, collector),
                _free_memory_given_back() if big else contextlib.nullcontext(),
                ClusterSession(options.scheduler),
            ):
                start_staging(staging)
                texts = (
                    text_store.storing(staging / TEXT_STORE) if big else contextlib.nullcontext()
                )
                with phase_cpu, texts:
                    PartitionedPelican(settings).run()
            (staging / UNFINISHED_MARK).unlink()  # what is staged agrees with its render state
    except ClusterError as exc:  # a configuration error, not a bug in our code
        report.errors.append({"file": "", "message": str(exc)})
    except Exception as exc:  # a bug: report it with where it was raised
        report.bugs.append(_bug_entry(exc))
    finally:
        _current = None
        root.removeHandler(collector)
        root.setLevel(saved_level)
    # The seed reader lists the seed folders (the seeds it reads, the other files).
    inventory = report.sections.pop("seed_folder", None) or {}
    report.seeds_found = int(inventory.get("seeds", 0))
    report.ignored_files = list(inventory.get("other_files", []))
    # Wall time per phase, from the same end-of-phase readings as the CPU section.
    report.phases = {phase: v["seconds"] for phase, v in phase_cpu.per_phase().items()}
    _check_nothing_lost(report)
    sync_started = time.perf_counter()
    if report.exit_code:
        reason = "build failed" if report.failed else "--strict: skipped seeds or warnings"
        report.sections["sync"] = {
            "published": False,
            "reason": f"{reason}; output left untouched",
        }
    else:
        try:
            synced = sync_tree(staging / "site", output, staging / "manifest.json")
        except (SyncError, OSError) as exc:
            report.errors.append({"file": str(output), "message": f"publishing failed: {exc}"})
            report.sections["sync"] = {"published": False, "reason": str(exc)}
            return _finish(report, options, started)
        report.phases["publish (sync to output)"] = round(time.perf_counter() - sync_started, 3)
        report.sections["sync"] = {
            "published": True,
            "written": len(synced.written),
            "deleted": len(synced.deleted),
            "unchanged": synced.unchanged,
        }
    return _finish(report, options, started)


def _forget_read_cache(generator: Any) -> None:
    """``article_generator_finalized``: drop Pelican's reader cache from memory, saved by now.

    Pelican keeps every seed's original HTML and metadata dict in it to the
    end of the process, though nothing reads it after the articles are made
    (it was written to the cache folder just before this signal).  The related
    plugin then gives most articles a new HTML (placeholders rendered), so the
    original would be held twice: about 5 KB per article.  Only the build
    runner's one-off builds drop it (the dev server keeps reading through it).
    """
    readers = getattr(generator, "readers", None)
    if isinstance(getattr(readers, "_cache", None), dict):
        readers._cache = {}


@contextlib.contextmanager
def _read_cache_dropped() -> Iterator[None]:
    signals.article_generator_finalized.connect(_forget_read_cache)
    try:
        yield
    finally:
        signals.article_generator_finalized.disconnect(_forget_read_cache)


#: Pelican's loggers that say a line per file written (``Writing "..."``).
PER_FILE_LOGGERS = ("pelican.writers",)


@contextlib.contextmanager
def _per_file_lines_unless_shown(
    root: logging.Logger, collector: logging.Handler
) -> Iterator[None]:
    """No ``Writing "..."`` line per page unless a handler shows INFO lines (``--verbose``).

    The build sets the root logger to INFO for its report sections, so every
    page's line was made, and Pelican's de-duplicating log filter kept each
    one for the rest of the build (2.6 MB at 10,000 articles, traced).
    """
    shown = min(
        (handler.level for handler in root.handlers if handler is not collector),
        default=logging.WARNING,
    )
    if shown <= logging.INFO:
        yield
        return
    loggers = [logging.getLogger(name) for name in PER_FILE_LOGGERS]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, saved, strict=True):
            logger.setLevel(level)


#: Where a phase has freed what it made, its free pages go back to the system: at
#: each phase's end but the build's own.
_GIVE_BACK_AT = tuple(signal for signal, _ in PHASE_ENDS[:-1])


def _give_back_free_memory(sender: Any, **kwargs: Any) -> None:
    free_memory.give_back()


@contextlib.contextmanager
def _free_memory_given_back() -> Iterator[None]:
    """Return the allocator's free pages to the system as each phase ends (free_memory)."""
    for signal in _GIVE_BACK_AT:
        signal.connect(_give_back_free_memory)
    try:
        yield
    finally:
        for signal in _GIVE_BACK_AT:
            signal.disconnect(_give_back_free_memory)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Keep Python's cycle collector off the articles while the build holds them.

    Reading and cross-article work build a heap of every article (2 GB at
    50,000) and free almost nothing, yet each full collection walks all of it:
    the collector is paused until the articles are final, then they are frozen
    (``gc.freeze``: never walked again) and collection resumes for what
    rendering leaves behind (Jinja leaves cycles on every page).  A 50,000
    article rebuild with no change took 52 s with the collector on throughout.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    signals.all_generators_finalized.connect(_resume_gc_over_frozen_articles)
    try:
        yield
    finally:
        signals.all_generators_finalized.disconnect(_resume_gc_over_frozen_articles)
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
        gc.collect()


def _resume_gc_over_frozen_articles(sender: Any) -> None:
    """``all_generators_finalized``: freeze what exists (the articles), collect the rest."""
    gc.freeze()
    gc.enable()


def _finish(report: BuildReport, options: BuildOptions, started: float) -> BuildReport:
    report.seconds = time.perf_counter() - started
    if options.report is not None:
        report.write(Path(options.report))
    return report


def _reset_log_limits() -> None:
    """Pelican de-duplicates log messages per process; each build must see its own."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def _bug_entry(exc: BaseException) -> dict[str, str]:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [
        frame for frame in frames if str(ROOT) in frame.filename and ".venv" not in frame.filename
    ]
    frame = (ours or frames or [None])[-1]
    where = f"{frame.filename}:{frame.lineno} in {frame.name}" if frame else "?"
    return {
        "file": "",
        "type": type(exc).__name__,
        "where": where,
        "message": str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
    }


def _check_nothing_lost(report: BuildReport) -> None:
    """Every seed must be an article or a named line in the report."""
    accounted = report.articles_written + len(report.skipped) + len(report.bugs)
    duplicates = report.sections.get("duplicates", {}) or {}
    accounted += len(duplicates.get("dropped", [])) if isinstance(duplicates, dict) else 0
    if not report.failed and accounted < report.seeds_found:
        report.errors.append(
            {
                "file": report.seeds_dir,
                "message": f"{report.seeds_found - accounted} seed(s) neither built nor reported",
            }
        )
