"""Tools around the Pelican build: runner, report, generator, benchmarks."""

import sys
from pathlib import Path

# The plugins' modules by the names Pelican loads them under (its PLUGIN_PATHS), so
# this package and the plugins share one copy of each (the writer the incremental
# plugin's receivers know, the text store the seed reader keeps texts in).
_PLUGINS_FOLDER = str(Path(__file__).resolve().parent.parent / "plugins")
if _PLUGINS_FOLDER not in sys.path:
    sys.path.append(_PLUGINS_FOLDER)
