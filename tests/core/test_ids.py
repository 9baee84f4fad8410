"""Ids found among others by position: the same answers whichever side Arrow hashes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.ids import positions

_id = st.sampled_from(["A", "B", "C", "é", "", "A ", "RT 001"])


@given(st.lists(_id, max_size=12), st.lists(_id, max_size=12), st.booleans())
def test_positions_are_the_first_place_of_each_id(ids, among, as_series):
    expected = [among.index(i) if i in among else -1 for i in ids]
    table = pd.Series(among, dtype="string[pyarrow]") if as_series else among
    got = positions(ids, table)
    assert got.dtype == np.intp and got.tolist() == expected
