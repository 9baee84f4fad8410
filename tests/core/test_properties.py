"""Scoring invariants that hold for any valid assessment (hypothesis)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bantar_cli.core.score import score
from bantar_cli.model import (
    Combine,
    Criteria,
    Direction,
    EntrantColumns,
    Indicator,
    Normalize,
    Pillar,
)

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def criteria_st(draw) -> Criteria:
    n_pillars = draw(st.integers(1, 3))
    pillars = []
    k = 0
    for p in range(n_pillars):
        inds = []
        for _ in range(draw(st.integers(1, 3))):
            norm = draw(st.sampled_from(list(Normalize)))
            inds.append(Indicator(
                key=f"i{k}", column=f"C{k}", weight=draw(st.floats(0.1, 10)),
                direction=draw(st.sampled_from(list(Direction))), normalize=norm,
                range=(0.0, 10.0)))
            k += 1
        pillars.append(Pillar(key=f"p{p}", weight=draw(st.floats(0.1, 10)),
                              indicators=tuple(inds)))
    return Criteria(name="t", version="1", entrant=EntrantColumns(id="Kode", assessor="Penilai"),
                    pillars=tuple(pillars), combine=draw(st.sampled_from(list(Combine))))


@st.composite
def case_st(draw):
    crit = draw(criteria_st())
    n_entrants = draw(st.integers(1, 8))
    n_assessors = draw(st.integers(1, 4))
    values = st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 2))
    rows = []
    for e in range(n_entrants):
        for a in range(n_assessors):
            row = {"id": f"E{e}", "assessor": f"A{a}"}
            row.update({i.key: draw(values) for i in crit.indicators})
            rows.append(row)
    return crit, pd.DataFrame(rows)


def scores_by_id(s) -> dict[str, float]:
    return dict(zip(s.table["id"], s.table["score"], strict=True))


@SETTINGS
@given(case_st())
def test_scores_stay_within_zero_and_scale(case):
    crit, df = case
    t = score(df, crit).table
    assert ((t["score"] >= -1e-9) & (t["score"] <= crit.scale + 1e-9)).all()
    for p in crit.pillars:
        assert ((t[p.key] >= -1e-9) & (t[p.key] <= crit.scale + 1e-9)).all()


@SETTINGS
@given(case_st(), st.randoms())
def test_shuffling_rows_and_renaming_assessors_changes_nothing(case, rnd):
    crit, df = case
    before = scores_by_id(score(df, crit))
    order = list(range(len(df)))
    rnd.shuffle(order)
    shuffled = df.iloc[order].reset_index(drop=True)
    shuffled["assessor"] = "X-" + shuffled["assessor"].str[::-1]
    after = scores_by_id(score(shuffled, crit))
    assert after.keys() == before.keys()
    for k in before:
        assert abs(after[k] - before[k]) < 1e-9


@SETTINGS
@given(case_st(), st.floats(0.01, 100), st.integers(0, 2))
def test_scaling_sibling_weights_changes_nothing(case, factor, which):
    crit, df = case
    before = scores_by_id(score(df, crit))
    p = crit.pillars[which % len(crit.pillars)]
    scaled_inds = tuple(Indicator(**{**{f: getattr(i, f) for f in i.__dataclass_fields__},
                                     "weight": i.weight * factor}) for i in p.indicators)
    pillars = tuple(Pillar(key=q.key, weight=q.weight * factor,
                           indicators=scaled_inds if q.key == p.key else q.indicators)
                    for q in crit.pillars)
    crit2 = Criteria(name=crit.name, version=crit.version, entrant=crit.entrant, pillars=pillars,
                     combine=crit.combine)
    after = scores_by_id(score(df, crit2))
    for k in before:
        assert abs(after[k] - before[k]) < 1e-7


@SETTINGS
@given(case_st(), st.data())
def test_raising_a_higher_value_never_lowers_that_entrant(case, data):
    """Not under ``standardized``: there a mark counts against the assessor's other marks, so
    raising one also raises that assessor's mean and spread (with marks 0, 1, 0 raised to
    0, 2, 0 the entrant's z-score stays 1.41) and shifts everyone's scale; the entrant can
    fall behind. Hypothesis found that case."""
    crit, df = case
    higher = [i for i in crit.indicators if i.direction is Direction.HIGHER]
    if not higher or crit.combine is Combine.STANDARDIZED:
        return
    ind = data.draw(st.sampled_from(higher))
    row = data.draw(st.integers(0, len(df) - 1))
    bump = data.draw(st.floats(0.01, 10))
    before = scores_by_id(score(df, crit))
    raised = df.copy()
    raised.loc[row, ind.key] = min(10.0, raised.loc[row, ind.key] + bump)
    after = scores_by_id(score(raised, crit))
    who = df.loc[row, "id"]
    assert after[who] >= before[who] - 1e-9


@SETTINGS
@given(case_st())
def test_ranks_are_competition_ranks(case):
    crit, df = case
    t = score(df, crit).table
    scores = t["score"].round(9).tolist()
    ranks = t["rank"].tolist()
    assert scores == sorted(scores, reverse=True)
    for n in range(len(t)):
        expected = 1 if n == 0 else (ranks[n - 1] if scores[n] == scores[n - 1] else n + 1)
        assert ranks[n] == expected

