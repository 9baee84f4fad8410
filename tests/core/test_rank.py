"""Competition ranking: 1, 2, 2, 4, with float noise never splitting a tie."""

import pandas as pd

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
