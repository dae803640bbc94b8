"""Make the plugin package and the synthetic-archive builder importable."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[1] / "plugins", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
