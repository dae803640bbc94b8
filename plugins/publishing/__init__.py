"""Publishing plugin: what a build for a public URL adds (sitemap, robots.txt, feed fixes, absolute 404)."""

from .pelican_glue import register

__all__ = ["register"]
