"""Cell values -> typed columns: the one-pass number block agrees with the per-column path."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.io.cells import number_block, text_column, to_numbers, to_text

NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, width=64))
CELLS = st.one_of(NUMBERS, NUMBERS, NUMBERS, st.just(""), st.just(True), st.text(max_size=4),
                  st.just(dt.date(2024, 5, 1)))


@given(st.integers(1, 4).flatmap(lambda width: st.lists(
    st.lists(CELLS, min_size=width, max_size=width), min_size=1, max_size=30)))
def test_number_block_is_the_columns_or_none(rows):
    width = len(rows[0])
    columns = list(range(width))[::-1]  # any order of columns
    block = number_block(rows, columns)
    per_column = [to_numbers([r[j] for r in rows]) for j in columns]
    all_numbers = all(type(r[j]) in (int, float) for r in rows for j in columns)
    if not all_numbers:  # bools, blanks, text and dates go the per-column way, which reports them
        assert block is None
        return
    assert block is not None and block.shape == (len(rows), width)
    for k, (values, bad) in enumerate(per_column):
        assert bad == []
        np.testing.assert_array_equal(block[:, k], values)


def test_text_column_trims_and_nulls_blanks_as_to_text_does():
    values = ["  15.71.01 ", "", "   ", "RT 1", "\tRT\u00a02 "]
    assert text_column(values).to_pylist() == to_text(values) == [
        "15.71.01", None, None, "RT 1", "RT\u00a02"]
    mixed = [15.0, "a ", None, dt.date(2024, 1, 2)]
    assert text_column(mixed).to_pylist() == to_text(mixed) == ["15", "a", None, "2024-01-02"]
