"""Checks report (row, key) problems with slugs; they never raise."""

import io

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st

from bantar_cli.core.checks import SAME_MARK_MIN_ENTRANTS, check_assessment, suspicious
from bantar_cli.io.criteria import load_criteria
from tests.conftest import SMALL_CRITERIA, frame_of, small_rows


def slugs(problems):
    return [(p.slug, p.row, p.key) for p in problems]


def test_clean_frame_has_no_problems(small_criteria):
    assert check_assessment(frame_of(small_rows()), small_criteria) == []


def test_missing_and_out_of_range(small_criteria):
    df = frame_of(small_rows())
    df.loc[1, "air"] = np.nan
    df.loc[3, "sampah"] = 0.5
    df.loc[4, "air"] = 100.5
    got = slugs(check_assessment(df, small_criteria))
    assert ("missing-value", 1, "air") in got
    assert ("out-of-range", 3, "sampah") in got
    assert ("out-of-range", 4, "air") in got
    assert len(got) == 3


def test_same_entrant_same_assessor_twice(small_criteria):
    rows = small_rows()
    rows.append(["B", "RT 002", "Telanaipura", "P2", 3, 70, 2])
    problems = check_assessment(frame_of(rows), small_criteria)
    assert slugs(problems) == [("duplicate-assessment", 6, "id")]
    assert problems[0].other_row == 3
    assert "assessed twice by 'P2'" in problems[0].message


def test_rows_disagreeing_on_an_entrant(small_criteria):
    rows = small_rows()
    rows[2][2] = "Jelutung"  # A's second row names another kecamatan
    problems = check_assessment(frame_of(rows), small_criteria)
    assert slugs(problems) == [("conflicting-entrant", 1, "group")]


def test_empty_frame(small_criteria):
    df = frame_of(small_rows()).iloc[0:0]
    assert slugs(check_assessment(df, small_criteria)) == [("no-entrants", None, None)]


def test_missing_id(small_criteria):
    df = frame_of(small_rows())
    df.loc[2, "id"] = None
    assert ("missing-value", 2, "id") in slugs(check_assessment(df, small_criteria))


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", None]),
                          st.sampled_from(["P1", "P2", None])), min_size=1, max_size=25))
def test_duplicates_and_assessor_counts_match_a_plain_count(pairs):
    rows = small_rows()[:1] + [[i, "RT", "Telanaipura", a, 3, 50, 1] for i, a in pairs]
    frame = frame_of(rows)
    crit = load_criteria(io.StringIO(SMALL_CRITERIA + "assessors:\n  min_count: 2\n"))
    problems = check_assessment(frame, crit)
    seen: dict[tuple, int] = {}
    duplicates = []
    for n, (i, a) in enumerate(pairs):
        if i is not None and a is not None:
            if (i, a) in seen:
                duplicates.append((n, seen[(i, a)]))
            seen.setdefault((i, a), n)
    got = [(p.row, p.other_row) for p in problems if p.slug == "duplicate-assessment"]
    assert sorted(got) == duplicates
    for p in (p for p in problems if p.slug == "duplicate-assessment"):
        i, a = pairs[p.row]
        assert (p.value, p.message) == (i, f"entrant '{i}' is assessed twice by '{a}'")
    ids = list(dict.fromkeys(i for i, _ in pairs if i is not None))
    few = [i for i in ids if len({a for j, a in pairs if j == i and a is not None}) < 2]
    assert [p.value for p in problems if p.slug == "too-few-assessors"] == few


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", None]),
                          st.sampled_from(["RT 1", "RT 2", None])), min_size=1, max_size=25),
       st.booleans())
def test_conflicting_names_match_a_plain_comparison(pairs, together):
    if together:  # each entrant's rows one after another: compared with the row before
        pairs = sorted(((i, name) for i, name in pairs if i is not None), key=lambda p: p[0])
        assume(pairs)
    rows = small_rows()[:1] + [[i, name, "Telanaipura", f"P{n}", 3, 50, 1]
                               for n, (i, name) in enumerate(pairs)]
    problems = check_assessment(frame_of(rows), load_criteria(io.StringIO(SMALL_CRITERIA)))
    first: dict[str, int] = {}
    expected: dict[str, int] = {}
    for n, (i, name) in enumerate(pairs):
        if i is None:
            continue
        first.setdefault(i, n)
        if name != pairs[first[i]][1]:
            expected.setdefault(i, n)
    got = [p.row for p in problems if p.slug == "conflicting-entrant"]
    assert got == [expected[i] for i in first if i in expected]


marks = st.sampled_from([1.0, 2.0, 3.0, None])


@given(st.lists(st.tuples(st.sampled_from(["P1", "P2", "P3", None]), marks, marks),
                min_size=SAME_MARK_MIN_ENTRANTS, max_size=30), st.booleans())
@example([("P1", 1.0, 2.0)] * 3 + [("P2", 1.0, 3.0), ("P2", 2.0, 3.0), ("P2", 3.0, 3.0)], False)
def test_same_marks_and_constant_columns_match_a_plain_count(rows, air_blank):
    frame = frame_of(small_rows()[:1] + [[f"E{n}", "RT", "Telanaipura", a, s, 50, k]
                                         for n, (a, s, k) in enumerate(rows)])
    # neither constant nor the same mark: blank everywhere, or a different mark in every row
    # (then a frame without a blank mark anywhere is counted the short way)
    frame["air"] = np.nan if air_blank else 50.0 + np.arange(len(frame))
    problems = suspicious(frame, load_criteria(io.StringIO(SMALL_CRITERIA)))
    columns = {"sampah": [r[1] for r in rows], "kejadian": [r[2] for r in rows]}
    constant = {k for k, v in columns.items() if None not in v and len(set(v)) == 1}
    assert {p.key for p in problems if p.slug == "constant-column"} == constant
    expected = set()
    for who in {r[0] for r in rows} - {None}:  # rows without an assessor are nobody's
        for n, key in enumerate(columns):
            given_ = [r[n + 1] for r in rows if r[0] == who and r[n + 1] is not None]
            if key not in constant and len(given_) >= SAME_MARK_MIN_ENTRANTS \
                    and len(set(given_)) == 1:
                expected.add((who, key, given_[0]))
    got = {(p.message.split("'")[1], p.key, float(p.message.split("(")[1].split(")")[0]))
           for p in problems if p.slug == "same-mark"}
    assert got == expected


RATIO_CRITERIA = SMALL_CRITERIA.replace("        range: [0, 100]\n",
                                        "        range: [-10, 100]\n        normalize: ratio\n")
MARKS = st.one_of(st.just(np.nan), st.sampled_from([-10.5, -10.0, -0.5, 0.0, 0.5, 1.0, 5.0, 5.5,
                                                    100.0, 100.5]), st.floats(-20, 120))


@given(st.lists(st.tuples(MARKS, MARKS, MARKS), min_size=6, max_size=6), st.booleans())
@example([(1.0, 50.0, 0.0)] * 5 + [(5.0, -0.5, 1.0)], True)  # in range, yet negative for ratio
@example([(1.0, 50.0, 0.0)] * 6, False)  # every column in range: nothing
def test_cell_problems_match_a_plain_loop(marks, ratio):
    """Missing, out-of-range and negative-for-ratio marks, cell by cell, whichever way a column
    is checked (a column whose marks all lie in its range takes a shorter path)."""
    crit = load_criteria(io.StringIO(RATIO_CRITERIA if ratio else SMALL_CRITERIA))
    df = frame_of(small_rows())
    for row, values in enumerate(marks):
        df.loc[row, ["sampah", "air", "kejadian"]] = values
    expected = []
    for ind in crit.indicators:
        for row in range(len(df)):
            x = df.loc[row, ind.key]
            if np.isnan(x):
                expected.append(("missing-value", row, ind.key))
            elif ind.range is not None and not ind.range[0] <= x <= ind.range[1]:
                expected.append(("out-of-range", row, ind.key))
            if not np.isnan(x) and ind.normalize.value == "ratio" and x < 0:
                expected.append(("negative-for-ratio", row, ind.key))
    cells = {"missing-value", "out-of-range", "negative-for-ratio"}
    got = [s for s in slugs(check_assessment(df, crit)) if s[0] in cells]
    assert sorted(got) == sorted(expected)
