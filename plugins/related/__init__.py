"""Related articles: resolve cited titles, backlinks, JSON-LD citations, similar."""

from .pelican_glue import register

__all__ = ["register"]
