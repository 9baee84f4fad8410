"""The assessor report against textbook values, scipy, and a harsh assessor planted on purpose."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import friedmanchisquare

from bantar_cli.core.assessors import assessor_report, icc, kendall_w, unit_marks
from bantar_cli.io.criteria import load_criteria
from bantar_cli.model import Direction

# Shrout & Fleiss (1979), Psychological Bulletin 86(2), table 2: 6 targets rated by 4 judges.
# Their ICC(2,1) = 0.29 and ICC(3,1) = 0.71 are McGraw & Wong's ICC(A,1) and ICC(C,1).
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
                          [6, 2, 4, 7]], dtype=float)


def test_icc_against_shrout_and_fleiss():
    a1, c1 = icc(SHROUT_FLEISS)
    assert round(a1, 2) == 0.29 and round(c1, 2) == 0.71
    assert a1 == pytest.approx(0.2898, abs=1e-4) and c1 == pytest.approx(0.7148, abs=1e-4)

def test_icc_is_not_defined_where_its_formula_divides_by_zero():
    """Two raters exactly reversed on two targets: ICC(A,1)'s denominator is 0 (it was -inf,
    with a warning); ICC(C,1) is -1. No variation at all: neither is defined."""
    import math

    a1, c1 = icc(np.array([[1.0, 2.0], [2.0, 1.0]]))
    assert math.isnan(a1) and c1 == -1.0
    assert all(math.isnan(x) for x in icc(np.full((3, 2), 4.0)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kendall_w_against_friedman(seed):
    # W = χ²_Friedman / (m (n − 1)), Friedman's test treating the targets as treatments and the
    # raters as blocks (scipy applies the same correction for ties)
    rng = np.random.default_rng(seed)
    m = rng.integers(1, 6, (25, 4)).astype(float)
    for matrix in (m, SHROUT_FLEISS):
        n, raters = matrix.shape
        chi2 = friedmanchisquare(*matrix).statistic
        assert kendall_w(matrix) == pytest.approx(chi2 / (raters * (n - 1)), abs=1e-12)


CRIT = """\
name: t
entrant: {id: Kode, assessor: Penilai}
pillars:
  - key: p
    weight: 1
    indicators:
      - {key: a, column: A, weight: 1, range: [1, 5]}
      - {key: b, column: B, weight: 1, range: [0, 100]}
"""


def generated(harsh: str | None = "P3", seed: int = 4) -> pd.DataFrame:
    """Two teams of three who each assess all their 40 entrants; one assessor marks low."""
    rng = np.random.default_rng(seed)
    rows = []
    for team, people in enumerate((("P1", "P2", "P3"), ("Q1", "Q2", "Q3"))):
        for e in range(40):
            quality = rng.normal(0, 1)
            for who in people:
                shift = -0.9 if who == harsh else 0.0
                rows.append({"id": f"T{team}-{e}", "assessor": who,
                             "a": float(np.clip(np.rint(3 + quality + shift + rng.normal(0, .3)),
                                                1, 5)),
                             "b": float(np.clip(60 + 15 * quality + 20 * shift
                                                + rng.normal(0, 4), 0, 100))})
    return pd.DataFrame(rows)


def test_the_planted_harsh_assessor_is_the_one_flagged():
    crit = load_criteria(io.StringIO(CRIT))
    report = assessor_report(generated(), crit)
    flagged = {r["assessor"]: r["flags"] for r in report.assessors.to_dict("records") if r["flags"]}
    assert flagged == {"P3": ["harsh"]}
    p3 = report.assessors.set_index("assessor").loc["P3"]
    assert p3["leniency"] < -0.1 and p3["agreement"] > 0.5


def test_teams_are_the_connected_groups_with_their_reliability():
    crit = load_criteria(io.StringIO(CRIT))
    report = assessor_report(generated(harsh=None), crit)
    assert [t.assessors for t in report.teams] == [("P1", "P2", "P3"), ("Q1", "Q2", "Q3")]
    for t in report.teams:
        assert t.entrants == 40 and t.note is None
        assert 0.8 < t.icc_c1 <= 1 and 0.8 < t.icc_a1 <= 1 and 0.8 < t.kendall_w <= 1


def test_figures_that_the_data_do_not_allow_are_said_plainly():
    crit = load_criteria(io.StringIO(CRIT))
    df = generated(harsh=None)
    df = df[~((df["assessor"] == "P2") & (df["id"] == "T0-0"))]  # P2 skipped one entrant
    df = df[~df["assessor"].isin(["Q2", "Q3"])]  # Q1 alone
    teams = {t.assessors: t for t in assessor_report(df, crit).teams}
    assert teams[("P1", "P2", "P3")].icc_a1 is None
    assert "did not all assess the same entrants" in teams[("P1", "P2", "P3")].note
    assert teams[("Q1",)].note.startswith("one assessor")


def test_entrants_whose_assessors_disagree_are_listed_for_a_second_visit():
    crit = load_criteria(io.StringIO(CRIT))
    df = generated(harsh=None)
    df.loc[(df["id"] == "T1-7") & (df["assessor"] == "Q1"), "a"] = 1.0
    df.loc[(df["id"] == "T1-7") & (df["assessor"] == "Q2"), "a"] = 5.0
    report = assessor_report(df, crit)
    first = report.second_visit.iloc[0]
    assert first["id"] == "T1-7" and first["max_spread"] == 1.0 and first["indicator"] == "A"


def _unit_marks_by_series(frame, criteria):
    """unit_marks as first written, on pandas columns: the oracle for the block version."""
    out = {}
    for ind in criteria.indicators:
        x = frame[ind.key].astype("float64")
        lo, hi = ind.range if ind.range else (x.min(), x.max())
        m = (x - lo) / (hi - lo) if hi > lo else x * 0 + 1.0
        out[ind.key] = 1 - m if ind.direction is Direction.LOWER else m
    return pd.DataFrame(out, index=frame.index)


_mark = st.one_of(st.none(), st.floats(-1e6, 1e6), st.sampled_from([0.0, 1.0, 3.0, 100.0]))


@given(st.lists(st.tuples(_mark, _mark, _mark), max_size=12),
       st.lists(st.tuples(st.sampled_from([None, (1, 5), (0, 100), (0.5, 0.5)]),
                          st.sampled_from(list(Direction))), min_size=3, max_size=3))
def test_unit_marks_are_the_pandas_columns_bit_for_bit(rows, kinds):
    from types import SimpleNamespace

    criteria = SimpleNamespace(indicators=[SimpleNamespace(key=f"k{j}", range=r, direction=d)
                                           for j, (r, d) in enumerate(kinds)])
    frame = pd.DataFrame([[np.nan if v is None else v for v in r] for r in rows],
                         columns=["k0", "k1", "k2"], dtype="float64", index=range(5, 5 + len(rows)))
    got, expected = unit_marks(frame, criteria), _unit_marks_by_series(frame, criteria)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


@given(st.lists(st.tuples(st.integers(0, 4), _mark, _mark), min_size=1, max_size=20))
def test_entrant_spread_by_runs_is_pandas_grouped_max_minus_min(rows):
    from bantar_cli.core.assessors import entrant_spread

    rows = sorted(rows, key=lambda r: r[0])  # each entrant's rows together
    ent = np.unique([r[0] for r in rows], return_inverse=True)[1].astype(np.intp)
    marks = pd.DataFrame([[np.nan if v is None else v for v in r[1:]] for r in rows],
                         columns=["a", "b"], dtype="float64")
    g = marks.groupby(ent, sort=True)
    pd.testing.assert_frame_equal(entrant_spread(marks, ent), g.max() - g.min(), check_exact=True)


def _co_and_diff_by_series(marks, ent):
    """Each mark's co-assessor mean and difference from the consensus, by pandas' grouped
    transforms a column at a time, as first written: the oracle for the per-entrant version."""
    co, diff = {}, {}
    for key in marks.columns:
        x = marks[key]
        grouped = x.groupby(ent)
        others = grouped.transform("count") - x.notna().astype(int)
        co[key] = ((grouped.transform("sum") - x.fillna(0)) / others.where(others > 0)).where(
            x.notna())
        diff[key] = (x - grouped.transform("median")).where(others > 0)
    return pd.DataFrame(co).to_numpy(), pd.DataFrame(diff).to_numpy()


@given(st.lists(st.tuples(st.integers(0, 5), _mark, _mark), min_size=1, max_size=25),
       st.lists(st.integers(0, 24), max_size=10))
def test_co_assessor_means_and_differences_are_the_pandas_transforms_bit_for_bit(rows, picked):
    """Entrants with one assessor (no co-assessor: NaN), missing marks, any row order; for all
    rows and for any assessor's subset of them."""
    from bantar_cli.core.assessors import _by_entrant, _co, _diff

    ent = np.array([r[0] for r in rows], dtype=np.intp)
    marks = pd.DataFrame([[np.nan if v is None else v for v in r[1:]] for r in rows],
                         columns=["a", "b"], dtype="float64")
    total, count, median, entrant_of = _by_entrant(marks, ent)
    want_co, want_diff = _co_and_diff_by_series(marks, ent)
    for mine in (np.arange(len(rows)),
                 np.unique(np.array([p for p in picked if p < len(rows)], dtype=np.intp))):
        own, at = marks.to_numpy()[mine], entrant_of[mine]
        co, diff = _co(own, at, total, count), _diff(own, at, count, median)
        np.testing.assert_array_equal(co, want_co[mine])  # NaN in the same places
        np.testing.assert_array_equal(diff, want_diff[mine])
        assert co.tobytes() == want_co[mine].tobytes() and diff.tobytes() == want_diff[mine].tobytes()


def _teams_by_pivot(frame, marks):
    """Each group's reliability as first written: its rows found among all, pivoted by pandas;
    the oracle for ``team_reliability``."""
    from bantar_cli.core.assessors import TeamReliability, icc, kendall_w
    from bantar_cli.core.design import components

    out = []
    for comp in components(frame):
        mine = frame["assessor"].isin(comp.assessors).to_numpy()
        matrix = pd.DataFrame({"id": frame["id"][mine], "assessor": frame["assessor"][mine],
                               "m": marks[mine].mean(axis=1)}).pivot_table(
            index="id", columns="assessor", values="m", aggfunc="mean")
        k, n = len(comp.assessors), len(matrix)
        if k < 2:
            out.append(TeamReliability(comp.assessors, n, None, None, None,
                                       "one assessor: there is nobody to agree with"))
        elif n < 2:
            out.append(TeamReliability(comp.assessors, n, None, None, None,
                                       "fewer than two entrants"))
        elif matrix.isna().to_numpy().any():
            out.append(TeamReliability(comp.assessors, n, None, None, None,
                                       "not defined: the assessors of this group did not all "
                                       "assess the same entrants"))
        else:
            a1, c1 = icc(matrix.to_numpy())
            out.append(TeamReliability(comp.assessors, n, a1, c1, kendall_w(matrix.to_numpy())))
    return out


@st.composite
def _team_rows(draw):
    """Teams of 1-4 assessors, each marking all 1-6 entrants of its team, a few rows dropped;
    ids numbered so that their text order is not their order of appearance."""
    rows, entrant, assessor = [], 0, 0
    for _ in range(draw(st.integers(1, 3))):
        people = list(range(assessor, assessor + draw(st.integers(1, 4))))
        assessor += len(people)
        for e in range(entrant, entrant + draw(st.integers(1, 6))):
            for a in people:
                if draw(st.integers(0, 9)) != 0:  # one row in ten dropped
                    rows.append((f"E{(37 * e) % 101}", f"A{a}", draw(_mark),
                                 draw(st.sampled_from([1.0, 2.0, 3.5, 5.0]))))
        entrant += 6
    return draw(st.permutations(rows)) if rows else [("E0", "A0", 1.0, 1.0)]


@settings(max_examples=200, deadline=None)
@given(_team_rows())
def test_team_reliability_is_the_per_team_pivot_bit_for_bit(rows):
    """Teams of any size (one assessor, one entrant, gaps), rows in any order; every row has a
    mark (column b), as the readers ensure."""
    from bantar_cli.core.assessors import team_reliability

    frame = pd.DataFrame(rows, columns=["id", "assessor", "a", "b"]).astype({"a": "float64"})
    marks = frame[["a", "b"]]

    def exact(teams):  # floats by their bits, NaN equal to NaN
        return [tuple(v.hex() if isinstance(v, float) else v for v in (
            t.assessors, t.entrants, t.icc_a1, t.icc_c1, t.kendall_w, t.note)) for t in teams]

    assert exact(team_reliability(frame, marks)) == exact(_teams_by_pivot(frame, marks))


def test_the_report_as_text_tables_names_each_assessor_and_flag_once():
    from bantar_cli.render.assessors import assessors_lines

    crit = load_criteria(io.StringIO(CRIT))
    report = assessor_report(generated(), crit)
    lines = list(assessors_lines(report, lang="en"))
    rows = [line for line in lines if line.startswith("│ ") and line.split("│")[1].strip()
            in {"P1", "P2", "P3", "Q1", "Q2", "Q3"}]
    assert [r.split("│")[1].strip() for r in rows] == ["P1", "P2", "P3", "Q1", "Q2", "Q3"]
    assert [r.split("│")[-2].strip() for r in rows] == ["", "", "harsh", "", "", ""]
    assert all(r.split("│")[2] == f" {'40':>8} " for r in rows)  # numbers right-aligned
    table_width = len(next(line for line in lines if line.startswith("┏")))
    caption = lines[lines.index(next(line for line in lines if line.startswith("└"))) + 1:][:4]
    assert caption[0].strip().startswith("All marks on a 0–1 scale")
    assert all(len(line) <= table_width for line in caption)
    assert any(line.startswith("│ 1: P1, P2, P3 ") for line in lines)
    colored = "\n".join(assessors_lines(report, lang="en", color=True))
    assert "\x1b[1;31mharsh\x1b[0m" in colored and "\x1b[2;3m  All marks" in colored


@given(st.lists(st.tuples(st.integers(0, 6), _mark, _mark, _mark), min_size=1, max_size=25))
def test_by_entrant_is_each_columns_own_grouping(rows):
    """Sums, counts and medians per entrant are those of each column grouped on its own, bit
    for bit, whatever the other columns hold (grouped with a column that holds a NaN, pandas
    sums 0.99999, 0.99999 and 32.0 to 33.99998, and alone to 33.999979999999994)."""
    from bantar_cli.core.assessors import _by_entrant

    ent = np.array([r[0] for r in rows], dtype=np.intp)
    marks = pd.DataFrame([[np.nan if v is None else v for v in r[1:]] for r in rows],
                         columns=list("abc"), dtype="float64")
    *got, entrant_of = _by_entrant(marks, ent)
    for j, key in enumerate(marks.columns):
        g = marks[key].groupby(ent)
        for figure, want in zip(got, (g.sum(), g.count(), g.median()), strict=True):
            assert figure[:, j].astype("float64").tobytes() == want.to_numpy("float64").tobytes()
    np.testing.assert_array_equal(entrant_of, pd.Index(np.unique(ent)).get_indexer(ent))
    assert got[1].dtype == np.int32


def _assessor_figures_plainly(frame, crit):
    """Each assessor's marks, mean, sd, leniency and agreement as first written: all its marks,
    co-assessor means and differences (pandas' transforms) in whole arrays."""
    marks = unit_marks(frame, crit)
    co, diff = _co_and_diff_by_series(marks, pd.factorize(frame["id"])[0])
    out = {}
    for a in sorted(set(frame["assessor"])):
        mine = (frame["assessor"] == a).to_numpy()
        own, c, d = marks.to_numpy()[mine].ravel(), co[mine].ravel(), diff[mine].ravel()
        m = own[~np.isnan(own)]
        both = ~np.isnan(c) & ~np.isnan(own)
        x, y = own[both], c[both]
        agreement = (float(np.corrcoef(x, y)[0, 1]) if both.sum() >= 3 and x.std() > 0
                     and y.std() > 0 else None)
        out[a] = (int(m.size), float(m.mean()) if m.size else None,
                  float(m.std()) if m.size else None,
                  float(np.nanmean(d)) if (~np.isnan(d)).any() else None, agreement)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["P1", "P2", "P3"]),
                          st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.5, 5.0])),
                          st.floats(0, 100)), min_size=1, max_size=40),
       st.sampled_from([1, 2, 3, 1 << 16]))
def test_each_assessors_figures_are_those_of_its_whole_arrays_bit_for_bit(rows, at_once):
    """Missing marks, entrants with one assessor, any order, the rows gathered a few at a
    time; the report given the frame, and given only the frame's text with the marks made
    first (as ``score -o`` does)."""
    from bantar_cli.core import assessors

    seen, unique = set(), []
    for r in rows:  # an assessor marks an entrant once
        if (r[0], r[1]) not in seen:
            seen.add((r[0], r[1]))
            unique.append(r)
    frame = pd.DataFrame([(f"E{e}", who, np.nan if a is None else a, b) for e, who, a, b in unique],
                         columns=["id", "assessor", "a", "b"])
    crit = load_criteria(io.StringIO(CRIT))
    want = _assessor_figures_plainly(frame, crit)

    def exact(report):
        return {r["assessor"]: tuple(None if v is None or v != v else float(v).hex()
                                     if isinstance(v, float) else v
                                     for v in (r["marks"], r["mean"], r["sd"], r["leniency"],
                                               r["agreement"]))
                for r in report.assessors.to_dict("records")}

    expected = {a: tuple(v.hex() if isinstance(v, float) else v for v in f) for a, f in want.items()}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(assessors, "ROWS_AT_ONCE", at_once)
        assert exact(assessor_report(frame, crit)) == expected
        texts = frame.drop(columns=["a", "b"])
        assert exact(assessor_report(texts, crit, marks=unit_marks(frame, crit))) == expected


_unit = st.one_of(st.integers(0, 10**6).map(lambda v: v / 10**6), st.sampled_from([0.0, 1.0, 1 / 3]))


@given(st.lists(st.tuples(_unit, _unit), min_size=3, max_size=60)
       .filter(lambda p: len({x for x, _ in p}) > 1 and len({y for _, y in p}) > 1))
def test_the_correlation_in_place_is_numpys_bit_for_bit(pairs):
    """Marks on the 0..1 scale and co-assessor means, neither all the same (as the report
    asks before it correlates)."""
    from bantar_cli.core.assessors import _correlation

    x, y = (np.array(v) for v in zip(*pairs, strict=True))
    want = np.corrcoef(x, y)[0, 1]
    assert _correlation(np.stack([x, y])).hex() == float(want).hex()
