"""Texts sent to other processes leave no second copy in this one."""

from __future__ import annotations

import pickle
import sys
from types import SimpleNamespace

from sitewide import pickling, text_store

LONG = "Caf\u00e9 talks \u2014 \u201cquoted\u201d " * 40  # non-ASCII, over MIN_CHARS


def test_round_trip_of_texts_long_short_and_odd() -> None:
    value = {
        "body": LONG,
        "title": "Caf\u00e9",  # short: pickled as it is
        "ascii": "plain " * 100,
        "lone": LONG + "\ud800",  # a lone surrogate survives
        "nested": [(LONG, 1, 2.5, None, b"bytes")],
    }
    assert pickling.loads(pickling.dumps(value)) == value


def test_pickling_keeps_no_utf8_copy_of_a_long_text() -> None:
    text = "".join(reversed(LONG))  # a fresh string, never encoded
    before = sys.getsizeof(text)
    pickling.dumps([text])
    assert sys.getsizeof(text) == before
    pickle.dumps([text])  # what the standard pickler does: the copy stays
    assert sys.getsizeof(text) > before


def test_items_in_many_chunks_round_trip(tmp_path) -> None:
    """Shared and repeated objects across chunks come back equal, in order."""
    shared = {"settings": ["a", "b"]}
    items = [
        (f"path-{n}", (LONG + str(n), {"meta": shared, "n": [SimpleNamespace(n=n)] * (n % 3)}))
        for n in range(1_234)
    ]
    path = tmp_path / "items.pickle"
    with open(path, "wb") as file:
        pickling.dump_items(iter(items), file)
    with open(path, "rb") as file:
        assert list(pickling.load_items(file)) == items
    assert len(items) > 2 * pickling.CHUNK, "several chunks"


def test_a_stored_text_is_pickled_as_its_text(tmp_path) -> None:
    with text_store.storing(tmp_path / "texts.bin") as store:
        stored = store.put(LONG)
        assert pickling.loads(pickling.dumps([stored, stored])) == [LONG, LONG]
        assert pickle.loads(pickle.dumps(stored)) == LONG
