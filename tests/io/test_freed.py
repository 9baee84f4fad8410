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
