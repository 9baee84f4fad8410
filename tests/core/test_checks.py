"""Checks report (row, key) problems with slugs; they never raise."""

import numpy as np

from bantar_cli.core.checks import check_assessment
from tests.conftest import frame_of, small_rows


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
