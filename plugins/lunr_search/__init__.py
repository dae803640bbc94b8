"""Client-side search: a lunr.py index cut into term-range shards loaded on demand."""

from .pelican_glue import register

__all__ = ["register"]
