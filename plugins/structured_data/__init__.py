"""Structured data plugin: JSON-LD (NewsArticle, BreadcrumbList), canonical URL, OpenGraph, Twitter card."""

from .pelican_glue import register

__all__ = ["register"]
