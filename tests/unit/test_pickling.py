"""Texts sent to other processes leave no second copy in this one."""

from __future__ import annotations

import pickle
import sys

from sitewide import pickling

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
