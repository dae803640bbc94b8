"""Pelican's reader cache saved without a second copy of every article's text.

Pelican pickles its content cache (every seed's HTML and metadata) at the end
of reading, and the pickler leaves a UTF-8 copy on each non-ASCII text it
writes: the articles share those texts, so the build process held them twice
to its end (4.4 KB per article). The build runner's articles generator keeps
the cache in ``sitewide.pickling``'s form instead, in a file of its own name
(Pelican's loader never meets it).

While the build's text store is open (``sitewide.text_store``), the cache in
memory holds each seed's HTML and the reader's stored metadata as handles
into it, not as texts; Pelican is handed the HTML as text when it asks.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from seed_reader.pelican_glue import STORED_METADATA
from sitewide import pickling, text_store
from sitewide.state import replacing

#: Appended to Pelican's cache file name.
SUFFIX = ".texts"


def keep_texts_once(readers: Any) -> None:
    """Have ``readers`` (Pelican's ``Readers``) load and save its cache in our form."""
    if not getattr(readers, "_cache_data_policy", False):
        return  # not caching at this layer (the dev server caches per generator)
    path = Path(readers._cache_path + SUFFIX)
    if readers.settings.get("LOAD_CONTENT_CACHE"):
        readers._cache = _load(path)
    cache_data, get_cached_data = readers.cache_data, readers.get_cached_data

    def save_cache() -> None:
        with replacing(path) as tmp, open(tmp, "wb") as file:
            pickling.dump_items(readers._cache.items(), file)  # stored texts as texts

    def cache_data_kept(filename: str, data: Any) -> None:
        content, metadata = data  # what Pelican's Readers cache: (HTML, metadata)
        cache_data(filename, (text_store.kept(content), metadata))

    def get_cached_data_as_text(filename: str, default: Any = None) -> Any:
        data = get_cached_data(filename, default)
        if data is default:
            return data
        content, metadata = data
        return text_store.plain(content), metadata

    readers.save_cache = save_cache
    readers.cache_data = cache_data_kept
    readers.get_cached_data = get_cached_data_as_text


def _kept(entry: Any) -> Any:
    """A loaded cache entry (stamp, (HTML, metadata)) with its texts in the open store."""
    try:
        stamp, (content, metadata) = entry
    except (TypeError, ValueError):
        return entry  # not Pelican's shape: left for Pelican to miss
    if isinstance(metadata, dict):
        for name in STORED_METADATA:
            if name in metadata:
                metadata[name] = text_store.kept(metadata[name])
    return stamp, (text_store.kept(content), metadata)


def _load(path: Path) -> dict[str, Any]:
    """The saved cache, or an empty one (missing, unreadable: every seed is read again).

    Each entry's texts go to the open text store as they are read.
    """
    try:
        with open(path, "rb") as file:
            return {name: _kept(entry) for name, entry in pickling.load_items(file)}
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
        return {}
