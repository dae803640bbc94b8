"""Timeline plugin: an inline SVG chart of articles per month, made at build time."""

from .pelican_glue import register

__all__ = ["register"]
