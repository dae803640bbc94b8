"""The build pauses the cycle collector and always restores it, also on errors."""

from __future__ import annotations

import gc

import pytest
from pelican import signals

from newsarchive.build import _cyclic_gc_paused


def test_collector_paused_until_articles_are_final_then_frozen_and_restored():
    assert gc.isenabled()
    with _cyclic_gc_paused():
        assert not gc.isenabled()
        signals.all_generators_finalized.send([])
        assert gc.isenabled() and gc.get_freeze_count() > 0, "articles frozen, collector on"
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), _cyclic_gc_paused():
        raise RuntimeError("a bug in a plugin")
    assert gc.isenabled()


def test_a_caller_that_disabled_the_collector_keeps_it_disabled():
    gc.disable()
    try:
        with _cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
