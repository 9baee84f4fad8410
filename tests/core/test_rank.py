"""Competition ranking: 1, 2, 2, 4, with float noise never splitting a tie."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.rank import competition_rank, rank_within


def test_ties_share_the_smaller_rank():
    s = pd.Series([90.0, 80.0, 80.0, 70.0])
    assert competition_rank(s).tolist() == [1, 2, 2, 4]


def test_float_noise_does_not_split_a_tie():
    a = 0.1 + 0.2  # 0.30000000000000004
    s = pd.Series([a * 100, 30.0, 10.0])
    assert competition_rank(s).tolist() == [1, 1, 3]


def test_differences_above_the_rounding_still_count():
    s = pd.Series([50.000000002, 50.0])
    assert competition_rank(s).tolist() == [1, 2]


def test_rank_within_groups():
    s = pd.Series([90.0, 85.0, 80.0, 80.0, 60.0])
    g = pd.Series(["x", "y", "x", "y", "y"])
    assert rank_within(s, g).tolist() == [1, 1, 2, 2, 3]


def test_no_group_no_group_rank():
    s = pd.Series([3.0, 2.0, 2.0, 1.0, 5.0])
    g = pd.Series(["a", "a", None, "b", "a"], dtype="str")
    assert rank_within(s, g).tolist() == [2, 3, pd.NA, 1, 1]


@given(st.lists(st.tuples(st.sampled_from([10.0, 20.0, 20.0 + 1e-12, 30.0, 55.5]),
                          st.sampled_from(["x", "y", "z"])), min_size=1, max_size=60))
def test_rank_within_is_the_rank_among_the_group(pairs):
    s = pd.Series([p[0] for p in pairs])
    g = pd.Series([p[1] for p in pairs])
    got = rank_within(s, g).tolist()
    for n, (value, group) in enumerate(pairs):  # 1 + how many of its group score higher
        higher = sum(1 for v, h in pairs if h == group and round(v, 9) > round(value, 9))
        assert got[n] == 1 + higher
