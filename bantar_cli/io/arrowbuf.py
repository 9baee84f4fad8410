"""Arrow arrays as numpy, read from their buffers.

pyarrow's ``to_numpy`` (and its conversion of a Python or numpy value to Arrow) first imports
pandas, which pyarrow loads lazily. A reader runs while ``..preload`` imports pandas on another
thread, so such a call made the reader's thread wait for that whole import (up to 0.15 s at a
million rows, both pool threads of the Parquet reader at once). These read the buffers instead.
"""

from __future__ import annotations

import numpy as np


def values(arr, dtype: str) -> np.ndarray:
    """The values of a fixed-width Arrow array (int32, float64, …) as a read-only numpy view;
    a null's slot holds whatever its buffer holds (see ``valid``)."""
    dtype = np.dtype(dtype)
    if arr.type.bit_width != dtype.itemsize * 8:
        raise TypeError(f"an Arrow {arr.type} array is not {dtype}")
    return np.frombuffer(arr.buffers()[1], dtype=dtype, count=len(arr),
                         offset=arr.offset * dtype.itemsize)


def valid(arr) -> np.ndarray:
    """Whether each value of an Arrow array is there (not null), as booleans."""
    if arr.null_count == 0:
        return np.ones(len(arr), dtype=bool)
    bits = np.frombuffer(arr.buffers()[0], dtype=np.uint8)
    return np.unpackbits(bits, count=arr.offset + len(arr), bitorder="little")[arr.offset:].view(bool)


def text_ends(arr) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A string or binary array's values as (where each starts, where each ends, the bytes); a
    null's slot spans whatever its offsets say (usually nothing)."""
    import pyarrow as pa

    large = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
    width = 8 if large else 4
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if large else np.int32,
                            count=len(arr) + 1, offset=arr.offset * width)
    data = arr.buffers()[2]
    return offsets[:-1], offsets[1:], np.frombuffer(data or b"", dtype=np.uint8)


def one_array(chunked):
    """A chunked array as one array: its only chunk as it is (``combine_chunks`` copies even
    that: a million-row column read again for nothing), or its chunks joined."""
    return chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
