"""Pause the cyclic garbage collector while a reader builds millions of small objects."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # how many gc_paused blocks are open, on any thread
_resume = False  # whether the collector was on when the first of them opened


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cell values, rows and columns hold no reference cycles, yet allocating millions of them
    sets off collection after collection, each walking every object alive: on a 100,000-row sheet
    that tripled the cost of turning it into Python values (0.44 s against 0.15 s).

    Safe across threads: the collector stays off until the last open pause closes, and is then
    turned back on only if it was on when the first one opened."""
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
