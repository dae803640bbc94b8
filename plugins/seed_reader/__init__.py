"""Seed reader plugin: reads scraped ``.txt`` news seeds as Pelican articles."""

from .pelican_glue import register

__all__ = ["register"]
