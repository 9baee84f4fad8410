"""Checks report (row, key) problems with slugs; they never raise."""

import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.checks import check_assessment
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
    ids = list(dict.fromkeys(i for i, _ in pairs if i is not None))
    few = [i for i in ids if len({a for j, a in pairs if j == i and a is not None}) < 2]
    assert [p.value for p in problems if p.slug == "too-few-assessors"] == few


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", None]),
                          st.sampled_from(["RT 1", "RT 2", None])), min_size=1, max_size=25))
def test_conflicting_names_match_a_plain_comparison(pairs):
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
