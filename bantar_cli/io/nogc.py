"""Pause the cyclic garbage collector while a reader builds millions of small objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cell values, rows and columns hold no reference cycles, yet allocating millions of them
    sets off collection after collection, each walking every object alive: on a 100,000-row sheet
    that tripled the cost of turning it into Python values (0.44 s against 0.15 s)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
