"""Arrow arrays read as numpy from their buffers agree with pyarrow's own ``to_numpy``."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bantar_cli.io.arrowbuf import one_array, text_ends, valid, values
from bantar_cli.io.cells import blank_to_null, clean_text

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


# texts Arrow trims or not: ASCII and Unicode spaces (no-break, ideographic, en quad), a
# control character, non-ASCII letters at either end
PIECES = st.sampled_from(["", " ", "\t", "\n", "\u00a0", "\u3000", "\u2000", "\x1f", "a", "15.71",
                          "é", "Ünal", "RT 01", "x\u00a0y"])
TEXTS = st.lists(st.one_of(st.none(), st.lists(PIECES, max_size=3).map("".join)), max_size=30)


@given(TEXTS, st.sampled_from([pa.string(), pa.large_string()]), st.integers(0, 30))
@example(["RT 1", "a\u00a0"], pa.string(), 0)  # only a multi-byte space to trim, at the end
@example(["\u3000RT", "b"], pa.large_string(), 0)  # or at the start
@example(["a", "\x1f"], pa.string(), 0)  # a control character alone: blank once trimmed
def test_clean_text_is_arrows_trim_then_blanks_to_null(items, kind, start):
    arr = pa.array(items, kind).slice(start)
    expected = pc.utf8_trim_whitespace(arr).to_pylist()
    got = clean_text(arr)
    assert got.type == kind
    assert got.to_pylist() == [None if t == "" else t for t in expected]


def test_clean_text_keeps_a_column_that_needs_nothing():
    arr = pa.array(["15.71.01.1001-RT001", "RT 2", "Télanaipura"])
    assert clean_text(arr) is arr  # neither trimmed nor copied for blanks


@given(TEXTS, st.sampled_from([pa.string(), pa.large_binary()]), st.integers(0, 30))
def test_text_ends_span_each_value(items, kind, start):
    raw = [None if t is None else t.encode() for t in items]
    arr = pa.array(raw if kind == pa.large_binary() else items, kind).slice(start)
    begin, end, data = text_ends(arr)
    got = [bytes(data[b:e]) for b, e in zip(begin, end, strict=True)]
    assert got == [b"" if t is None else t for t in raw[start:]]


@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=6), min_size=1,
                max_size=5))
def test_one_array_joins_chunks_and_keeps_a_lone_chunk_as_it_is(chunks):
    chunked = pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks],
                               pa.large_string())
    got = one_array(chunked)
    assert isinstance(got, pa.Array) and got.equals(chunked.combine_chunks())
    if len(chunks) == 1:  # not copied: the same buffers
        assert [b.address if b else None for b in got.buffers()] == \
            [b.address if b else None for b in chunked.chunk(0).buffers()]
