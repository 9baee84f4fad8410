"""Assessor combination: mean, median, trimmed mean, by hand."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.combine import (
    FirstRows,
    _group_sum,
    combine,
    distinct_pairs,
    entrant_codes,
    entrant_info,
    group_mean,
    has_nan,
    rows_by_code,
    sorted_distinct,
)
from bantar_cli.model import Combine


def frame():
    # A: 1, 2, 3, 10 ; B: 4, 6 ; C: 5
    return pd.DataFrame({
        "id": ["A", "A", "B", "A", "B", "A", "C"],
        "x": [1.0, 2.0, 4.0, 3.0, 6.0, 10.0, 5.0],
    })


def test_mean():
    out = combine(frame(), ["x"], Combine.MEAN)
    assert out["x"].to_dict() == {"A": 4.0, "B": 5.0, "C": 5.0}  # (1+2+3+10)/4 = 4


def test_median():
    out = combine(frame(), ["x"], Combine.MEDIAN)
    assert out["x"].to_dict() == {"A": 2.5, "B": 5.0, "C": 5.0}  # median(1,2,3,10) = 2.5


def test_trimmed_mean_drops_highest_and_lowest_from_three_up():
    out = combine(frame(), ["x"], Combine.TRIMMED_MEAN)
    # A: drop 1 and 10 -> (2+3)/2 = 2.5 ; B has 2 values -> mean 5 ; C one value -> 5
    assert out["x"].to_dict() == {"A": 2.5, "B": 5.0, "C": 5.0}


def test_trimmed_mean_of_three_is_the_middle_value():
    df = pd.DataFrame({"id": ["A"] * 3, "x": [1.0, 9.0, 4.0]})
    assert combine(df, ["x"], Combine.TRIMMED_MEAN)["x"]["A"] == 4.0


def test_order_is_first_appearance_and_input_untouched():
    df = frame()
    before = df.copy()
    out = combine(df, ["x"], Combine.MEAN)
    assert list(out.index) == ["A", "B", "C"]
    pd.testing.assert_frame_equal(df, before)


def test_entrant_info_counts_rows():
    df = frame().assign(name=["a"] * 7)
    info = entrant_info(df)
    assert info["assessors"].to_dict() == {"A": 4, "B": 2, "C": 1}


@pytest.mark.parametrize("word,member", [("mean", Combine.MEAN), ("Trimmed-Mean", Combine.TRIMMED_MEAN),
                                         ("median", Combine.MEDIAN)])
def test_alias_table(word, member):
    assert Combine.from_alias(word) is member


def test_alias_rejects_unknown_words():
    with pytest.raises(ValueError):
        Combine.from_alias("average-ish")


def test_standardized_on_a_connected_design():
    # X rates A 2, B 4 (mean 3, sd 1: z −1, +1); Y rates B 3, C 5 (mean 4, sd 1: z −1, +1)
    # entrant z: A −1, B (1 − 1)/2 = 0, C +1; all marks 2, 4, 3, 5: mean 3.5, sd √1.25
    df = pd.DataFrame({"id": ["A", "B", "B", "C"], "assessor": ["X", "X", "Y", "Y"],
                       "x": [2.0, 4.0, 3.0, 5.0]})
    out = combine(df, ["x"], Combine.STANDARDIZED, {"x": (1.0, 5.0)})["x"]
    sd = 1.25 ** 0.5
    assert out.to_dict() == pytest.approx({"A": 3.5 - sd, "B": 3.5, "C": 3.5 + sd})


def test_standardized_keeps_within_the_range():
    df = pd.DataFrame({"id": ["A", "B", "C", "A", "B", "C"], "assessor": list("XXXYYY"),
                       "x": [1.0, 1.0, 5.0, 1.0, 1.0, 5.0]})
    out = combine(df, ["x"], Combine.STANDARDIZED, {"x": (1.0, 5.0)})["x"]
    assert out.max() <= 5.0 and out.min() >= 1.0


def test_standardized_is_refused_on_a_disconnected_design(small_criteria):
    from dataclasses import replace

    from bantar_cli.core.checks import check_assessment
    from tests.conftest import frame_of, small_rows

    rows = small_rows()
    for r in rows[1:]:  # team 1 (P1, P2) assesses A and B; team 2 (Q1, Q2) assesses C
        if r[0] == "C":
            r[3] = {"P1": "Q1", "P2": "Q2"}[r[3]]
    crit = replace(small_criteria, combine=Combine.STANDARDIZED)
    (p,) = [p for p in check_assessment(frame_of(rows), crit) if p.slug == "disconnected-design"]
    assert "falls into 2 groups" in p.message
    assert "[1] P1, P2 (2 entrants); [2] Q1, Q2 (1 entrants)" in p.message


def test_missing_marks_are_left_out_of_the_combination():
    df = pd.DataFrame({"id": ["A", "A", "A"], "x": [2.0, float("nan"), 4.0]})
    assert combine(df, ["x"], Combine.MEAN)["x"]["A"] == 3.0
    assert combine(df, ["x"], Combine.TRIMMED_MEAN)["x"]["A"] == 3.0  # two values: the mean


@given(st.lists(st.tuples(st.integers(0, 6), st.floats(0, 100) | st.just(float("nan")),
                          st.floats(-5, 5)), min_size=1, max_size=80))
def test_group_mean_is_pandas_groupby_mean(rows):
    codes, _ = pd.factorize(pd.Series([r[0] for r in rows]))  # first-appearance codes
    values = np.array([[r[1], r[2]] for r in rows])
    got = group_mean(values, codes, codes.max() + 1)
    expected = pd.DataFrame(values).groupby(codes, sort=True).mean().to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_entrant_info_takes_each_entrants_first_row():
    f = frame().assign(name=["a1", "a2", "b1", "a3", "b2", "a4", "c1"])
    assert entrant_info(f)["name"].tolist() == ["a1", "b1", "c1"]


texts = st.sampled_from(["g1", "g2", " g3", None])


@given(st.lists(st.tuples(st.sampled_from("ABCDE"), texts, texts, texts), min_size=1,
                max_size=40),
       st.sampled_from(["str", "object"]), st.randoms(use_true_random=False))
def test_first_rows_are_each_entrants_first_row_in_the_order_asked(rows, dtype, rnd):
    # group and category as Arrow text are permuted as codes, other columns as they are
    f = pd.DataFrame({"id": [r[0] for r in rows],
                      **{c: pd.Series([r[k] for r in rows], dtype=dtype)
                         for k, c in enumerate(("name", "group", "category"), start=1)}})
    entrants = entrant_codes(f["id"])
    ids = list(entrants[1])
    first = {}
    for r in rows:
        first.setdefault(r[0], r)
    at = np.array(rnd.sample(range(len(ids)), len(ids)), dtype=np.intp)
    some = at[: rnd.randint(0, len(ids))]
    rows_of = FirstRows.of(f, entrants)
    for want in (at, some):
        info = rows_of.at(want)
        assert list(info.index) == [ids[a] for a in want]
        assert list(info.columns) == ["name", "group", "category", "assessors"]
        for k, c in enumerate(("name", "group", "category"), start=1):
            assert info[c].dtype == f[c].dtype
            assert [None if pd.isna(v) else v for v in info[c]] == [first[ids[a]][k] for a in want]
        assert info["assessors"].tolist() == [sum(r[0] == ids[a] for r in rows) for a in want]


@given(st.integers(1, 30), st.integers(1, 4), st.randoms(use_true_random=False))
def test_group_mean_with_equal_groups_in_any_order(entrants, size, rnd):
    codes = np.repeat(np.arange(entrants), size)
    if rnd.random() < 0.5:
        rnd.shuffle(codes)
    codes, _ = pd.factorize(codes)
    values = np.array([[rnd.uniform(0, 100), rnd.choice([1.0, np.nan])] for _ in codes])
    expected = pd.DataFrame(values).groupby(codes, sort=True).mean().to_numpy()
    np.testing.assert_allclose(group_mean(values, codes, entrants), expected, rtol=1e-12,
                               equal_nan=True)


@given(st.lists(st.tuples(st.integers(-1, 30), st.integers(-1, 4)), max_size=60),
       st.sampled_from([1, 100_000]))
def test_distinct_pairs_by_table_or_by_sort(rows, spread):
    """``spread`` stretches the entrant codes so that the sort path is taken too."""
    codes = np.array([c * spread if c >= 0 else -1 for c, _ in rows], dtype=np.int64)
    who = np.array([w for _, w in rows], dtype=np.int64)
    pairs, base = distinct_pairs(codes, who)
    expected = sorted({(c, w) for c, w in zip(codes.tolist(), who.tolist(), strict=True)
                       if c >= 0 and w >= 0})
    assert [(int(p // base), int(p % base)) for p in pairs] == expected


@given(st.lists(st.integers(-2**62, 2**62) | st.integers(-3, 3), max_size=50))
def test_sorted_distinct_is_numpy_unique(values):
    arr = np.array(values, dtype=np.int64)
    got = sorted_distinct(arr)
    assert got.dtype == arr.dtype and got.tolist() == np.unique(arr).tolist()


@given(st.lists(st.integers(-1, 6), max_size=40), st.integers(0, 8))
def test_rows_by_code_are_each_codes_positions_in_order(codes, n):
    got = rows_by_code(np.array(codes, dtype=np.intp), n)
    assert [g.tolist() for g in got] == [[i for i, c in enumerate(codes) if c == k]
                                         for k in range(n)]


def _reference_sums(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """What ``_group_sum`` gave before its strided paths: numpy's own sums."""
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    if (sizes == sizes[0]).all():
        return np.column_stack([values[:, j].reshape(len(sizes), sizes[0]).sum(axis=1)
                                for j in range(values.shape[1])])
    return np.column_stack([np.add.reduceat(values[:, j], starts) for j in range(values.shape[1])])


@given(st.lists(st.integers(1, 10), min_size=1, max_size=60), st.integers(1, 9),
       st.integers(0, 2**32 - 1), st.booleans())
def test_group_sums_are_numpys_to_the_last_bit(sizes, common, seed, many):
    """Mostly one group size (as when a few entrants miss an assessor), or all one size, or
    anything: the strided sums must equal reduceat's (or sum's) bit for bit."""
    rng = np.random.default_rng(seed)
    sizes = np.array([common if rng.random() < 0.8 else s for s in sizes] * (50 if many else 1))
    values = np.asfortranarray(rng.normal(50, 30, (int(sizes.sum()), 3)))
    values[rng.random(values.shape) < 0.3] = -0.0  # often: a sum of -0.0s keeps its sign or not
    values[rng.random(values.shape) < 0.1] = 0.0
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    got = _group_sum(values, starts, sizes)
    expected = _reference_sums(values, sizes)
    assert got.tobytes() == expected.tobytes()


@given(st.integers(0, 6), st.integers(1, 4), st.data())
def test_has_nan_is_any_isnan(rows, cols, data):
    """Infinities of both signs, zeros and NaNs anywhere: the columns' minimums tell a NaN."""
    cells = st.sampled_from([0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan])
    values = np.array(data.draw(st.lists(cells, min_size=rows * cols, max_size=rows * cols)),
                      dtype=float).reshape(rows, cols)
    for block in (values, np.asfortranarray(values)):
        assert has_nan(block) == bool(np.isnan(block).any())



_value = st.one_of(st.sampled_from([0.99999, 32.0, 1.1, 255.0, 0.1, 7.0]),
                   st.floats(0, 100, allow_nan=False))


@given(st.lists(st.tuples(st.integers(0, 4), _value, st.one_of(st.none(), _value)), min_size=1,
                max_size=20))
def test_an_indicators_combined_marks_do_not_depend_on_the_others_gaps(rows):
    """Each indicator's trimmed mean, median and mean, bit for bit, are those of its column
    alone, whatever the other columns hold: grouped as a block with a NaN anywhere in it,
    pandas summed 0.99999, 0.99999 and 32.0 to 33.99998, and alone to 33.999979999999994."""
    df = pd.DataFrame({"id": [f"E{e}" for e, _, _ in rows], "x": [x for _, x, _ in rows],
                       "y": [np.nan if y is None else y for *_, y in rows]})
    for method in (Combine.TRIMMED_MEAN, Combine.MEDIAN, Combine.MEAN):
        both = combine(df, ["x", "y"], method)
        for key in ("x", "y"):
            alone = combine(df[["id", key]], [key], method)
            assert both[key].to_numpy().tobytes() == alone[key].to_numpy().tobytes(), method


def test_a_missing_mark_elsewhere_leaves_a_trimmed_mean_as_it_was():
    df = pd.DataFrame({"id": ["A", "A", "A", "B", "B"],
                       "x": [0.99999, 0.99999, 32.0, 5.0, 5.0], "y": [1.0, 1.0, 1.0, 1.0, 1.0]})
    before = combine(df, ["x", "y"], Combine.TRIMMED_MEAN)["x"]["A"]
    df.loc[4, "y"] = np.nan  # B's second mark on y
    assert combine(df, ["x", "y"], Combine.TRIMMED_MEAN)["x"]["A"].hex() == before.hex()
