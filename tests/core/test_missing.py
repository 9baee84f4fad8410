"""Missing values: error, zero, reweight, and the coverage rule, by hand."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from bantar_cli.core.checks import check_assessment
from bantar_cli.core.score import score
from bantar_cli.errors import BantarError
from bantar_cli.io.criteria import load_criteria

TEXT = """\
name: t
entrant: {id: Kode, assessor: Penilai}
missing: MISSING
COVERAGE
pillars:
  - key: p
    weight: 1
    indicators:
      - {key: a, column: A, weight: 1, range: [0, 10]}
      - {key: b, column: B, weight: 3, range: [0, 10]}
  - key: q
    weight: 1
    indicators:
      - {key: c, column: C, weight: 1, range: [0, 10], missing: error}
"""


def crit(missing: str, coverage: str = ""):
    return load_criteria(io.StringIO(TEXT.replace("MISSING", missing).replace("COVERAGE", coverage)))


def frame():
    # E2 has no 'b' from either assessor; E1 misses 'b' from one assessor only
    return pd.DataFrame({"id": ["E1", "E1", "E2", "E2"], "assessor": ["X", "Y", "X", "Y"],
                         "a": [10.0, 10.0, 6.0, 6.0], "b": [8.0, np.nan, np.nan, np.nan],
                         "c": [5.0, 5.0, 5.0, 5.0]})


def test_reweight_drops_the_indicator_and_rescales_its_pillar():
    s = score(frame(), crit("reweight"))
    t = s.table.set_index("id")
    # E2: pillar p has only a (r = 0.6): 60; q: 50; total (60 + 50) / 2 = 55
    assert t.loc["E2", "p"] == pytest.approx(60.0) and t.loc["E2", "score"] == pytest.approx(55.0)
    # E1: b is the one mark given (8): p = (1 · 1.0 + 3 · 0.8) / 4 = 0.85 -> 85
    assert t.loc["E1", "p"] == pytest.approx(85.0)
    assert s.missing() == {"E2": [("b", "reweight")]}
    points = s.points().loc["E2"]
    assert points.sum() == pytest.approx(55.0) and points["b"] == 0  # contributions still add up


def test_zero_counts_r_as_nothing():
    t = score(frame(), crit("zero")).table.set_index("id")
    # E2: p = (1 · 0.6 + 3 · 0) / 4 = 0.15 -> 15; total (15 + 50) / 2 = 32.5
    assert t.loc["E2", "score"] == pytest.approx(32.5)


def test_error_is_the_default_and_names_the_cells():
    problems = check_assessment(frame(), crit("error"))
    assert [(p.slug, p.row, p.key, p.severity) for p in problems] == [
        ("missing-value", 1, "b", "error"), ("missing-value", 2, "b", "error"),
        ("missing-value", 3, "b", "error")]
    with pytest.raises(BantarError):
        score(frame(), crit("error"))
    relaxed = check_assessment(frame(), crit("reweight"))
    assert {p.severity for p in relaxed} == {"warning"}


def test_coverage_leaves_out_who_misses_too_much():
    s = score(frame(), crit("reweight", "coverage: 0.5"))
    # E2 misses b, 3/4 = 75% of pillar p's weight > 50%: not ranked
    assert s.table["id"].tolist() == ["E1"]
    (u,) = s.unranked.to_dict("records")
    assert u["id"] == "E2" and "misses 75% of the weight of pillar 'p'" in u["reason"]
    s = score(frame(), crit("reweight", "coverage: 0.8"))
    assert s.table["id"].tolist() == ["E1", "E2"] and s.unranked.empty
