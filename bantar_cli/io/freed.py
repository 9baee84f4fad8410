"""Memory Arrow has freed, handed back to the system at once, so that numpy can use it.

Arrow's allocator (mimalloc) keeps the pages of buffers it frees for its own later buffers;
numpy allocates from the C library and so gets fresh pages from the system. Fresh pages are
dear on a virtual machine, where the host backs each one only when it is first touched: here,
filling 160 MB that the process had never used took 230-300 ms, and 30-35 ms when Arrow had
just handed that much back (a few seconds later the host has it again, and it is slow again).
So where Arrow has let large buffers go and numpy is about to fill large arrays (the Parquet
reader between columns; the CSV reader before it fills its block; after reading; after
scoring), bantar calls ``hand_back``. It costs about a millisecond.
"""

from __future__ import annotations


def hand_back(*, heap: bool = False) -> None:
    """Return the pages of the buffers Arrow has freed to the system. With ``heap``, also the
    free pages that the C library's allocator keeps in its heaps (glibc's ``malloc_trim``:
    numpy's arrays under 32 MB come from there, and their pages stay with the process when they
    are freed), where the process's peak matters more than its next arrays' speed."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    if heap:
        _trim_heap()


def _trim_heap() -> None:
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):  # elsewhere no malloc_trim (and on Windows no
        return  # CDLL(None) either)
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # a C library without it (musl)
        return
    trim(0)
