"""Structured data plugin: schema.org ``NewsArticle`` JSON-LD for every article."""

from .pelican_glue import register

__all__ = ["register"]
