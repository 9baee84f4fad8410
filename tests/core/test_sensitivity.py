"""Rank robustness: reproducible, certain for a clear winner, uncertain for a near tie."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core import sensitivity as sensitivity_module
from bantar_cli.core.awards import assign_awards
from bantar_cli.core.score import score
from bantar_cli.core.sensitivity import _competition_ranks, ranked_runs, sensitivity
from bantar_cli.io.criteria import load_criteria

CRIT = """\
name: t
entrant: {id: Kode, group: G, assessor: Penilai}
pillars:
  - key: x
    weight: 1
    indicators: [{key: a, column: A, weight: 1, range: [0, 10]}]
  - key: y
    weight: 1
    indicators: [{key: b, column: B, weight: 1, range: [0, 10]}]
awards:
  rules:
    - key: juara
      kind: places
      places: [{title: Juara I, prize: 1}]
"""


def frame(rows):
    return pd.DataFrame(rows, columns=["id", "a", "b"]).assign(group="g", assessor="p")


def run(rows, runs=500, seed=7):
    crit = load_criteria(io.StringIO(CRIT))
    s = score(frame(rows), crit)
    aw = assign_awards(s)
    return s, aw, sensitivity(frame(rows), s, aw, runs=runs, seed=seed)


def test_same_seed_same_output():
    rows = [("P", 9.0, 1.0), ("Q", 1.0, 9.0), ("R", 5.0, 5.1), ("S", 2.0, 2.0)]
    _, _, one = run(rows, seed=3)
    _, _, two = run(rows, seed=3)
    for f in ("median", "p05", "p95"):
        assert np.array_equal(getattr(one, f), getattr(two, f))
    assert one.award_share == two.award_share
    _, _, other = run(rows, seed=4)
    assert other.award_share != one.award_share or not np.array_equal(one.p95, other.p95)


def test_a_clear_winner_always_wins():
    s, _, sens = run([("P", 10.0, 10.0), ("Q", 5.0, 4.0), ("R", 2.0, 3.0)])
    assert s.table["id"].iloc[0] == "P"
    assert (sens.median[0], sens.p05[0], sens.p95[0]) == (1, 1, 1)
    assert sens.award_share == [1.0]


def test_a_near_tie_spans_both_places():
    # P leads on a, Q on b, totals nearly equal: the weights decide who is first
    s, _, sens = run([("P", 9.0, 1.0), ("Q", 1.0, 9.01), ("R", 0.0, 0.0)], runs=1000)
    top = s.table["id"].tolist()[:2]
    assert set(top) == {"P", "Q"}
    for n in range(2):
        assert (sens.p05[n], sens.p95[n]) == (1, 2)
    assert 0.2 < sens.award_share[0] < 0.8


def test_competition_ranks_per_run():
    t = np.array([[3.0, 5.0, 5.0, 1.0], [1.0, 2.0, 3.0, 4.0]])
    assert _competition_ranks(t).tolist() == [[3, 1, 1, 4], [4, 3, 2, 1]]


def test_the_three_ways_of_keeping_ranks_agree(monkeypatch):
    """Rank histograms (few entrants), ranks in memory, ranks in a temporary file; chunks of
    any size: the same quantiles and award shares."""
    rng = np.random.default_rng(5)
    rows = [(f"E{n:02d}", float(a), float(b)) for n, (a, b) in
            enumerate(rng.uniform(0, 10, (40, 2)).round(1))]
    _, _, histogram = run(rows, runs=300, seed=2)
    monkeypatch.setattr(sensitivity_module, "HISTOGRAM_LIMIT", 10)
    _, _, memory = run(rows, runs=300, seed=2)
    monkeypatch.setattr(sensitivity_module, "RANKS_IN_MEMORY", 1000)  # bytes: forces the file
    monkeypatch.setattr(sensitivity_module, "RANKS_READ", 7 * 4 * 300)  # 7 entrants at a time
    monkeypatch.setattr(sensitivity_module, "CELLS", 7 * 40)  # 7 runs per chunk
    _, _, on_file = run(rows, runs=300, seed=2)
    for f in ("median", "p05", "p95"):
        assert np.array_equal(getattr(histogram, f), getattr(memory, f))
        assert np.array_equal(getattr(memory, f), getattr(on_file, f))
    assert histogram.award_share == memory.award_share
    assert (histogram.p95 - histogram.p05).max() > 0  # the runs did move ranks


def _brute_ranks(t: np.ndarray) -> list[list[int]]:
    """1 + how many totals in the run are higher (-inf: after every real total, tied)."""
    return [[1 + int((row > v).sum()) for v in row] for row in t]


@given(st.lists(st.lists(st.sampled_from([0.0, 12.5, 12.5000000004, 50.0, 99.999999999, -np.inf,
                                          3e5, -7.25]), min_size=1, max_size=9),
                min_size=1, max_size=6).filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_packed_ranks_are_competition_ranks(rows):
    """The integer-packed sort ranks like counting who is ahead: totals equal to the 9th
    decimal tie, -inf (no total) comes last."""
    t = np.round(np.array(rows, dtype="float64"), 9)
    assert _competition_ranks(t).tolist() == _brute_ranks(t)
    order, ranked = ranked_runs(t)
    for r in range(len(t)):
        assert sorted(order[r].tolist()) == list(range(t.shape[1]))
        assert ranked[r].tolist() == sorted(ranked[r].tolist())


def test_totals_too_large_to_pack_take_the_argsort():
    t = np.array([[4e9, 5e9, 5e9, -np.inf], [1.0, 2.0, 3.0, 4.0]])
    assert _competition_ranks(t).tolist() == [[3, 1, 1, 4], [4, 3, 2, 1]] == _brute_ranks(t)


GROUPED = CRIT.replace("""    - key: juara
      kind: places
      places: [{title: Juara I, prize: 1}]
""", """    - key: juara
      kind: places
      within: group
      places: [{title: Juara I, prize: 1}, {title: Juara II, prize: 1}]
      exclude: {award: juara, years: 1}
""")


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10), st.integers(0, 10)),
                min_size=2, max_size=14),
       st.lists(st.booleans(), min_size=14, max_size=14))
def test_places_within_groups_are_counted_among_the_groups_eligible_entrants(rows, barred):
    """Each place award's share is the share of runs in which the same entrant holds that place
    among the eligible entrants of its group, counted here run by run with plain numpy."""
    from bantar_cli.core.sensitivity import _AwardTracker

    df = pd.DataFrame({"id": [f"E{n}" for n in range(len(rows))],
                       "group": [f"G{g}" for g, _, _ in rows],
                       "a": [float(a) for _, a, _ in rows], "b": [float(b) for *_, b in rows],
                       "assessor": "p"})
    crit = load_criteria(io.StringIO(GROUPED))
    s = score(df, crit)
    history = [{("juara", f"E{n}") for n in range(len(rows)) if barred[n]}]
    aw = assign_awards(s, history=history)
    tracker = _AwardTracker(s, aw, history)
    rng = np.random.default_rng(len(rows))
    t9 = rng.integers(0, 4, size=(30, len(s.table))).astype(float)  # ties on purpose
    tracker.add(t9, None)
    t = s.table
    ok = ~t["id"].isin({i for _, i in history[0]}).to_numpy()
    for n, a in enumerate(aw.items):
        r = int(np.flatnonzero(t["id"].to_numpy() == a.id)[0])
        same = ok & (t["group"].to_numpy() == a.scope)
        expected = sum(int((t9[k, same] > t9[k, r]).sum()) + 1 == a.place for k in range(30))
        assert tracker.hits[n] == expected, (a, expected)


EVERY_KIND = CRIT.split("awards:")[0] + """awards:
  rules:
    - key: gelar
      kind: designation
      min_score: 40
      prize: 1
    - key: juara
      kind: places
      places: [{title: Juara I, prize: 1}, {title: Juara II, prize: 1}]
    - key: juara_g
      kind: places
      within: group
      places: [{title: Juara I, prize: 1}]
    - key: terbaik
      kind: pillar
      prize: 1
    - key: kencana
      kind: streak
      of: juara
      years: 2
      prize: 1
"""


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10), st.integers(0, 10)),
                min_size=2, max_size=12), st.booleans())
def test_every_kind_of_award_is_counted_as_run_by_run_numpy_counts_it(rows, one_at_a_time):
    """Designations, places overall and within groups (each scope's places counted together, or
    a place at a time as for a wide scope), pillar bests and streaks, against plain numpy."""
    from bantar_cli.core.sensitivity import _AwardTracker

    df = pd.DataFrame({"id": [f"E{n}" for n in range(len(rows))],
                       "group": [f"G{g}" for g, _, _ in rows],
                       "a": [float(a) for _, a, _ in rows], "b": [float(b) for *_, b in rows],
                       "assessor": "p"})
    s = score(df, load_criteria(io.StringIO(EVERY_KIND)))
    history = [{("juara", f"E{n}") for n in range(len(rows))}]  # every place holder has a streak
    aw = assign_awards(s, history=history)
    kinds = {a.rule for a in aw.items}
    assert {"juara", "juara_g", "terbaik", "kencana"} <= kinds
    rng = np.random.default_rng(len(rows))
    runs, n = 20, len(s.table)
    t9 = rng.integers(0, 60, size=(runs, n)).astype(float)  # ties on purpose
    pillars = rng.integers(0, 4, size=(2, runs, n)).astype(float)
    with pytest.MonkeyPatch.context() as mp:
        if one_at_a_time:  # as for a wide scope; else scopes of one size are stacked
            mp.setattr(sensitivity_module, "_TOGETHER", 0)
        tracker = _AwardTracker(s, aw, history)
        tracker.add(t9, pillars)
    ids = s.table["id"].to_numpy()
    groups = s.table["group"].to_numpy()
    for k, a in enumerate(aw.items):
        r = int(np.flatnonzero(ids == a.id)[0])
        if a.rule == "gelar":
            expected = int((t9[:, r] >= 40).sum())
        elif a.rule in ("juara", "juara_g"):
            same = groups == a.scope if a.rule == "juara_g" else np.ones(n, dtype=bool)
            expected = sum(int((t9[j, same] > t9[j, r]).sum()) + 1 == a.place for j in range(runs))
        elif a.rule == "terbaik":
            p = pillars[["x", "y"].index(a.scope)]
            expected = int((p[:, r] >= p.max(axis=1)).sum())
        else:  # kencana: held as often as this year's 'juara' place of the same entrant
            of = next(m for m, b in enumerate(aw.items) if b.rule == "juara" and b.id == a.id)
            expected = tracker.hits[of]
        assert tracker.hits[k] == expected, (a, expected)


GAPS = """\
name: t
entrant: {id: Kode, group: G, assessor: Penilai}
missing: reweight
pillars:
  - key: x
    weight: 2
    indicators:
      - {key: a, column: A, weight: 1, range: [0, 10]}
      - {key: b, column: B, weight: 3, range: [0, 10]}
  - key: y
    weight: 1
    indicators: [{key: c, column: C, weight: 1, range: [0, 10]}]
"""


@given(st.lists(st.tuples(*[st.one_of(st.none(), st.integers(0, 10))] * 3).filter(
    lambda r: r != (None, None, None)), min_size=2, max_size=10).filter(
        lambda rows: any(None in r for r in rows)))
def test_runs_over_missing_values_reweight_as_the_scoring_does(rows):
    """With the weights left as they are (a spread of 0), every run over marks with gaps
    (reweighted within the pillar, and a pillar with nothing left dropped) ranks the entrants as
    the plain scoring does. Each entrant has a mark: the readers drop a row without any."""
    df = pd.DataFrame({"id": [f"E{n}" for n in range(len(rows))],
                       **{k: [np.nan if r[j] is None else float(r[j]) for r in rows]
                          for j, k in enumerate("abc")}}).assign(group="g", assessor="p")
    s = score(df, load_criteria(io.StringIO(GAPS)))
    sens = sensitivity(df, s, runs=7, seed=1, spread=0.0)
    ranks = s.table["rank"].to_numpy()
    for f in ("median", "p05", "p95"):
        assert getattr(sens, f).tolist() == ranks.tolist()


def test_a_file_of_ranks_that_ends_early_is_an_error_not_ranks(monkeypatch):
    monkeypatch.setattr(sensitivity_module, "RANKS_IN_MEMORY", 16)  # bytes: forces the file
    store = sensitivity_module._RankStore(4, 5)
    store.add(np.arange(20, dtype=np.int32).reshape(4, 5))
    store.file.truncate(60)  # the last run's row cut short
    with pytest.raises(OSError, match="ended early"):
        store.quantiles()


def test_the_runs_from_what_prepare_made_are_the_runs_from_the_rows():
    from bantar_cli.core.sensitivity import prepare

    rows = [("P", 9.0, 1.0), ("Q", 1.0, 9.0), ("R", 5.0, 5.1), ("S", 2.0, 2.0)]
    s, aw, from_rows = run(rows, runs=200, seed=4)
    from_prepared = sensitivity(prepare(frame(rows), s), s, aw, runs=200, seed=4)
    for f in ("median", "p05", "p95"):
        assert np.array_equal(getattr(from_prepared, f), getattr(from_rows, f))
    assert (from_prepared.award_share, from_prepared.methods) == (from_rows.award_share,
                                                                  from_rows.methods)
    assert (from_rows.p95 - from_rows.p05).max() > 0  # the runs did move ranks
