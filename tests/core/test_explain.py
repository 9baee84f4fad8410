"""An explanation checked by hand: contributions add up to the total, gaps are right."""

from __future__ import annotations

import pytest

from bantar_cli.core.explain import Explainer, explain
from bantar_cli.core.score import score
from bantar_cli.errors import BantarError
from tests.conftest import frame_of, small_rows


def test_contributions_lost_points_and_gaps(small_criteria):
    # totals A 92, B 53, C 14 (tests/core/test_score.py); shares sampah .4, air .2, kejadian .4
    s = score(frame_of(small_rows()), small_criteria)
    e = explain(s, "B")
    assert (e.rank, e.score) == (2, pytest.approx(53.0))
    by_key = {i["key"]: i for i in e.indicators}
    # B: r sampah .5, air .65, kejadian .5 -> points 20, 13, 20
    assert by_key["sampah"]["contribution"] == pytest.approx(20.0)
    assert by_key["air"]["contribution"] == pytest.approx(13.0)
    assert sum(i["contribution"] for i in e.indicators) == pytest.approx(e.score)
    assert sum(i["weight"] for i in e.indicators) == pytest.approx(1.0)
    # lost against a perfect 100: sampah 40 − 20, air 20 − 13, kejadian 40 − 20
    assert [(x["key"], round(x["points"], 9)) for x in e.lost] == [
        ("sampah", 20.0), ("kejadian", 20.0), ("air", 7.0)]
    assert e.gaps["next_rank"] == {"rank": 1, "id": "A", "points": pytest.approx(39.0)}
    assert e.gaps["group_leader"]["id"] == "A"  # A and B are both in Telanaipura


def test_best_improvements_per_raw_unit(small_criteria):
    s = score(frame_of(small_rows()), small_criteria)
    e = Explainer(s).explain("C")
    # one more sampah point: r += 1/4 -> 0.25 · 0.4 · 100 = 10 points; one more air point:
    # 1/100 · 0.2 · 100 = 0.2; one incident less (minmax over 0..4): 1/4 · 0.4 · 100 = 10
    gains = {m["key"]: m["points_per_unit"] for m in e.improvements}
    assert gains["sampah"] == pytest.approx(10.0) and gains["kejadian"] == pytest.approx(10.0)
    assert gains["air"] == pytest.approx(0.2)


def test_unknown_id_names_close_ones(small_criteria):
    s = score(frame_of(small_rows()), small_criteria)
    with pytest.raises(BantarError) as err:
        explain(s, "b")
    assert "no entrant has the id 'b'" in str(err.value)
