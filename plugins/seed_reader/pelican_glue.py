"""Thin Pelican glue: register the ``.txt`` seed reader, drop exact duplicates, keep slugs unique.

A bad seed is a data problem: the reader logs one warning naming the file and
the reason (with ``report_kind="skipped"`` for the build report) and hands
Pelican a ``skip`` status so the build goes on.  Any other exception is a bug
in our code: it is logged with its type and location, marked ``bug`` so the
build runner fails the build, and re-raised.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import blinker
from pelican import signals
from pelican.contents import Article
from pelican.readers import BaseReader
from pelican.utils import file_suffix
from pelican.utils import slugify as pelican_slugify

from sitewide import text_store
from sitewide.paths import absolute_path, relative_path_from
from sitewide.settings import BUILD_KEY, plugin_enabled

from .dedupe import assign_unique_slugs, exact_duplicates
from .listing import SeedListing, list_seed_folders, still_current
from .parallel import default_workers, parse_files
from .parser import Seed, SeedError, parse_seed_bytes
from .taxonomy import distinct_slugs
from .text import clean_text, safe_name_slug

#: A seed article's long texts, kept in the build's text store while one is open: the
#: attributes (body HTML, plain text) and the metadata the reader hands Pelican.
STORED_ATTRIBUTES = ("_content", "body_text")
STORED_METADATA = ("body_text",)

logger = logging.getLogger(__name__)

#: Slugs an author or agency page may not take: ``authors/index.html`` is the list page.
RESERVED_TAXONOMY_SLUGS = frozenset({"index"})

DEFAULTS: dict[str, Any] = {
    # Extra host -> readable name pairs for ``source_site`` (e.g. {"kommersant.ru": "Kommersant"}).
    "SITE_NAMES": {},
    # Processes that parse seeds ahead of Pelican on big cold builds; None: one per core.
    "WORKERS": None,
}


def settings_for(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    """``SEED_READER`` merged over :data:`DEFAULTS`, validated."""
    user = pelican_settings.get("SEED_READER", {}) or {}
    unknown = set(user) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"SEED_READER: unknown setting(s) {sorted(unknown)}")
    merged = dict(DEFAULTS, **user)
    if not isinstance(merged["SITE_NAMES"], dict):
        raise ValueError("SEED_READER['SITE_NAMES'] must be a dict of host -> name")
    workers = merged["WORKERS"]
    if workers is not None and (
        not isinstance(workers, int) or isinstance(workers, bool) or workers < 1
    ):
        raise ValueError("SEED_READER['WORKERS'] must be None or an integer >= 1")
    return merged


class SeedReader(BaseReader):
    """Read a scraped news seed into article metadata and sanitised HTML."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["txt"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        config = settings_for(settings)
        self.site_names = config["SITE_NAMES"]
        self.workers = config["WORKERS"] or default_workers()
        # Seeds parsed ahead in worker processes, by absolute path (see parse_ahead).
        self.prepared: dict[str, Seed | SeedError] = {}
        base = Path(settings.get("PATH", "."))
        self.seed_roots = tuple((base / folder).resolve() for folder in settings["ARTICLE_PATHS"])
        self._root_prefixes = tuple(os.path.join(root, "") for root in self.seed_roots)

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Parse one seed; a bad one gives ``status: skip`` with the reason.

        Reasons and warnings travel in the metadata and are logged by the
        receivers below, so they are reported on every build, also when
        Pelican's content cache answers instead of this reader.
        """
        try:
            if not self._inside_seed_folders(source_path):
                raise SeedError("a symbolic link to a file outside the seed folder; not read")
            seed = self.prepared.pop(source_path, None) or parse_seed_bytes(
                Path(source_path).read_bytes(), site_names=self.site_names
            )
            if isinstance(seed, SeedError):
                raise seed
        except SeedError as exc:
            return "", skip_metadata(source_path, str(exc))
        except OSError as exc:
            return "", skip_metadata(source_path, f"cannot read file: {exc.strerror or exc}")
        except Exception as exc:
            log_bug(source_path, exc)
            raise
        return clean_text(text_store.plain(seed.body_html)), self.metadata_for(seed)

    def _inside_seed_folders(self, source_path: str) -> bool:
        """Whether the file (after following symbolic links) lies inside a seed folder."""
        resolved = os.path.realpath(source_path)
        return not self.seed_roots or any(resolved.startswith(root) for root in self._root_prefixes)

    def metadata_for(self, seed: Seed) -> dict[str, Any]:
        """Pelican metadata for a parsed seed, every value via ``process_metadata``."""
        raw: dict[str, Any] = {
            "title": seed.title,
            "slug": seed.slug,
            "summary": seed.summary,
            "dateline": seed.dateline,
            "caption": seed.caption,
            "credit": seed.credit,
            "source_url": seed.source_url,
            "source_site": seed.source_site,
            "lead": seed.lead,
            "body_text": seed.body_text,
            "related_titles": list(seed.related_titles),
            "word_count": seed.word_count,
            "reading_time": seed.reading_time,
            "date_source": seed.date_source,
            "seed_warnings": list(seed.warnings),
            "fingerprint": seed.fingerprint,
        }
        if seed.authors:
            raw["authors"] = list(seed.authors)
        if seed.agency:
            raw["category"] = seed.agency
        # Character references are decoded after the parser cleaned the text
        # (``&#xFFFE;`` in a title or body): clean what Pelican is handed, too.
        raw = {name: _cleaned(value) for name, value in raw.items()}
        metadata = {name: self.process_metadata(name, value) for name, value in raw.items()}
        for name in STORED_METADATA:  # in the build's text store, if one is open
            metadata[name] = text_store.kept(metadata[name])
        # Already a date: Pelican's processor would format and re-parse it (dateutil,
        # 150 us a seed).  Pelican gives naive dates the TIMEZONE, as for its own.
        metadata["date"] = dt.datetime.combine(seed.date, dt.time())
        for wrapper in [*metadata.get("authors", []), metadata.get("category")]:
            if wrapper is not None:
                # Author and agency pages are files named by Pelican's slug of the name:
                # never empty, over-long, ``index`` or another page's name.
                wrapper.slug = safe_name_slug(
                    wrapper.name, self._pelican_slug(wrapper), RESERVED_TAXONOMY_SLUGS
                )
        return metadata

    def _pelican_slug(self, wrapper: Any) -> str:
        """The slug Pelican would give an Author or Category (without its empty-slug warning)."""
        subs = self.settings.get(
            f"{type(wrapper).__name__.upper()}_REGEX_SUBSTITUTIONS",
            self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        )
        return pelican_slugify(
            wrapper.name,
            regex_subs=subs,
            preserve_case=self.settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=self.settings.get("SLUGIFY_USE_UNICODE", False),
        )


class SeedArticle(Article):
    """An article made from a seed: its text is data, never a link for Pelican to resolve.

    Pelican rewrites ``{static}``, ``{attach}``, ``{filename}`` (and ``|attach|``)
    links wherever its ``INTRASITE_LINK_REGEX`` finds them in an article's HTML,
    in any quoted attribute value, and copies the file they name into the site.
    Seed text comes from scraped pages, so every path into that machinery is
    closed here, for the body, the summary and every other field alike: the
    text is shown exactly as the seed wrote it, and no file is looked up.
    """

    #: The summary is plain text (the parser's), not HTML: plugins use it as it is.
    summary_format = "text"

    # The body's HTML and plain text: in the build's text store while one is open
    # (sitewide.text_store), read back when asked for.
    _content = text_store.StoredAttribute()
    body_text = text_store.StoredAttribute()

    def _update_content(self, content: str, siteurl: str) -> str:
        return content

    def get_content(self, siteurl: str) -> str:
        """The body as it is (no link to resolve), read anew.

        Pelican memoises it per article, which would hold every body in memory
        again (the text store's copy read back, or the related plugin's rewrite
        beside the memo of the text before it).
        """
        return self._content

    def get_static_links(self) -> set[str]:
        """No file is linked: nothing is copied into the site on a seed's word."""
        return set()

    def refresh_metadata_intersite_links(self) -> None:
        """Metadata (the summary) is shown as the reader made it."""
        return None

    @property
    def agency(self) -> str:
        """The agency the byline names: the category, unless it is the default (none named).

        Stored once, as the category Pelican groups agency pages by.
        """
        name = str(getattr(getattr(self, "category", None), "name", "") or "")
        return "" if name == self.settings.get("DEFAULT_CATEGORY") else name


def enabled(settings: dict[str, Any]) -> bool:
    """Whether this build lists the plugin (receivers outlive the build that connected them)."""
    return plugin_enabled(settings, __package__)


def seal_seed_article(content: Any) -> None:
    """``content_object_init`` receiver: every article is a seed, so it becomes a SeedArticle.

    Pelican builds articles with its own ``Article`` class; the seed reader is
    the only reader of the article folders (see :func:`list_seeds`), so any
    plain ``Article`` here carries seed text.
    """
    if type(content) is Article and enabled(content.settings):
        content.__class__ = SeedArticle
        text_store.keep_attributes(content, STORED_ATTRIBUTES)
        for name in STORED_METADATA:
            if name in content.metadata and name in vars(content):
                content.metadata[name] = vars(content)[name]  # one copy: the attribute's


def _cleaned(value: Any) -> Any:
    """``value`` with :func:`clean_text` applied to every string in it."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def skip_metadata(source_path: str, reason: str) -> dict[str, Any]:
    """Metadata that makes Pelican skip a file, carrying why."""
    return {"status": "skip", "seed_file": source_path, "skip_reason": reason}


def report_skipped(sender: Any, metadata: dict[str, Any]) -> None:
    """``article_generator_context`` receiver: one warning per skipped seed, every build."""
    if metadata.get("status") == "skip" and "skip_reason" in metadata:
        path, reason = metadata["seed_file"], metadata["skip_reason"]
        logger.warning(
            "Skipped seed %s: %s",
            path,
            reason,
            extra={"seed_file": path, "report_kind": "skipped", "reason": reason},
        )


def report_seed_warnings(articles: list[Any]) -> None:
    """Log what the parser noticed about each built seed (decoding fallbacks, ...)."""
    for article in articles:
        for warning in getattr(article, "seed_warnings", None) or []:
            logger.warning(
                "Seed %s: %s",
                article.source_path,
                warning,
                extra={"seed_file": article.source_path},
            )


#: What a seed's body alone decides (see :data:`ARTICLE_TEXT_CHANGED`): an article whose
#: other attributes are as they were is the same in every listing, slug, URL and link.
BODY_FIELDS = frozenset(
    {
        "_content",
        "_summary",
        "summary",
        "body_text",
        "caption",
        "credit",
        "dateline",
        "fingerprint",
        "lead",
        "reading_time",
        "word_count",
        "seed_warnings",
    }
)

#: Sent by the dev server's warm core when a kept article's :data:`BODY_FIELDS` alone
#: changed, in place (see docs/contracts.md).
ARTICLE_TEXT_CHANGED = blinker.signal("archive.article_text_changed")


def report_new_text(generator: Any, article: Any) -> bool:
    """``archive.article_text_changed`` receiver: what the parser noticed in the new text."""
    if enabled(generator.settings):
        report_seed_warnings([article])
    return True


def log_bug(source_path: str, exc: BaseException) -> None:
    """Log an unexpected exception with the file, its type and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
    logger.error(
        "Bug while reading %s: %s: %s (raised at %s)",
        source_path,
        type(exc).__name__,
        exc,
        where,
        extra={
            "bug": True,
            "seed_file": source_path,
            "exc_type": type(exc).__name__,
            "where": where,
        },
    )


def add_reader(readers: Any) -> None:
    """``readers_init`` receiver: seeds are ``.txt`` files, and only they.

    The articles generator is handed only seed files (:func:`list_seeds`);
    besides, other readers (Markdown for ``content/pages``) skip any file
    inside the seed folders or leading into them through a symbolic link, so
    a stray ``README.md`` among the seeds is never read as an article (the
    build report lists it as an ignored file).
    """
    seed_folders = tuple(
        str(Path(folder).resolve()) + "/" for folder in readers.settings["ARTICLE_PATHS"]
    )
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is not None and extension != "txt":
            readers.reader_classes[extension] = _outside_seed_folders(reader_class, seed_folders)
    readers.reader_classes["txt"] = SeedReader


def _outside_seed_folders(reader_class: type, seed_folders: tuple[str, ...]) -> type:
    """A subclass of ``reader_class`` that skips files inside the seed folders."""

    def read(self: Any, source_path: str) -> tuple[str, dict[str, Any]]:
        paths = (os.path.abspath(source_path), os.path.realpath(source_path))
        if any(path.startswith(seed_folders) for path in paths):
            return "", {"status": "skip"}
        return reader_class.read(self, source_path)

    return type(reader_class.__name__, (reader_class,), {"read": read})


def drop_exact_duplicates(generator: Any) -> None:
    """Build an exact duplicate seed (same source URL and body text) once, and report it.

    The seed first in path order is kept; each later copy is dropped with one
    warning naming both files, and listed in the report's ``duplicates`` section.
    """
    lists = ("articles", "drafts", "hidden_articles")
    everything = [a for name in lists for a in getattr(generator, name)]
    dropped = exact_duplicates([(a.source_path, getattr(a, "fingerprint", "")) for a in everything])
    for name in lists if dropped else ():
        setattr(
            generator, name, [a for a in getattr(generator, name) if a.source_path not in dropped]
        )
    for path, original in sorted(dropped.items()):
        logger.warning(
            "Seed %s is an exact duplicate of %s (same source URL and text); built once",
            path,
            original,
            extra={"seed_file": path},
        )
    logger.info(
        "%d exact duplicate seed(s) dropped",
        len(dropped),
        extra={
            "report_section": "duplicates",
            "report_data": {
                "dropped": [
                    {"file": path, "duplicate_of": original}
                    for path, original in sorted(dropped.items())
                ]
            },
        },
    )


def make_slugs_unique(generator: Any) -> None:
    """No article may overwrite another: clashing slugs get ``-2``, ``-3`` ..."""
    articles = generator.articles + generator.drafts + generator.hidden_articles
    assign_unique_slugs(articles)
    freeze_urls(articles)


_frozen_classes: dict[type, type] = {}


def freeze_urls(articles: list[Any]) -> None:
    """Compute each article's ``url`` and ``save_as`` once, now that slugs are final.

    Pelican formats them from settings on every access; templates, plugins and
    listings ask tens of times per article, which at archive scale costs more
    than rendering.  The article's class is swapped for a subclass whose
    ``url``/``save_as`` are cached properties with the same definitions.
    """
    for article in articles:
        cls = type(article)
        if cls not in _frozen_classes:
            _frozen_classes[cls] = type(
                cls.__name__,
                (cls,),
                {
                    "__module__": cls.__module__,
                    "url": functools.cached_property(cls.url.fget),
                    "save_as": functools.cached_property(cls.save_as.fget),
                },
            )
        article.__class__ = _frozen_classes[cls]


def make_name_slugs_distinct(articles: list[Any], default_category: str = "") -> None:
    """Distinct author (or agency) names never share a page: each gets a slug of its own.

    Pelican groups authors and agencies by slug, so two names with one slug
    (王伟 and 汪伟: ``wang-wei``) would become one page and one name would
    vanish.  Every author and agency object of every article is given its
    name's slug from :func:`distinct_slugs`, before Pelican groups them (the
    default agency keeps its slug).
    """
    for attribute in ("authors", "category"):
        wrappers: list[Any] = []
        for article in articles:
            value = getattr(article, attribute, None)
            if isinstance(value, list | tuple):
                wrappers.extend(value)
            elif value is not None:
                wrappers.append(value)
        given = {wrapper.name: wrapper.slug for wrapper in wrappers}
        slugs = distinct_slugs(given, keep={default_category})
        # Most names keep their slug: set only the others (20,000 setters per save at 10k).
        # Every wrapper of one name has the same slug (the reader's, from the name alone).
        moved = {name: slug for name, slug in slugs.items() if slug != given[name]}
        if moved:
            for wrapper in wrappers:
                slug = moved.get(wrapper.name)
                if slug is not None:
                    wrapper.slug = slug


def on_pretaxonomy(generator: Any) -> None:
    """``article_generator_pretaxonomy`` receiver: warnings, duplicates out, unique slugs."""
    report_seed_warnings(generator.articles + generator.drafts + generator.hidden_articles)
    drop_exact_duplicates(generator)
    make_slugs_unique(generator)
    make_name_slugs_distinct(
        generator.articles + generator.drafts + generator.hidden_articles,
        generator.settings.get("DEFAULT_CATEGORY", ""),
    )


def list_seeds(generator: Any) -> None:
    """``article_generator_init`` receiver: the articles generator reads seed files only.

    Pelican's own listing follows every symbolic link (a loop walks for
    minutes), opens whatever it finds (a FIFO blocks forever) and hands any
    file a reader exists for to that reader.  Here the seed folders are listed
    once (:func:`list_seed_folders`), every entry not read is reported, and
    the generator's ``get_files`` answers the article folders with the seed
    files alone (other folders, e.g. pages, keep Pelican's listing).
    """
    if not enabled(generator.settings):
        return
    article_paths = list(generator.settings["ARTICLE_PATHS"])
    folders = [os.path.join(generator.path, path) for path in article_paths]
    base = (generator.path, os.getcwd())  # what the seeds' relative names depend on
    last = _last_listing.get("listing")
    if last is not None and _last_listing["base"] == base and still_current(last, folders):
        listing, named = last, _last_listing["seeds"]
    else:
        listing = list_seed_folders(folders)
        named = frozenset(relative_path_from(path, generator.path) for path in listing.seeds)
        _last_listing.update(listing=listing, seeds=named, base=base)
    report_listing(listing)
    seeds = set(named)
    pelican_get_files = generator.get_files

    def get_files(paths: Any, exclude: Any = None, extensions: Any = None) -> set[str]:
        if ([paths] if isinstance(paths, str) else list(paths)) != article_paths:
            return pelican_get_files(paths, exclude=exclude, extensions=extensions)
        if extensions is None or extensions is False:  # Pelican's: the readers' / any
            return set(seeds)
        # Asked for some extensions only (Pelican's check for disabled readers asks for
        # theirs: none, as a rule, and a seed is a ``.txt`` file).
        return {seed for seed in seeds if file_suffix(seed) in extensions}

    generator.get_files = get_files
    parse_ahead(generator)


#: The last seed listing, reused while its folders are unchanged (the dev server lists
#: them on every save: a twentieth of a second at 10,000 seeds).
_last_listing: dict[str, Any] = {}


def report_listing(listing: SeedListing) -> None:
    """One report line per entry not read; the count of seeds and the other files, for the report."""
    for entry in listing.not_read:
        if entry.looks_like_seed:
            logger.warning(
                "Skipped seed %s: %s",
                entry.path,
                entry.reason,
                extra={"seed_file": entry.path, "report_kind": "skipped", "reason": entry.reason},
            )
        else:
            logger.warning(
                "Not read from the seed folder: %s: %s",
                entry.path,
                entry.reason,
                extra={"seed_file": entry.path},
            )
    logger.info(
        "Seed folder: %d seed file(s), %d other file(s), %d entr(ies) not read",
        len(listing.seeds),
        len(listing.other_files),
        len(listing.not_read),
        extra={
            "report_section": "seed_folder",
            "report_data": {
                "seeds": len(listing.seeds)
                + sum(1 for entry in listing.not_read if entry.looks_like_seed),
                "other_files": listing.other_files,
            },
        },
    )


def parse_ahead(generator: Any) -> None:
    """Parse uncached seeds on every core first (called by :func:`list_seeds`)."""
    reader = generator.readers.readers.get("txt")
    if not isinstance(reader, SeedReader):
        return
    files = generator.get_files(
        generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"]
    )
    todo = [
        path
        for name, path in ((name, absolute_path(generator.path, name)) for name in files)
        if path.endswith(".txt")  # and answered by neither of Pelican's caches:
        and generator.get_cached_data(name, None) is None
        and generator.readers.get_cached_data(path, (None, None))[0] is None
    ]
    reader.prepared = parse_files(
        todo, reader.site_names, reader.workers, on_progress=_announce_parsed, keep=stow_texts
    )


def stow_texts(seed: Seed) -> Seed:
    """The seed with its long texts in the build's text store, if one is open.

    Parsed ahead, every seed waits in this process until Pelican reads it: with
    their texts, all of them at once (14 KB a seed, 1.4 GB at 100,000). They wait
    cleaned as the reader hands them on; the reader reads the HTML back, and the
    article keeps the same stored copy (``text_store.kept`` of a text just read).
    """
    if text_store.current() is None:
        return seed
    return replace(
        seed,
        body_html=text_store.kept(clean_text(seed.body_html)),
        body_text=text_store.kept(clean_text(seed.body_text)),
    )


#: Where long stages report how far they are (the build runner draws it; see contracts.md).
PROGRESS = blinker.signal("archive.progress")


def _announce_parsed(done: int, total: int) -> None:
    PROGRESS.send(__name__, stage="Parsing seeds", done=done, total=total)


class BuildRunnerRequired(RuntimeError):
    """The archive is being built by plain ``pelican``, not by the build runner."""


def require_build_runner(pelican_object: Any) -> None:
    """``initialized`` receiver: stop plain ``pelican`` with a message naming ``invoke build``.

    The archive's build is Pelican plus what the runner adds (staging and sync,
    the content cache, incremental writing, one-pass listings, the report and
    its exit codes); plain ``pelican`` would build a different site, silently.
    """
    settings = pelican_object.settings
    if enabled(settings) and not settings.get(BUILD_KEY):
        raise BuildRunnerRequired(
            "this archive is built with `invoke build` (or `make build`), not plain `pelican`:"
            " the build runner adds staging, incremental writing, the build report and"
            " strict exit codes. Run: .venv/bin/invoke build"
        )


def register() -> None:
    """Connect the reader, the duplicate check and the slug de-duplication."""
    signals.initialized.connect(require_build_runner)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(seal_seed_article)
    signals.article_generator_init.connect(list_seeds)
    signals.article_generator_context.connect(report_skipped)
    signals.article_generator_pretaxonomy.connect(on_pretaxonomy)
    ARTICLE_TEXT_CHANGED.connect(report_new_text)
