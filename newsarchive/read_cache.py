"""Pelican's reader cache saved without a second copy of every article's text.

Pelican pickles its content cache (every seed's HTML and metadata) at the end
of reading, and the pickler leaves a UTF-8 copy on each non-ASCII text it
writes: the articles share those texts, so the build process held them twice
to its end (4.4 KB per article). The build runner's articles generator keeps
the cache in ``sitewide.pickling``'s form instead, in a file of its own name
(Pelican's loader never meets it).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from plugins.sitewide import pickling
from plugins.sitewide.state import replacing

#: Appended to Pelican's cache file name.
SUFFIX = ".texts"


def keep_texts_once(readers: Any) -> None:
    """Have ``readers`` (Pelican's ``Readers``) load and save its cache in our form."""
    if not getattr(readers, "_cache_data_policy", False):
        return  # not caching at this layer (the dev server caches per generator)
    path = Path(readers._cache_path + SUFFIX)
    if readers.settings.get("LOAD_CONTENT_CACHE"):
        readers._cache = _load(path)

    def save_cache() -> None:
        with replacing(path) as tmp, open(tmp, "wb") as file:
            pickling.dump(readers._cache, file)

    readers.save_cache = save_cache


def _load(path: Path) -> dict[str, Any]:
    """The saved cache, or an empty one (missing, unreadable: every seed is read again)."""
    try:
        with open(path, "rb") as file:
            cache = pickling.load(file)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
        return {}
    return cache if isinstance(cache, dict) else {}
