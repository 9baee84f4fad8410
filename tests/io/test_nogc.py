"""Pausing the garbage collector from several threads at once (see bantar_cli.io.nogc)."""

from __future__ import annotations

import gc
import threading

import pytest

from bantar_cli.io.nogc import gc_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.parametrize("first_out", ["first", "second"])
def test_the_collector_stays_off_until_the_last_pause_ends(collector_on, first_out):
    """Two threads' pauses overlap; whichever ends first, the collector stays off until the
    other ends too, and is on again afterwards."""
    opened = [threading.Event(), threading.Event()]
    leave = [threading.Event(), threading.Event()]
    left = [threading.Event(), threading.Event()]
    seen: dict[str, bool] = {}

    def pause(k: int) -> None:
        with gc_paused():
            opened[k].set()
            leave[k].wait(10)
        left[k].set()

    threads = [threading.Thread(target=pause, args=(k,)) for k in (0, 1)]
    threads[0].start()
    assert opened[0].wait(10)
    threads[1].start()
    assert opened[1].wait(10)
    seen["both open"] = gc.isenabled()
    k = 0 if first_out == "first" else 1
    leave[k].set()
    assert left[k].wait(10)
    seen["one open"] = gc.isenabled()
    leave[1 - k].set()
    for t in threads:
        t.join(10)
    assert seen == {"both open": False, "one open": False}
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    was = gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_the_collector_comes_back_after_an_error(collector_on):
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()
