"""The build pauses Python's cyclic collector (ipcompare.gc_pause) and must always hand it back."""

import gc

import pytest

from ipcompare.gc_pause import paused_gc


def test_collector_paused_inside_and_back_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with paused_gc():
            assert not gc.isenabled()
            1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_outer_one_paused_and_a_disabled_collector_disabled():
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # the caller had turned it off: not ours to turn on
    finally:
        gc.enable()


def test_a_decorated_function_pauses_on_every_call():
    @paused_gc()
    def state() -> bool:
        return gc.isenabled()

    assert state() is False and state() is False
    assert gc.isenabled()
