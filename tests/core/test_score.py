"""The whole pipeline on a hand-computed case, and the shape of ``Scores``."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantar_cli.core.score import _weighted, score
from bantar_cli.errors import BantarError
from tests.conftest import frame_of, small_rows


def test_hand_computed_scores(small_criteria):
    # means: A sampah 4.5 air 85 kejadian 0 ; B 3, 65, 2 ; C 1.5, 45, 4
    # r: sampah (x-1)/4 -> .875 .5 .125 ; air x/100 -> .85 .65 .45 ; kejadian (4-x)/4 -> 1 .5 0
    # bersih = 100 (2 r_s + r_a) / 3 -> 86.667, 55, 23.333 ; aman = 100 r_k -> 100, 50, 0
    # total = .6 bersih + .4 aman -> 92, 53, 14
    s = score(frame_of(small_rows()), small_criteria)
    t = s.table
    assert t["id"].tolist() == ["A", "B", "C"]
    assert t["score"].tolist() == pytest.approx([92.0, 53.0, 14.0], abs=1e-12)
    assert t["bersih"].tolist() == pytest.approx([260 / 3, 55.0, 70 / 3], abs=1e-12)
    assert t["aman"].tolist() == pytest.approx([100.0, 50.0, 0.0], abs=1e-12)
    assert t["rank"].tolist() == [1, 2, 3]
    assert t["group_rank"].tolist() == [1, 2, 1]  # C is alone in Jelutung
    assert t["assessors"].tolist() == [2, 2, 2]
    assert s.raw.loc["A", "sampah"] == 4.5
    assert s.normalized.loc["B", "kejadian"] == 0.5


def test_weights_are_effective_shares_summing_to_one(small_criteria):
    s = score(frame_of(small_rows()), small_criteria)
    # sampah .6 * 2/3 = .4, air .6 * 1/3 = .2, kejadian .4
    assert s.weights == pytest.approx({"sampah": 0.4, "air": 0.2, "kejadian": 0.4})
    contributions = (s.normalized * pd.Series(s.weights)).sum(axis=1) * 100
    assert contributions.loc[s.table["id"]].tolist() == pytest.approx(s.table["score"].tolist())


def test_input_frame_is_not_modified(small_criteria):
    df = frame_of(small_rows())
    before = df.copy()
    score(df, small_criteria)
    pd.testing.assert_frame_equal(df, before)


def test_ties_are_ordered_by_id_and_share_a_rank(small_criteria):
    rows = small_rows()
    rows += [["0B", "RT 000", "Telanaipura", "P1", 3, 60, 2],
             ["0B", "RT 000", "Telanaipura", "P2", 3, 70, 2]]  # identical to B
    t = score(frame_of(rows), small_criteria).table
    assert t["id"].tolist() == ["A", "0B", "B", "C"]
    assert t["rank"].tolist() == [1, 2, 2, 4]


def test_problems_stop_scoring(small_criteria):
    rows = small_rows()
    rows[1][4] = 7  # sampah outside [1, 5]
    with pytest.raises(BantarError) as err:
        score(frame_of(rows), small_criteria)
    assert err.value.problems[0].slug == "out-of-range"
    assert err.value.problems[0].row == 0


@given(st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.floats(-1e6, 1e6) | st.just(float("nan")), min_size=n, max_size=n),
             min_size=0, max_size=30),
    st.lists(st.floats(0.01, 1e3), min_size=n, max_size=n))))
@settings(max_examples=200, deadline=None)
def test_weighted_sums_add_left_to_right_to_the_last_bit(case):
    """The weighted sums are those of a plain loop, bit for bit: the same on every machine,
    whatever BLAS it has (a matrix product's order of adds depends on processor and threads)."""
    rows, weights = case
    values = np.array(rows, dtype="float64").reshape(len(rows), len(weights))
    num, den = _weighted(values, np.array(weights))
    for r, row in enumerate(rows):
        want_num = want_den = 0.0
        for v, w in zip(row, weights, strict=True):
            if v == v:
                want_num += v * w
                want_den += w
        assert (num[r], den[r]) == (want_num, want_den)


@given(st.randoms(use_true_random=False), st.booleans())
def test_pillar_scores_do_not_depend_on_the_order_of_the_columns(rnd, gaps):
    """A pillar whose indicators sit side by side in the frame is read as a slice of its block;
    in any other order, by their positions: the scores are the same to the last bit."""
    from bantar_cli.core.score import pillar_scores
    from bantar_cli.io.bundled import bundled_criteria

    crit = bundled_criteria()
    keys = [i.key for i in crit.indicators]
    values = np.array([[rnd.random() for _ in keys] for _ in range(12)])
    if gaps:
        values[rnd.randrange(12), rnd.randrange(len(keys))] = np.nan
    frame = pd.DataFrame(values, columns=keys)
    shuffled = keys[:]
    rnd.shuffle(shuffled)
    got = pillar_scores(frame[shuffled].copy(), crit)
    want = pillar_scores(frame, crit)
    assert got.to_numpy().tobytes() == want.to_numpy().tobytes()
    by_hand = [crit.scale * sum(frame[i.key][0] * i.weight for i in p.indicators)
               / sum(i.weight for i in p.indicators) for p in crit.pillars]
    if not np.isnan(values[0]).any():
        np.testing.assert_allclose(want.iloc[0].to_numpy(), by_hand, rtol=1e-12)
