"""Thin Pelican glue: read ``LUNR_SEARCH``, index published articles, write the files.

Signal: ``get_generators``. The generator it returns is built at start-up (settings and
the presence of lunr.js are checked before any content is read) and its
``generate_output`` runs in Pelican's output phase, after every article has been read
and finalised (so ``context["articles"]`` is complete), writing files of its own into
the output folder like any other generator.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import blinker
from pelican import signals

from sitewide import text_store
from sitewide.settings import BUILD_KEY
from sitewide.state import load_keyed, save_keyed

from .background import FileSpec, IndexJob, Worker, worth_a_worker
from .documents import INDEX_FIELDS, DocInput, digest_documents, number_documents
from .index_builder import DEFAULT_BOOSTS
from .sharding import DEFAULT_SHARD_BYTES
from .writer import DEFAULT_DOCS_PER_CHUNK, StagedFiles, write_files, write_if_changed

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_TAG = re.compile(r"<[^>]*>")

#: Documented defaults; ``LUNR_SEARCH`` in pelicanconf.py is merged over them.
DEFAULTS: dict[str, Any] = {
    # folder under OUTPUT_PATH for manifest.js, shard-NNN.js, docs-NNN.js, lunr.js
    "OUTPUT_DIR": "search",
    # build-time field boosts, merged over these (keys: title, authors, agency, body)
    "BOOSTS": dict(DEFAULT_BOOSTS),
    # a shard is closed once its JSON reaches this many bytes
    "SHARD_BYTES": DEFAULT_SHARD_BYTES,
    # result metadata: documents per docs-NNN.js
    "DOCS_PER_CHUNK": DEFAULT_DOCS_PER_CHUNK,
    # lunr.js copied to <OUTPUT_DIR>/lunr.js; None: the npm-installed lunr.min.js
    "LUNR_JS": None,
    # start the index as soon as the articles are final (it builds while pages render);
    # False: when the search files are written (the dev server renders the page in view first)
    "START_EARLY": True,
}
#: Settings that say when the index is built, not what it holds (left out of its inputs digest).
SCHEDULING_SETTINGS = frozenset({"START_EARLY"})


class LunrSearchSettingsError(ValueError):
    """The ``LUNR_SEARCH`` setting is malformed."""


class LunrSearchError(RuntimeError):
    """The search index cannot be built (e.g. lunr.js is not installed)."""


def _positive_int(merged: Mapping[str, Any], key: str) -> None:
    value = merged[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LunrSearchSettingsError(f"LUNR_SEARCH: {key} must be an integer >= 1, got {value!r}")


def load_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``LUNR_SEARCH`` over the defaults and validate; never mutates ``settings``."""
    user = settings.get("LUNR_SEARCH") or {}
    if not isinstance(user, Mapping):
        raise LunrSearchSettingsError(f"LUNR_SEARCH: expected a dict, got {user!r}")
    unknown = sorted(set(user) - set(DEFAULTS))
    if unknown:
        raise LunrSearchSettingsError(
            f"LUNR_SEARCH: unknown key(s) {', '.join(unknown)};"
            f" known: {', '.join(sorted(DEFAULTS))}"
        )
    merged = dict(DEFAULTS, **user)
    boosts = merged["BOOSTS"]
    if not isinstance(boosts, Mapping) or set(boosts) - set(INDEX_FIELDS):
        raise LunrSearchSettingsError(
            f"LUNR_SEARCH: BOOSTS must map some of {', '.join(INDEX_FIELDS)} to numbers"
        )
    merged["BOOSTS"] = dict(DEFAULT_BOOSTS, **boosts)
    for field, boost in merged["BOOSTS"].items():
        if isinstance(boost, bool) or not isinstance(boost, int | float) or boost <= 0:
            raise LunrSearchSettingsError(f"LUNR_SEARCH: BOOSTS[{field!r}] must be > 0")
    _positive_int(merged, "SHARD_BYTES")
    _positive_int(merged, "DOCS_PER_CHUNK")
    out_dir = merged["OUTPUT_DIR"]
    if not isinstance(out_dir, str) or not out_dir.strip("/") or ".." in Path(out_dir).parts:
        raise LunrSearchSettingsError("LUNR_SEARCH: OUTPUT_DIR must be a folder inside the output")
    if merged["LUNR_JS"] is not None and not isinstance(merged["LUNR_JS"], str | Path):
        raise LunrSearchSettingsError("LUNR_SEARCH: LUNR_JS must be a path or None")
    return merged


def lunr_js_path(config: Mapping[str, Any]) -> Path:
    """Find the lunr.js to ship; fail clearly if npm has not installed it."""
    configured = config["LUNR_JS"]
    path = Path(configured) if configured else PROJECT_ROOT / "node_modules/lunr/lunr.min.js"
    if not path.is_file():
        raise LunrSearchError(
            f"LUNR_SEARCH: lunr.js not found at {path}; run `npm ci` in {PROJECT_ROOT}"
            " (package-lock.json pins lunr 2.3.9)"
        )
    return path


def html_to_text(summary: str) -> str:
    """The text of an HTML summary (Pelican's, from a Markdown or HTML article)."""
    return html.unescape(_TAG.sub("", summary)).strip()


def excerpt(article: Any) -> str:
    """An article's summary as plain text: the page escapes every string it shows.

    The seed reader's summary is plain text already (its articles say so with
    ``summary_format = "text"``, see docs/contracts.md) and is used as it is;
    any other article's summary is Pelican's, which is HTML.
    """
    summary = str(getattr(article, "summary", "") or "")
    if getattr(article, "summary_format", "html") == "text":
        return summary.strip()
    return html_to_text(summary)


def article_input(article: Any) -> DocInput:
    """Return the search view of an article (attributes per docs/contracts.md)."""
    return DocInput(
        title=str(getattr(article, "title", "") or ""),
        authors=[author.name for author in getattr(article, "authors", None) or []],
        agency=str(getattr(article, "agency", "") or ""),
        body=text_store.held(article, "body_text") or "",  # (a handle: read when sent)
        url=str(article.url),
        date=getattr(article, "date", None),
        excerpt=excerpt(article),
    )


#: Generators of the running build, so the articles generator's signal can find its own.
_instances: weakref.WeakSet[LunrSearchGenerator] = weakref.WeakSet()


class LunrSearchGenerator:
    """Writes the sharded index, the docs chunks and lunr.js into ``OUTPUT_DIR``."""

    def __init__(
        self,
        context: dict[str, Any],
        settings: Mapping[str, Any],
        path: str,
        theme: str,
        output_path: str,
        **kwargs: Any,
    ) -> None:
        """Check settings and lunr.js at start-up, before any content is read."""
        self.context = context
        _instances.add(self)
        self.config = load_settings(settings)
        # agency-less articles are filtered under the name of their category page
        self.unattributed = str(settings.get("DEFAULT_CATEGORY") or "Unattributed")
        self.lunr_js = lunr_js_path(self.config)
        # The templates show the folder (the search page loads the index from
        # it, article pages highlight from it); they never read LUNR_SEARCH.
        # Stripped: "/search/" is a folder of the output, never the disk's root.
        root = context["SEARCH_ROOT"] = self.config["OUTPUT_DIR"].strip("/")
        self.out_dir = Path(output_path) / root
        # With Pelican's content cache on, an index whose inputs did not change
        # since the last build into this folder is not built again.  Everything
        # kept is keyed by the build key: other code never reuses it.
        self.build_key = str(settings.get(BUILD_KEY) or "")
        cache = (
            Path(settings["CACHE_PATH"])
            if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH")
            else None
        )
        self.stamp = cache / "lunr_search.inputs" if cache else None
        self.spec = FileSpec(
            shard_bytes=self.config["SHARD_BYTES"],
            docs_per_chunk=self.config["DOCS_PER_CHUNK"],
            unattributed=self.unattributed,
            analyses_file=str(cache / "lunr_search.analyses.pickle") if cache else None,
            build_key=self.build_key,
        )
        if cache:  # what earlier code kept apart (its contents are in the analyses file now)
            (cache / "lunr_search.pairs.pickle").unlink(missing_ok=True)
        # Generators are made before anything is read: when the last build had an
        # index worth a worker, start one now, so it is ready when the articles are.
        early = self.config["START_EARLY"]
        self.worker = Worker(self.spec) if early and self._last_was_big() else None

    def _stamped(self) -> tuple[str, int]:
        """The last build's inputs digest and document count ("", 0 when unknown)."""
        saved = load_keyed(self.stamp, self.build_key)
        if isinstance(saved, tuple) and len(saved) == 2:
            return str(saved[0]), int(saved[1])
        return "", 0

    def _last_was_big(self) -> bool:
        return worth_a_worker(self._stamped()[1])

    def inputs_digest(self, docs: list[Any]) -> str:
        """Digest of everything the search files are made from."""
        what = sorted((k, v) for k, v in self.config.items() if k not in SCHEDULING_SETTINGS)
        hasher = hashlib.sha256(repr(what).encode())
        hasher.update(self.unattributed.encode())
        hasher.update(self.lunr_js.read_bytes())
        digest_documents(hasher, docs)
        return hasher.hexdigest()

    def unchanged(self, digest: str) -> bool:
        """Whether the last build into this folder had the same inputs and left its files."""
        return self._stamped()[0] == digest and (self.out_dir / "manifest.js").is_file()

    def start(self) -> None:
        """Collect the documents and start building the index (in a worker when big).

        Called as soon as the articles are final (``article_generator_finalized``;
        ``all_generators_finalized`` at the latest), so the index builds while
        related links are resolved and pages render; ``generate_output`` collects it.
        """
        self.started = time.perf_counter()
        articles = self.context.get("articles") or []
        # Only the count is kept here: the documents (every article's text) go to the job.
        docs = number_documents(article_input(article) for article in articles)
        self.doc_count = len(docs)
        self.digest = self.inputs_digest(docs)
        worker, self.worker = self.worker, None
        if self.unchanged(self.digest):
            self.job = None
            if worker is not None:
                worker.close()
        else:
            self.job = IndexJob(docs, self.config["BOOSTS"], self.spec, worker)

    def forget_documents(self) -> None:
        """The articles' text changed since :meth:`start`: collect them again when written."""
        self.__dict__.pop("doc_count", None)
        job, self.job = getattr(self, "job", None), None
        if job is not None:
            job.abandon()

    def generate_output(self, writer: Any) -> None:
        """Write the index built since :meth:`start` (started here if it was not)."""
        if not hasattr(self, "doc_count"):
            self.start()
        # One consistent set: the dev server may forget the documents meanwhile
        # (forget_documents), for the next change to collect them again.
        started, count, digest, job = self.started, self.doc_count, self.digest, self.job
        if job is None:
            logger.info(
                "Search: %d articles, inputs unchanged; index kept",
                count,
                extra={
                    "report_section": "search",
                    "report_data": {"articles": count, "index": "kept (inputs unchanged)"},
                },
            )
            return
        built = job.result()
        # Written once: the documents and the files' bytes are not kept (a long-lived
        # process, the dev server, keeps its last build's generators).
        if self.job is job:
            self.job = None
            self.__dict__.pop("doc_count", None)
        waited = time.perf_counter()
        try:
            result = write_files(self.out_dir, built.files)
        finally:
            if isinstance(built.files, StagedFiles):
                built.files.remove()
        copied = write_if_changed(self.out_dir / "lunr.js", self.lunr_js.read_bytes())
        save_keyed(self.stamp, self.build_key, (digest, count))
        logger.info(
            "Search: %d articles, %d terms, %d shards; %d files written, %d unchanged,"
            " %d removed; index %.1fs, files %.1fs (started %.1fs before needed), write %.1fs",
            count,
            built.term_count,
            built.shard_count,
            len(result.written) + int(copied),
            len(result.unchanged) + int(not copied),
            len(result.removed),
            built.index_seconds,
            built.files_seconds,
            waited - started,
            time.perf_counter() - waited,
            extra={
                "report_section": "search",
                "report_data": {
                    "articles": count,
                    "terms": built.term_count,
                    "shards": built.shard_count,
                    "files_written": len(result.written) + int(copied),
                    "files_unchanged": len(result.unchanged) + int(not copied),
                    "files_removed": len(result.removed),
                    "index_seconds": round(built.index_seconds, 3),
                    "files_seconds": round(built.files_seconds, 3),
                    "seconds_from_start_to_result": round(waited - started, 3),
                },
            },
        )


def start_index_early(articles_generator: Any) -> None:
    """``article_generator_finalized`` receiver: start as soon as the articles are final.

    Search reads only what the reader set (title, byline, body text, summary,
    date) and the URLs the seed reader froze before this signal, so the index
    can build while related links are resolved and pages render.
    """
    for generator in list(_instances):
        if (
            generator.context is articles_generator.context
            and generator.config["START_EARLY"]
            and not hasattr(generator, "doc_count")
        ):
            generator.start()


def start_index(generators: list[Any]) -> None:
    """``all_generators_finalized`` receiver: start the index, if not started yet."""
    for generator in generators:
        if (
            isinstance(generator, LunrSearchGenerator)
            and generator.config["START_EARLY"]
            and not hasattr(generator, "doc_count")
        ):
            generator.start()


def collect_again(articles_generator: Any, article: Any = None) -> bool:
    """``archive.article_text_changed`` receiver: the index is made from the new text."""
    for generator in list(_instances):
        if generator.context is articles_generator.context:
            generator.forget_documents()
    return True


#: See docs/contracts.md (sent by the dev server's warm core).
ARTICLE_TEXT_CHANGED = blinker.signal("archive.article_text_changed")


def get_generators(pelican: Any) -> type[LunrSearchGenerator]:
    """Hand Pelican our generator class."""
    return LunrSearchGenerator


def register() -> None:
    """Connect the plugin's signal receivers."""
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(start_index_early)
    signals.all_generators_finalized.connect(start_index)
    ARTICLE_TEXT_CHANGED.connect(collect_again)
