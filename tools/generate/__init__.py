"""Deterministic synthetic news archive in the seed format.

Tests, benchmarks and first-time users need archives far larger and messier than the one
real seed, with a known right answer for every hard case: near-duplicate headlines that
are different stories, related-article lines that spell a title differently from the
article they cite (or cite nothing in the archive), split paragraphs and broken files.
:func:`generate_archive` writes such an archive file by file (memory stays flat apart
from one small record per article) and returns the answers as :class:`GroundTruth`,
also written to ``<output>/_ground_truth.json``; the seed reader only reads ``*.txt``.

Files are laid out like the real seed (:mod:`.layout`), about 30% of them in the
variants real scrapes produce, each recorded in the ground truth. Every person, agency,
outlet and company is invented and every source URL is on a reserved example domain
(:mod:`.vocabulary`, ``words/*.txt``): no real name is ever put on an invented article.

Everything is drawn from one ``random.Random(seed)``: the same ``count`` and ``seed``
give byte-identical files on every run. Modules: :mod:`.planning` (pass one),
:mod:`.archive` (pass two), :mod:`.text`, :mod:`.variants`, :mod:`.truth`,
:mod:`.citations` (title-only hard cases for the related matcher), :mod:`.cli`.
"""

from .archive import generate_archive
from .cli import main
from .planning import BROKEN_KINDS
from .truth import (
    GROUND_TRUTH_NAME,
    ArticleTruth,
    BrokenTruth,
    GenerateError,
    GroundTruth,
    RelatedTruth,
    title_key,
)
from .variants import RELATED_VARIANTS

__all__ = [
    "BROKEN_KINDS",
    "GROUND_TRUTH_NAME",
    "RELATED_VARIANTS",
    "ArticleTruth",
    "BrokenTruth",
    "GenerateError",
    "GroundTruth",
    "RelatedTruth",
    "generate_archive",
    "main",
    "title_key",
]
