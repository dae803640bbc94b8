"""Article navigation plugin: previous/next article by date."""

from .pelican_glue import register

__all__ = ["register"]
