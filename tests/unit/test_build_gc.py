"""The build pauses the cycle collector and always restores it, also on errors."""

from __future__ import annotations

import gc

import pytest

from newsarchive.build import _cyclic_gc_paused


def test_collector_paused_during_the_build_and_restored_after():
    assert gc.isenabled()
    with _cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
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
