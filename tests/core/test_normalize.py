"""Each normalisation against values computed by hand."""

import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.normalize import goalpost, minmax, normalize, normalize_one, ratio
from bantar_cli.io.criteria import load_criteria
from bantar_cli.model import Direction

H, L = Direction.HIGHER, Direction.LOWER
X = pd.Series([1.0, 2.0, 4.0, 5.0])


def test_goalpost_higher_and_lower():
    # range [1, 5]: (x - 1) / 4 -> 0, .25, .75, 1 ; lower: (5 - x) / 4 -> 1, .75, .25, 0
    assert goalpost(X, 1, 5, H).tolist() == [0.0, 0.25, 0.75, 1.0]
    assert goalpost(X, 1, 5, L).tolist() == [1.0, 0.75, 0.25, 0.0]


def test_goalpost_uses_the_range_not_the_data():
    # range [0, 10]: 2 -> 0.2, 4 -> 0.4 even though nobody reached 10
    assert goalpost(pd.Series([2.0, 4.0]), 0, 10, H).tolist() == [0.2, 0.4]


def test_minmax_uses_the_data():
    # lo = 2, hi = 6: (x - 2) / 4 -> 0, .5, 1 ; lower: (6 - x) / 4 -> 1, .5, 0
    x = pd.Series([2.0, 4.0, 6.0])
    assert minmax(x, H).tolist() == [0.0, 0.5, 1.0]
    assert minmax(x, L).tolist() == [1.0, 0.5, 0.0]


def test_minmax_all_equal_gives_one():
    assert minmax(pd.Series([3.0, 3.0, 3.0]), H).tolist() == [1.0, 1.0, 1.0]
    assert minmax(pd.Series([3.0, 3.0]), L).tolist() == [1.0, 1.0]


def test_ratio_higher_is_x_over_max():
    # max 5: 1/5, 2/5, 4/5, 1
    assert ratio(X, H).tolist() == pytest.approx([0.2, 0.4, 0.8, 1.0], abs=1e-15)


def test_ratio_lower_is_min_over_x():
    # min 1: 1/1, 1/2, 1/4, 1/5
    assert ratio(X, L).tolist() == pytest.approx([1.0, 0.5, 0.25, 0.2], abs=1e-15)


def test_ratio_edge_cases_stay_in_zero_one():
    assert ratio(pd.Series([0.0, 0.0]), H).tolist() == [0.0, 0.0]
    r = ratio(pd.Series([0.0, 2.0]), L)  # zero incidents is the best possible
    assert r.tolist() == [1.0, 0.0]
    assert not any(math.isnan(v) for v in r)


def test_minmax_does_not_spread_float_noise():
    # values equal but for rounding (as standardized combination can produce) are equal
    x = pd.Series([0.1 + 0.2, 0.3, 0.30000000000000004])
    assert minmax(x, H).tolist() == [1.0, 1.0, 1.0]
    assert minmax(pd.Series([1.0, float("nan")]), H).isna().tolist() == [False, True]


KINDS = """
name: Semua cara
entrant: {id: Kode}
pillars:
  - key: p
    weight: 1
    indicators:
      - {key: gh, column: GH, weight: 1, range: [1, 5]}
      - {key: gl, column: GL, weight: 1, range: [0, 100], direction: lower}
      - {key: mh, column: MH, weight: 1, normalize: minmax}
      - {key: ml, column: ML, weight: 1, normalize: minmax, direction: lower}
      - {key: rh, column: RH, weight: 1, normalize: ratio, range: [0, 100]}
      - {key: rl, column: RL, weight: 1, normalize: ratio, range: [0, 100], direction: lower}
"""


@given(st.lists(st.lists(st.floats(0, 100) | st.just(math.nan), min_size=6, max_size=6),
                min_size=1, max_size=12))
def test_the_frame_is_each_column_normalised_by_its_formula(rows):
    """``normalize`` of a frame (goalpost worked in place on its block) gives, bit for bit, each
    indicator's formula applied to its column, NaN where a value is missing."""
    crit = load_criteria(io.StringIO(KINDS))
    raw = pd.DataFrame(rows, columns=[i.key for i in crit.indicators],
                       index=[f"RT {k}" for k in range(len(rows))])
    got = normalize(raw, crit)
    assert list(got.columns) == list(raw.columns) and got.index.equals(raw.index)
    for ind in crit.indicators:
        np.testing.assert_array_equal(got[ind.key].to_numpy(),
                                      normalize_one(raw[ind.key], ind).to_numpy("float64"))
    assert (got["gl"].to_numpy() == (100 - raw["gl"].to_numpy()) / 100).sum() == raw["gl"].notna().sum()
