"""Pelican's article listings, grouped in one pass instead of one scan per group.

Pelican 4.12 builds each author, agency (category), tag and period page's
``dates`` with ``[a for a in self.dates if a in articles]``: a list membership
test inside a scan of every article, once per group.  That is O(articles x
groups x group size); at 10,000 articles it cost 4 s of every build, and it
grows with the square of the archive.  :class:`ArchivePelican` runs Pelican
with :class:`ArchiveArticlesGenerator`, which hands the templates exactly the
same lists, computed in one pass over the articles.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from pelican import Pelican
from pelican.generators import ArticlesGenerator
from pelican.writers import FileOverwriteFailedError

from .read_cache import keep_texts_once

logger = logging.getLogger(__name__)

#: How Pelican keys its period archives (``_build_period_archives``).
PERIOD_KEYS: dict[str, Callable[[Any], Hashable]] = {
    "year": attrgetter("date.year"),
    "month": attrgetter("date.year", "date.month"),
    "day": attrgetter("date.year", "date.month", "date.day"),
}


def members_in_order(groups: Sequence[Sequence[Any]], ordered: Iterable[Any]) -> list[list[Any]]:
    """For each group, its members in the order of ``ordered``, in one pass.

    Members are matched by identity, as Pelican's ``in`` does for content
    objects (they define no equality of their own).
    """
    where: dict[int, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        for member in group:
            where[id(member)].append(index)
    result: list[list[Any]] = [[] for _ in groups]
    for item in ordered:
        for index in where.get(id(item), ()):
            result[index].append(item)
    return result


def bucket_by(items: Iterable[Any], key: Callable[[Any], Hashable]) -> dict[Hashable, list[Any]]:
    """``items`` grouped by ``key``, each group in the order of ``items``."""
    buckets: dict[Hashable, list[Any]] = defaultdict(list)
    for item in items:
        buckets[key(item)].append(item)
    return buckets


class ArchiveArticlesGenerator(ArticlesGenerator):
    """Pelican's articles generator with linear-time listings (same template data)."""

    # Pelican makes its readers in ``Generator.__init__`` and the seed reader consults
    # their cache at once (``article_generator_init``): switched as they are set.
    @property
    def readers(self) -> Any:
        """Pelican's ``Readers``, their cache kept by :mod:`newsarchive.read_cache`."""
        return self.__dict__["readers"]

    @readers.setter
    def readers(self, readers: Any) -> None:
        keep_texts_once(readers)
        self.__dict__["readers"] = readers

    def article_page_call(self, article: Any) -> tuple[str, dict[str, Any]]:
        """The file and keywords of the writer's call for ``article``'s page, as Pelican makes it.

        Made once per page: the unchanged check and the write share it (Pelican
        formats ``url`` and ``save_as`` from the settings on every access).
        """
        return article.save_as, {
            "article": article,
            "category": getattr(article, "category", None),
            "override_output": hasattr(article, "override_save_as"),
            "url": article.url,
            "blog": True,
        }

    def write_article_page(
        self, write: Callable[..., Any], call: tuple[str, dict[str, Any]], template: Any
    ) -> None:
        """The writer's call for one article's page (``call``: :meth:`article_page_call`)."""
        name, variables = call
        write(name, template, self.context, **variables)

    def article_page_unchanged(
        self, write: Callable[..., Any], call: tuple[str, dict[str, Any]], template: Any
    ) -> bool:
        """Whether the writer has this page as ``call`` would make it (then noted).

        Asked before ``article_generator_write_article`` is sent: what its
        receivers set is made from the article and the settings, which the
        page's fingerprint covers (docs/contracts.md), so an unchanged page
        needs neither them nor the writer's call.  A writer that keeps no
        fingerprints (Pelican's own) has every page to write.
        """
        if not isinstance(write, functools.partial):  # Pelican hands a partial of write_file
            return False
        unchanged = getattr(getattr(write.func, "__self__", None), "unchanged", None)
        if unchanged is None:
            return False
        name, variables = call
        return bool(
            unchanged(*write.args, name, template, self.context, **write.keywords, **variables)
        )

    def _build_period_archives(
        self, sorted_articles: list[Any], articles: list[Any], settings: dict[str, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        # Pelican fills ``archive["articles"]`` by scanning ``articles`` per
        # period; give it nothing to scan and fill the lists from one pass.
        archives = super()._build_period_archives(sorted_articles, [], settings)
        for granularity, periods in archives.items():
            buckets = bucket_by(articles, PERIOD_KEYS[granularity])
            for archive in periods:
                archive["articles"] = buckets.get(PERIOD_KEYS[granularity](archive["dates"][0]), [])
        return archives

    def generate_tags(self, write: Callable[..., Any]) -> None:
        """Tag pages, as Pelican writes them."""
        self._write_groups(list(self.tags.items()), "tag", write)

    def generate_categories(self, write: Callable[..., Any]) -> None:
        """Category (agency) pages, as Pelican writes them."""
        self._write_groups(self.categories, "category", write)

    def generate_authors(self, write: Callable[..., Any]) -> None:
        """Author pages, as Pelican writes them."""
        self._write_groups(self.authors, "author", write)

    def _write_groups(
        self, groups: Sequence[tuple[Any, list[Any]]], kind: str, write: Callable[..., Any]
    ) -> None:
        """Pelican 4.12's ``generate_authors`` loop, with ``dates`` from one pass."""
        template = self.get_template(kind)
        dates_per_group = members_in_order([articles for _, articles in groups], self.dates)
        for (group, articles), dates in zip(groups, dates_per_group, strict=True):
            try:
                write(
                    group.save_as,
                    template,
                    self.context,
                    url=group.url,
                    articles=articles,
                    dates=dates,
                    template_name=kind,
                    blog=True,
                    page_name=group.page_name,
                    all_articles=self.articles,
                    **{kind: group},
                )
            except FileOverwriteFailedError:
                if group.slug:
                    logger.error('Failed to write %s page for "%s".', kind.title(), group)
                    raise
                logger.info(
                    '%s "%s" has an invalid slug; skipping writing its page...',
                    kind.title(),
                    group,
                    extra={"limit_msg": f"Further {kind} pages with invalid slugs."},
                )


class ArchivePelican(Pelican):
    """Pelican, with :class:`ArchiveArticlesGenerator` in place of its articles generator."""

    def _get_generator_classes(self) -> list[type]:
        return [
            ArchiveArticlesGenerator if generator is ArticlesGenerator else generator
            for generator in super()._get_generator_classes()
        ]
