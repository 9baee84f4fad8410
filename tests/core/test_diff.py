"""Year against year on hand-made cases: matching, changes, groups, correlation, criteria."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import kendalltau, spearmanr

from bantar_cli.core.diff import Side, criteria_changes, diff, largest, pairs_of
from bantar_cli.core.score import score
from bantar_cli.io.criteria import load_criteria
from tests.core.test_awards import CRITERIA, frame

BASE = CRITERIA.replace("BUDGET", "1").replace("TIEBREAK", "[]")


def crit(text: str = BASE):
    return load_criteria(io.StringIO(text))


def side(rows, c=None) -> Side:
    c = c or crit()
    return Side.of(score(frame(rows), c), [])


OLD = [("P", "Utara", "besar", 90, 80),  # 85, rank 1
       ("Q", "Utara", "kecil", 60, 60),  # 60, rank 3
       ("R", "Selatan", "kecil", 70, 70),  # 70, rank 2
       ("X", "Selatan", "besar", 40, 40)]  # 40, rank 4; dropped in NEW
NEW = [("P", "Utara", "besar", 70, 70),  # 70, rank 3 (fell 2)
       ("Q", "Utara", "kecil", 90, 90),  # 90, rank 1 (rose 2)
       ("R", "Selatan", "kecil", 80, 80),  # 80, rank 2
       ("N", "Selatan", "besar", 50, 50)]  # new


def test_ranks_scores_and_who_is_in_one_year_only():
    d = diff(side(OLD), side(NEW))
    e = d.entrants.set_index("id")
    assert e.loc["Q", ["old_rank", "new_rank", "rank_change"]].tolist() == [3, 1, 2]
    assert e.loc["P", "rank_change"] == -2
    assert e.loc["Q", "score_change"] == pytest.approx(30.0)
    assert e.loc["P", "bersih_change"] == pytest.approx(-20.0)
    assert d.entrants["id"].tolist() == ["Q", "R", "P"]  # best new rank first
    assert d.only_old["id"].tolist() == ["X"] and d.only_new["id"].tolist() == ["N"]
    assert d.risers()["id"].tolist() == ["Q"] and d.fallers()["id"].tolist() == ["P"]
    assert d.comparable and d.changes == []


def test_correlations_match_scipy():
    d = diff(side(OLD), side(NEW))
    old, new = d.entrants["old_score"], d.entrants["new_score"]
    assert d.spearman == pytest.approx(spearmanr(old, new).statistic)
    assert d.kendall == pytest.approx(kendalltau(old, new).statistic)
    rng = np.random.default_rng(3)
    x = rng.integers(0, 20, 500).astype(float)
    y = x + rng.normal(0, 5, 500).round()
    from bantar_cli.core.correlation import kendall_tau_b, spearman

    assert kendall_tau_b(x, y) == pytest.approx(kendalltau(x, y).statistic, abs=1e-12)
    assert spearman(x, y) == pytest.approx(spearmanr(x, y).statistic, abs=1e-12)


def test_groups_and_whether_the_gap_closes():
    d = diff(side(OLD), side(NEW))
    g = d.groups.set_index("group")
    # Utara: P 85 -> 70, Q 60 -> 90: mean change (−15 + 30) / 2 = 7.5, Q most improved
    assert g.loc["Utara", "change"] == pytest.approx(7.5)
    assert g.loc["Utara", "most_improved"] == "Q"
    # gap between group means, all entrants of each year: old Utara 72.5 vs Selatan 55 = 17.5;
    # new Utara 80 vs Selatan 65 = 15 -> closing
    assert d.spread["old"] == pytest.approx(17.5) and d.spread["new"] == pytest.approx(15.0)
    assert d.spread["closing"] is True


def test_a_renamed_and_a_split_entrant_through_the_map():
    new = [("P2", *NEW[0][1:]), ("Q", *NEW[1][1:]), ("R", *NEW[2][1:]), ("X1", *NEW[3][1:]),
           ("X2", "Selatan", "kecil", 45, 45)]
    d = diff(side(OLD), side(new), mapping=[("P", "P2"), ("X", "X1"), ("X", "X2")])
    e = d.entrants.set_index("id")
    assert e.loc["P2", "old_id"] == "P" and e.loc["P2", "rank_change"] == 1 - 3  # 1 -> 3
    assert e.loc["X1", "old_id"] == "X" and e.loc["X2", "old_id"] == "X"
    assert d.only_old.empty and d.only_new.empty


def test_the_indicators_that_moved_most():
    d = diff(side(OLD), side(NEW))
    q = d.moved.of(int(np.flatnonzero(d.entrants["id"] == "Q")[0]))
    # Q: b 60 -> 90, a 60 -> 90; each is half the total: +15 points each
    assert {m["key"] for m in q} == {"b", "a"}
    assert all(m["points_change"] == pytest.approx(15.0) for m in q)
    lean = diff(side(OLD), side(NEW), moved=False)  # what the table and CSV ask for
    assert lean.moved is None
    pd.testing.assert_frame_equal(lean.entrants, d.entrants)


def test_criteria_changes_are_listed():
    from bantar_cli.core.diff import CriteriaDef

    new_text = (BASE.replace("{key: a, column: A, weight: 1, range: [0, 100]}",
                             "{key: aman2, column: A, weight: 1, range: [0, 100]}")
                .replace("  - key: aman\n    weight: 1", "  - key: aman\n    weight: 3")
                .replace("{key: b, column: B, weight: 1, range: [0, 100]}",
                         "{key: b, column: B, weight: 1, range: [0, 50], direction: lower}"))
    changes = {(c.kind, c.key) for c in criteria_changes(CriteriaDef.of(crit()),
                                                         CriteriaDef.of(crit(new_text)))}
    assert changes == {("renamed", "aman2"), ("range", "b"), ("direction", "b"),
                       ("share", "bersih"), ("share", "aman"), ("share", "b")}
    assert criteria_changes(CriteriaDef.of(crit()), CriteriaDef.of(crit())) == []


def test_common_rescoring_by_hand():
    old_c = crit(BASE)
    # NEW drops indicator b and adds c; only 'a' is shared: both years scored on 'a' alone
    new_text = BASE.replace("indicators: [{key: b, column: B, weight: 1, range: [0, 100]}]",
                            "indicators: [{key: c, column: C, weight: 1, range: [0, 100]}]")
    shared = crit(new_text).shared_with(old_c)
    assert [i.key for i in shared.indicators] == ["a"]
    old = Side.of(score(frame(OLD), shared), [])
    t = old.table.set_index("id")
    assert t.loc["P", "score"] == pytest.approx(80.0)  # a = 80 is the whole score now
    with pytest.raises(ValueError):
        crit(BASE.replace("key: a,", "key: z,").replace("key: b,", "key: y,")).shared_with(old_c)


def test_frames_are_not_modified():
    o, n = side(OLD), side(NEW)
    before = o.table.copy()
    diff(o, n)
    pd.testing.assert_frame_equal(o.table, before)


@given(st.lists(st.integers(-3, 3), max_size=40))
def test_swaps_are_the_pairs_out_of_order(values):
    from bantar_cli.core.correlation import _count_swaps

    brute = sum(a > b for i, a in enumerate(values) for b in values[i + 1:])
    assert _count_swaps(np.array(values, dtype=float)) == brute


@given(st.lists(st.tuples(st.integers(0, 6), st.floats(-5, 5)), min_size=3, max_size=60))
def test_kendall_agrees_with_scipy(pairs):
    from bantar_cli.core.correlation import kendall_tau_b

    x = np.array([a for a, _ in pairs], dtype=float)
    y = np.array([b for _, b in pairs])
    expected = kendalltau(x, y).statistic
    got = kendall_tau_b(x, y)
    assert (got is None) == bool(np.isnan(expected))
    if got is not None:
        assert got == pytest.approx(expected, abs=1e-12)


def _pairs_by_sets(old_ids, new_ids, mapping):
    """The matching as first written, with Python sets: the oracle for ``pairs_of``."""
    old_set, new_set = set(old_ids), set(new_ids)
    mapping = [(o, n) for o, n in mapping if o in old_set and n in new_set]
    mapped_old, mapped_new = {o for o, _ in mapping}, {n for _, n in mapping}
    same = [i for i in new_ids if i in old_set and i not in mapped_old and i not in mapped_new]
    return [(i, i) for i in same] + mapping


_ids = st.lists(st.sampled_from([f"E{k}" for k in range(12)] + ["é 1", ""]), unique=True,
                max_size=10)


@given(old_ids=_ids, new_ids=_ids,
       mapping=st.lists(st.tuples(st.sampled_from([f"E{k}" for k in range(14)]),
                                  st.sampled_from([f"E{k}" for k in range(14)])), max_size=5))
def test_pairs_of_matches_by_id_then_through_the_mapping(old_ids, new_ids, mapping):
    old_rows, new_rows = pairs_of(pd.Series(old_ids, dtype="string[pyarrow]"),
                                  pd.Series(new_ids, dtype=object), mapping)
    got = [(old_ids[o], new_ids[n]) for o, n in zip(old_rows.tolist(), new_rows.tolist(), strict=True)]
    assert got == _pairs_by_sets(old_ids, new_ids, mapping)


def test_entrants_come_by_new_rank_then_id_also_when_a_mapped_one_ties():
    from bantar_cli.core.diff import CriteriaDef

    c = CriteriaDef.of(crit())
    pillars = {k: 50.0 for k in c.pillar_keys}

    def year(rows):
        return Side(criteria=c, inputs=[], table=pd.DataFrame(
            [{"id": i, "name": i, "group": "G", "rank": r, "score": s, **pillars}
             for i, r, s in rows]))

    old = year([("X", 1, 90.0), ("A", 2, 80.0), ("C", 3, 70.0)])
    new = year([("A", 1, 95.0), ("B", 2, 85.0), ("C", 2, 85.0)])  # B and C tie
    d = diff(old, new, [("X", "B")])  # B (mapped) comes last from the matching, before C by id
    assert d.entrants[["id", "old_id", "new_rank"]].values.tolist() == [
        ["A", "A", 1], ["B", "X", 2], ["C", "C", 2]]


@given(st.integers(0, 6), st.integers(1, 6), st.integers(1, 4),
       st.lists(st.sampled_from([0.0, 1.0, 2.5, 2.5, -3.0, float("nan")]), min_size=36,
                max_size=36))
def test_largest_is_the_head_of_a_stable_descending_sort(n, width, k, pool):
    values = np.abs(np.array(pool[:n * width], dtype="float64").reshape(n, width))
    expected = np.argsort(-values, axis=1, kind="stable")[:, :k]
    assert np.array_equal(largest(values.copy(), k), expected)
