"""Arrow arrays read as numpy from their buffers agree with pyarrow's own ``to_numpy``."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.io.arrowbuf import valid, values
from bantar_cli.io.cells import blank_to_null

FLOATS = st.lists(st.one_of(st.none(), st.floats(allow_nan=False, width=64)), max_size=40)


@given(FLOATS, st.integers(0, 40), st.integers(0, 40))
def test_values_and_valid_agree_with_to_numpy_on_any_slice(items, start, length):
    arr = pa.array(items, pa.float64()).slice(start, length)  # a slice has an offset
    got = values(arr, "float64")
    expected = arr.to_numpy(zero_copy_only=False)  # NaN where null
    mask = valid(arr)
    assert got.shape == expected.shape == mask.shape
    np.testing.assert_array_equal(mask, arr.is_valid().to_numpy(zero_copy_only=False))
    np.testing.assert_array_equal(got[mask], expected[mask])


@given(st.lists(st.integers(-2**31, 2**31 - 1), max_size=30), st.integers(0, 30))
def test_values_reads_int32_indices(items, start):
    arr = pa.array(items, pa.int32()).slice(start)
    np.testing.assert_array_equal(values(arr, "int32"), np.array(items[start:], dtype=np.int32))


def test_values_refuses_a_width_that_does_not_match():
    with pytest.raises(TypeError, match="int32"):
        values(pa.array([1.0]), "int32")


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "a", "15.71", "\t"])), max_size=30),
       st.sampled_from([pa.string(), pa.large_string()]))
def test_blank_to_null_nulls_exactly_the_empty_texts(items, kind):
    got = blank_to_null(pa.array(items, kind))
    assert got.type == kind
    assert got.to_pylist() == [None if t == "" else t for t in items]
