"""Incremental writer plugin: render only pages whose inputs changed."""

from .pelican_glue import register

__all__ = ["register"]
