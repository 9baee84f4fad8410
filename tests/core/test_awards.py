"""Award rules on hand-made cases: designation by category, places per group, ties, pillars,
the budget."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantar_cli.core.awards import assign_awards, competition_ranks
from bantar_cli.core.score import score
from bantar_cli.errors import BantarError
from bantar_cli.io.criteria import check_criteria, load_criteria
from bantar_cli.model import Award, Awards, Designated

CRITERIA = """\
name: Lomba
version: "1"
entrant: {id: Kode, group: Kecamatan, category: Kategori}
pillars:
  - key: bersih
    weight: 1
    indicators: [{key: b, column: B, weight: 1, range: [0, 100]}]
  - key: aman
    weight: 1
    indicators: [{key: a, column: A, weight: 1, range: [0, 100]}]
awards:
  budget: BUDGET
  tie_break: TIEBREAK
  rules:
    - key: bantar
      kind: designation
      title: {id: Kampung Bantar, en: Bantar title}
      min_score: 70
      min_pillars: {aman: 60}
      prize_by_category: {besar: 10000000, kecil: 5000000}
    - key: juara
      kind: places
      within: group
      places:
        - {title: {id: Juara I, en: First}, prize: 3000000}
        - {title: {id: Juara II, en: Second}, prize: 2000000}
    - key: pilar
      kind: pillar
      pillars: [bersih]
      prize: 1000000
"""


def criteria(budget: float = 1e9, tie_break: str = "[]"):
    text = CRITERIA.replace("BUDGET", str(int(budget))).replace("TIEBREAK", tie_break)
    return load_criteria(io.StringIO(text))


def frame(rows):
    # (id, group, category, bersih, aman): total = (bersih + aman) / 2
    return pd.DataFrame(rows, columns=["id", "group", "category", "b", "a"]).assign(
        assessor="x", b=lambda d: d["b"].astype(float), a=lambda d: d["a"].astype(float))


ROWS = [
    ("P", "Utara", "besar", 90, 80),   # 85  designated (besar), Juara I Utara, best bersih
    ("Q", "Utara", "kecil", 80, 70),   # 75  designated (kecil), Juara II Utara
    ("R", "Utara", "kecil", 100, 50),  # 75  aman 50 < 60: not designated; ties Q on the total
    ("S", "Selatan", "besar", 60, 60),  # 60  Juara I Selatan
    ("T", "Selatan", "kecil", 50, 50),  # 50  Juara II Selatan
]


def by_rule(awards, rule):
    return [(a.id, a.place, a.scope, a.prize, a.tied_with, a.broken_by)
            for a in awards.items if a.rule == rule]


def test_designation_by_category_with_pillar_minimum():
    aw = assign_awards(score(frame(ROWS), criteria()))
    assert by_rule(aw, "bantar") == [("P", None, "besar", 10e6, (), None),
                                     ("Q", None, "kecil", 5e6, (), None)]


def test_a_designation_is_kept_whole_and_becomes_items_on_demand():
    """A designation is one part holding its entrants as columns; ``items`` lists them as
    awards of their own, in the table's order, made once."""
    aw = assign_awards(score(frame(ROWS), criteria()))
    (whole,) = [p for p in aw.parts if isinstance(p, Designated)]
    assert (whole.rule, whole.ids, whole.prizes, whole.scopes) == (
        "bantar", ["P", "Q"], [10e6, 5e6], ["besar", "kecil"])
    assert aw.items is aw.items
    assert [a.rule for a in aw.items][:2] == ["bantar", "bantar"]
    assert len(aw.items) == 2 + sum(1 for p in aw.parts if not isinstance(p, Designated))


@given(st.lists(st.floats(0, 1e7, allow_nan=False), min_size=1, max_size=30))
@settings(max_examples=50, deadline=None)
def test_the_total_is_the_sum_over_the_items_to_the_last_bit(prizes):
    """Designations' prizes summed part by part give the same float as one sum over every
    award in order (Python ≥ 3.12 compensates a float sum, so grouping could change it)."""
    ids = [f"E{k}" for k in range(len(prizes))]
    parts = (Designated(rule="d", title={"id": "D"}, ids=ids, prizes=prizes,
                        scopes=[None] * len(ids)),
             Award(rule="p", title={"id": "P"}, id="E0", prize=0.1, place=1),
             Designated(rule="e", title={"id": "E"}, ids=ids[:1], prizes=[1 / 3], scopes=[None]))
    aw = Awards(parts=parts)
    assert aw.total == float(sum(a.prize for a in aw.items))
    assert aw.streaks == {(a.rule, a.id): 1 for a in aw.items}


def test_places_per_group_and_a_tie_sharing_a_place():
    aw = assign_awards(score(frame(ROWS), criteria()))
    # Utara: P 85 first; Q and R tie at 75 and share second place, each with the full prize
    assert by_rule(aw, "juara") == [
        ("S", 1, "Selatan", 3e6, (), None), ("T", 2, "Selatan", 2e6, (), None),
        ("P", 1, "Utara", 3e6, (), None), ("Q", 2, "Utara", 2e6, ("R",), None),
        ("R", 2, "Utara", 2e6, ("Q",), None)]


def test_tie_break_by_pillar_decides_and_says_so():
    aw = assign_awards(score(frame(ROWS), criteria(tie_break="[aman]")))
    utara = [x for x in by_rule(aw, "juara") if x[2] == "Utara"]
    # Q (aman 70) beats R (aman 50): Q second; R would be third, but there are two places
    assert utara == [("P", 1, "Utara", 3e6, (), None), ("Q", 2, "Utara", 2e6, (), "aman")]


def test_a_first_place_tie_skips_the_next_place():
    rows = [("P", "U", "besar", 80, 80), ("Q", "U", "besar", 80, 80), ("R", "U", "besar", 70, 70)]
    aw = assign_awards(score(frame(rows), criteria()))
    assert [(x[0], x[1]) for x in by_rule(aw, "juara")] == [("P", 1), ("Q", 1)]  # 1, 1, 3


def test_best_of_a_pillar():
    aw = assign_awards(score(frame(ROWS), criteria()))
    (best,) = [a for a in aw.items if a.rule == "pilar"]
    assert (best.id, best.prize) == ("R", 1e6)  # bersih 100
    assert best.name("id") == "Terbaik bersih" and best.name("en") == "Best in bersih"



def _places_by_hand(table, primary, tie_break, n_places, scope_col=None):
    """(scope, id, place): 1 + how many in the scope rank above on (primary, tie-break...)."""
    keys = [primary, *(k for k in tie_break if k != primary)]
    rows = [(None if scope_col is None else r[scope_col], r["id"],
             tuple(round(r[k], 9) for k in keys)) for r in table.to_dict("records")]
    out = set()
    for scope, ident, key in rows:
        if scope_col is not None and scope is None:
            continue
        place = 1 + sum(1 for s, _, k in rows if s == scope and k > key)
        if place <= n_places:
            out.add((scope, ident, place))
    return out


def _ties_by_hand(table, primary, tie_break, scope_col=None):
    """Per id: the others of its scope equal to it on every key, in the table's order, and the
    first tie-break key on which it differs from one equal to it on ``primary`` alone."""
    keys = [primary, *(k for k in tie_break if k != primary)]
    rows = [(None if scope_col is None else r[scope_col], r["id"],
             tuple(round(r[k], 9) for k in keys)) for r in table.to_dict("records")]
    out = {}
    for scope, ident, key in rows:
        tied = tuple(i for s, i, k in rows if s == scope and k == key and i != ident)
        rivals = [k for s, _, k in rows if s == scope and k[0] == key[0] and k != key]
        broken = next((keys[j] for j in range(1, len(keys)) if any(r[j] != key[j] for r in rivals)),
                      None)
        out[ident] = tied, broken
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Utara", "Selatan", None]),
                          st.sampled_from([40, 60, 80]), st.sampled_from([50, 70, 90])),
                min_size=1, max_size=30),
       st.sampled_from(["[]", "[aman]", "[score, aman]", "[bersih, aman]"]))
def test_places_and_pillar_bests_match_a_plain_count(rows, tie_break):
    entrants = [(f"E{n:02d}", g, "besar", b, a) for n, (g, b, a) in enumerate(rows)]
    crit = criteria(tie_break=tie_break)
    scores = score(frame(entrants), crit)
    aw = assign_awards(scores)
    order = [k.strip() for k in tie_break.strip("[]").split(",") if k.strip()]
    table = scores.table.astype({"group": object}).replace({float("nan"): None})
    got = {(a.scope, a.id, a.place) for a in aw.items if a.rule == "juara"}
    assert got == _places_by_hand(table, "score", order, 2, "group")
    got = {(a.id, 1) for a in aw.items if a.rule == "pilar"}
    assert got == {(i, p) for _, i, p in _places_by_hand(table, "bersih", order, 1)}
    for rule, primary, scope_col in (("juara", "score", "group"), ("pilar", "bersih", None)):
        ties = _ties_by_hand(table, primary, order, scope_col)
        for a in (a for a in aw.items if a.rule == rule):
            assert (a.tied_with, a.broken_by) == ties[a.id]
            assert a.tied_count == len(a.tied_with)  # a tie of at most 30: every one listed

def test_budget_overrun_is_known():
    aw = assign_awards(score(frame(ROWS), criteria(budget=20_000_000)))
    # 10 + 5 designations, 3 + 2 + 3 + 2 + 2 places, 1 pillar = 28 million
    assert aw.total == 28_000_000 and aw.budget == 20_000_000 and aw.over_budget
    assert not assign_awards(score(frame(ROWS), criteria())).over_budget


def test_category_without_prize_is_an_error():
    rows = [*ROWS, ("U", "Selatan", "sedang", 99, 99)]
    with pytest.raises(BantarError) as err:
        assign_awards(score(frame(rows), criteria()))
    assert "category 'sedang' has no prize" in str(err.value)


def test_competition_ranks_on_several_keys():
    import numpy as np

    first = np.array([5.0, 5.0, 4.0, 5.0])
    second = np.array([1.0, 2.0, 9.0, 1.0])
    assert competition_ranks([first]).tolist() == [1, 1, 4, 1]
    assert competition_ranks([first, second]).tolist() == [2, 1, 4, 2]


@pytest.mark.parametrize("old,new,slug,words", [
    ("min_pillars: {aman: 60}", "min_pillars: {amann: 60}", "unknown-pillar", "amann"),
    ("within: group", "within: kota", "unknown-choice", "overall, group, category"),
    ("      min_score: 70\n", "", "missing-key", "min_score"),
    ("prize: 1000000", "prize: -5", "not-positive", "0 or more"),
    ("      pillars: [bersih]\n", "      pillars: [bersih]\n      places: []\n", "unknown-key",
     "does not apply to a pillar award"),
    ("kind: pillar", "kind: trophy", "unknown-choice", "designation, places, pillar"),
])
def test_award_rules_are_validated_with_lines(old, new, slug, words):
    text = CRITERIA.replace("BUDGET", "1").replace("TIEBREAK", "[]")
    assert old in text
    stream = io.StringIO(text.replace(old, new))
    stream.name = "k.yaml"
    crit, problems = check_criteria(stream)
    assert crit is None
    assert any(p.slug == slug and words in str(p) and p.where.line > 12 for p in problems), problems


KENCANA = CRITERIA.replace("BUDGET", "1000000000").replace("TIEBREAK", "[]") + """\
    - key: kencana
      kind: streak
      of: bantar
      years: 3
      title: {id: Kampung Bantar Kencana, en: Kampung Bantar Kencana}
      prize: 20000000
"""


def test_kencana_goes_exactly_to_three_years_in_a_row():
    # this year P and Q are designated (see ROWS); made-up history, oldest first:
    history = [{("bantar", "P"), ("bantar", "Q"), ("bantar", "S")},  # 2 years ago
               {("bantar", "P"), ("bantar", "S")}]                    # last year: Q missed it
    aw = assign_awards(score(frame(ROWS), load_criteria(io.StringIO(KENCANA))), history=history)
    assert [a.id for a in aw.items if a.rule == "kencana"] == ["P"]  # S is not designated now
    assert aw.streaks[("bantar", "P")] == 3 and aw.streaks[("bantar", "Q")] == 1
    assert aw.streaks[("kencana", "P")] == 1


def test_last_years_winners_can_be_left_out():
    text = CRITERIA.replace("BUDGET", "1").replace("TIEBREAK", "[]").replace(
        "      within: group\n", "      within: group\n      exclude: {award: juara, years: 1}\n")
    crit = load_criteria(io.StringIO(text))
    aw = assign_awards(score(frame(ROWS), crit), history=[{("juara", "P")}])
    utara = [(a.id, a.place) for a in aw.items if a.rule == "juara" and a.scope == "Utara"]
    assert utara == [("Q", 1), ("R", 1)]  # P won last year; Q and R tie for the first place
    aw = assign_awards(score(frame(ROWS), crit), history=[{("juara", "P")}, set()])
    assert ("P", 1) in [(a.id, a.place) for a in aw.items if a.rule == "juara"]  # 2 years ago


def test_streak_rules_are_validated():
    bad = KENCANA.replace("of: bantar", "of: nothing")
    stream = io.StringIO(bad)
    stream.name = "k.yaml"
    crit, problems = check_criteria(stream)
    assert crit is None and problems[0].slug == "unknown-award"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from([1.0, 2.0, 3.0, float("nan")])),
                max_size=40), st.integers(1, 4))
def test_places_of_every_scope_at_once_are_each_scopes_winners(rows, n_places):
    """Without tie-break keys, all scopes at once give what each scope's ``_winners_of`` gives:
    the same positions, places and tied positions (in order)."""
    import numpy as np

    from bantar_cli.core.awards import _places_of_all, _winners_of

    scope_of = np.array([s for s, _ in rows], dtype=np.intp)
    first = np.array([x for _, x in rows], dtype=float)
    ids = np.arange(len(rows))
    want = set()
    for code in range(4):
        rows_in = np.flatnonzero(scope_of == code)
        for pos, place, tied, count, broken in _winners_of(ids[rows_in], first[rows_in], [], [],
                                                           n_places):
            assert broken is None
            want.add((int(rows_in[pos]), place, tuple(int(t) for t in tied), count, code))
    got = [(pos, place, tuple(int(j) for j in run if j != pos), len(run) - 1, code)
           for pos, place, run, code in _places_of_all(first, scope_of, n_places)]
    assert len(got) == len(set(got)) and set(got) == want


@pytest.mark.parametrize("tie_break", ["[]", "[aman]"])
def test_a_tie_of_many_lists_the_first_others_and_counts_them_all(tie_break):
    """120 entrants with the same marks share every place: each award counts its 119 others and
    lists the first ``TIE_LISTED`` of them in the order of the results, itself left out (so a
    tie of n entrants costs n × 50 ids, not n²). Without a tie-break the places come from every
    scope at once, with one from each scope's ranks, and pillar awards the latter too."""
    from bantar_cli.model import TIE_LISTED

    ids = [f"E{k:03d}" for k in range(120)]
    aw = assign_awards(score(frame([(i, "Utara", "besar", 70, 70) for i in ids]),
                             criteria(tie_break=tie_break)))
    for rule in ("juara", "pilar"):
        got = [a for a in aw.items if a.rule == rule]
        assert [a.id for a in got] == ids and {a.place for a in got} == {1}
        for a in got:
            assert a.tied_count == 119
            assert a.tied_with == tuple(i for i in ids if i != a.id)[:TIE_LISTED]
    assert TIE_LISTED == 50


def test_a_small_tie_lists_every_other_entrant():
    aw = assign_awards(score(frame([*ROWS, ("U", "Selatan", "kecil", 50, 50)]), criteria()))
    tied = [a for a in aw.items if a.tied_with]
    assert {(a.id, a.tied_with) for a in tied} == {("Q", ("R",)), ("R", ("Q",)),  # Juara II
                                                   ("T", ("U",)), ("U", ("T",))}
    assert all(a.tied_count == len(a.tied_with) for a in aw.items)
