"""Development tools apart from the build: the generator, benchmarks and evaluations.

Nothing here runs in a user's build, and nothing a build runs imports it.
Plugins are imported as packages (``plugins.related``), so the tools run from the
repository root.  The plugins share the ``sitewide`` package by its top-level
name, as the build has them (``pelicanconf.py`` makes the plugin folder
importable); the tools make it importable the same way, once, here.
"""

import sys
from pathlib import Path

_PLUGINS = str(Path(__file__).resolve().parent.parent / "plugins")
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
