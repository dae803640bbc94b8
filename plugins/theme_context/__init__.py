from .pelican_glue import register

__all__ = ["register"]
