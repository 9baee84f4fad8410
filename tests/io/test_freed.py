"""``hand_back`` returns the pages of buffers Arrow has freed, which its allocator keeps."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from bantar_cli.io.freed import hand_back

MB = 1 << 20


def _resident() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
def test_hand_back_returns_the_pages_arrow_kept():
    hand_back()  # what earlier tests left
    out = pc.add(pa.array(np.zeros(25_000_000)), 1.0)  # 200 MB written by Arrow
    assert out[3].as_py() == 1.0
    del out
    kept = _resident()
    hand_back()
    assert kept - _resident() > 100 * MB


@pytest.mark.skipif(not Path("/proc/self/statm").exists() or os.confstr("CS_GNU_LIBC_VERSION") is None,
                    reason="reads Linux's /proc; trims glibc's heap")
def test_hand_back_of_the_heap_returns_the_pages_glibc_kept():
    hand_back(heap=True)  # what earlier tests left
    # 64 KB arrays come from glibc's heap; freed, their pages stay with the process (the free
    # heap between those still in use: only its top goes back by itself)
    arrays = [np.ones(MB // 128) for _ in range(200 * 16)]
    kept_arrays = arrays[::16]
    del arrays
    kept = _resident()
    hand_back()  # Arrow's only: the heap keeps its pages
    assert kept - _resident() < 50 * MB
    hand_back(heap=True)
    assert kept - _resident() > 150 * MB
    assert sum(a[0] for a in kept_arrays) == len(kept_arrays)


def test_hand_back_of_the_heap_elsewhere_than_linux_does_nothing_and_fails_not(monkeypatch):
    import ctypes
    import sys

    def no_cdll(*args, **kwargs):
        raise TypeError("Windows has no CDLL(None)")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "CDLL", no_cdll)
    hand_back(heap=True)
