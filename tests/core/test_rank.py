"""Competition ranking: 1, 2, 2, 4, with float noise never splitting a tie."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.rank import TIE_DECIMALS, group_ranks_in_order, ranks_in_order


def _ranks(values):
    return ranks_in_order(np.round(np.array(values), TIE_DECIMALS)).tolist()


def test_ties_share_the_smaller_rank():
    assert _ranks([90.0, 80.0, 80.0, 70.0]) == [1, 2, 2, 4]


def test_float_noise_does_not_split_a_tie():
    a = 0.1 + 0.2  # 0.30000000000000004
    assert _ranks([a * 100, 30.0, 10.0]) == [1, 1, 3]


def test_differences_above_the_rounding_still_count():
    assert _ranks([50.000000002, 50.0]) == [1, 2]


def test_rank_within_groups():
    s = np.array([90.0, 85.0, 80.0, 80.0, 60.0])
    g = np.array([0, 1, 0, 1, 1])  # x, y, x, y, y
    assert group_ranks_in_order(s, g).tolist() == [1, 1, 2, 2, 3]


def test_no_group_no_group_rank():
    s = np.array([5.0, 3.0, 2.0, 2.0, 1.0])
    g = np.array([0, 0, 0, -1, 1])
    assert group_ranks_in_order(s, g).tolist() == [1, 2, 3, 0, 1]


scores = st.sampled_from([10.0, 20.0, 20.0 + 1e-12, 30.0, 55.5])


# group codes past 16 bits take the plain sort instead of the radix sort of small codes
groups = st.integers(-1, 2) | st.sampled_from([2**15 - 1, 2**15, 2**40])


@given(st.lists(st.tuples(scores, groups), min_size=1, max_size=60))
def test_ranks_are_one_plus_how_many_score_higher(pairs):
    pairs.sort(key=lambda p: -round(p[0], TIE_DECIMALS))
    rounded = np.round(np.array([p[0] for p in pairs]), TIE_DECIMALS)
    groups = np.array([p[1] for p in pairs])
    overall = ranks_in_order(rounded).tolist()
    within = group_ranks_in_order(rounded, groups).tolist()
    for n, (value, group) in enumerate(pairs):
        higher = [(h, v) for v, h in pairs if round(v, 9) > round(value, 9)]
        assert overall[n] == 1 + len(higher)
        assert within[n] == (0 if group < 0 else 1 + sum(1 for h, _ in higher if h == group))


def _best_first_by_argsort(rounded, ids):
    """best_first as it was: a stable argsort of the scores, then each tied run by id."""
    order = np.argsort(-rounded, kind="stable")
    s = rounded[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        run = order[i:j + 1]
        order[i:j + 1] = run[np.argsort(np.array([str(ids[k]) for k in run], dtype=object),
                                        kind="stable")]
        i = j + 1
    return order


@given(st.lists(st.sampled_from([0.0, -0.0, 12.5, 80.0, 80.000000001, 99.999999999, 100.0,
                                 float("nan")]) | st.floats(0, 100), min_size=1, max_size=80),
       st.randoms(use_true_random=False), st.sampled_from([100.0, 1e9]))
def test_best_first_sorts_packed_scores_as_a_stable_argsort_would(values, rnd, scale):
    """The packed integer sort (and, beyond its range or with a missing score, the argsort)
    gives the same order: highest first, ties by id, missing scores last by position. A scale
    of 1e9 is beyond what packs."""
    from bantar_cli.core.score import best_first

    rounded = np.round(np.array(values) * scale / 100, TIE_DECIMALS)
    ids = [f"E{k:03d}" for k in range(len(values))]
    rnd.shuffle(ids)
    assert best_first(rounded, ids).tolist() == _best_first_by_argsort(rounded, ids).tolist()


@given(st.lists(st.sampled_from([0.0, -0.0, 50.0, 50.000000001, float("nan"), float("-inf")])
                | st.floats(-100, 100), max_size=80), st.sampled_from([1.0, 1e9]))
def test_highest_first_is_a_stable_argsort(values, scale):
    from bantar_cli.core.rank import highest_first

    rounded = np.round(np.array(values, dtype="float64") * scale, TIE_DECIMALS)
    assert highest_first(rounded).tolist() == np.argsort(-rounded, kind="stable").tolist()
