"""Award rules applied to scores: designations, places, best of each pillar, and the budget.

Ties share a place and each tied entrant gets its full prize, unless the rules name a tie-break
(an ordered list of pillars, or ``score`` for pillar awards); either way, what happened is kept
on each ``Award`` (``tied_count``, ``tied_with``, ``broken_by``) for the renderers to state.
An award lists at most ``TIE_LISTED`` of the others it is tied with, so that a tie of n entrants
costs n × ``TIE_LISTED`` ids, not n²: 20,000 entrants with the same marks had taken 16.6 s and
4.7 GB, and written 1 GB of JSON.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import BantarError
from ..model import (
    TIE_LISTED,
    Award,
    AwardKind,
    AwardRule,
    AwardRules,
    Awards,
    Criteria,
    Designated,
    Scope,
    Scores,
)
from .combine import rows_by_code
from .rank import TIE_DECIMALS, group_ranks_in_order, highest_first, ranks_in_order

DEFAULT_PILLAR_TITLE = {"id": "Terbaik {pillar}", "en": "Best in {pillar}"}


def competition_ranks(keys: list[np.ndarray]) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) on several keys, higher first, the first key deciding first."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort([-k for k in reversed(keys)])
    stacked = np.stack([k[order] for k in keys], axis=1)
    new = np.ones(n, dtype=bool)
    new[1:] = (stacked[1:] != stacked[:-1]).any(axis=1)
    ranks_sorted = np.maximum.accumulate(np.where(new, np.arange(1, n + 1), 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = ranks_sorted
    return ranks


def _rounded(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="float64").round(TIE_DECIMALS)


def _winners(sub: pd.DataFrame, primary: str, tie_break: list[str], n_places: int):
    """Yield (row position, place, tied ids, how many tied, deciding key) for every place up to
    ``n_places``."""
    names = [k for k in tie_break if k != primary]
    yield from _winners_of(sub["id"].to_numpy(), _rounded(sub[primary]),
                           [_rounded(sub[k]) for k in names], names, n_places)


def _winners_of(ids: np.ndarray, first: np.ndarray, extra: list[np.ndarray], names: list[str],
                n_places: int):
    """``_winners`` on arrays: the ids, the rounded primary key and tie-break keys (``names``).
    Yields (row position, place, the first ``TIE_LISTED`` tied ids, how many are tied, deciding
    key)."""
    plain, full = competition_ranks([first]), competition_ranks([first, *extra])
    winners = np.flatnonzero(full <= n_places)
    settled = {}  # per place: who shares it, and what decided it (they are equal on every key)
    for place in np.unique(full[winners]).tolist():
        same = np.flatnonzero(full == place)
        broken_by = None
        rivals = np.flatnonzero((plain == plain[same[0]]) & (full != place))
        if len(rivals):
            for name, arr in zip(names, extra, strict=True):
                if (arr[rivals] != arr[same[0]]).any():
                    broken_by = name
                    break
        settled[place] = same, broken_by
    for pos in winners:
        place = int(full[pos])
        same, broken_by = settled[place]
        yield pos, place, _listed(ids, same, pos), len(same) - 1, broken_by


def _listed(ids: np.ndarray, same: np.ndarray, pos: int) -> tuple[str, ...]:
    """The ids of the first ``TIE_LISTED`` positions of ``same`` other than ``pos``."""
    head = same[:TIE_LISTED + 1]
    return tuple(str(ids[i]) for i in head[head != pos][:TIE_LISTED])


def designation(table: pd.DataFrame, rule: AwardRule) -> Designated:
    import pyarrow as pa

    ok = _rounded(table["score"]) >= round(float(rule.min_score or 0.0), TIE_DECIMALS)
    for pillar, minimum in rule.min_pillars.items():
        ok &= _rounded(table[pillar]) >= round(minimum, TIE_DECIMALS)
    chosen = pa.array(ok)  # only the chosen ids and categories become Python strings
    ids = list(map(str, pa.array(table["id"]).filter(chosen).to_pylist()))
    categories = pa.array(table["category"]).filter(chosen).to_pylist()
    scopes = [None if c is None else str(c) for c in categories]
    if rule.prize_by_category:
        by = {k: float(v) for k, v in rule.prize_by_category.items()}
        if not set(categories) <= by.keys():
            at = next(n for n, c in enumerate(categories) if c not in by)
            raise BantarError(
                f"entrant '{ids[at]}' reaches award '{rule.key}' but its category "
                f"'{categories[at]}' has no prize", code="unknown-category",
                hint="prize_by_category knows " + ", ".join(rule.prize_by_category))
        prizes = list(map(by.__getitem__, categories))
    else:
        prizes = [float(rule.prize)] * len(ids)
    return Designated(rule=rule.key, title=rule.title or {"id": rule.key}, ids=ids, prizes=prizes,
                      scopes=scopes)


def _contenders(table: pd.DataFrame, primary: str, n_places: int,
                scope: np.ndarray | None = None) -> pd.DataFrame:
    """The rows that can reach one of the first ``n_places`` on ``primary`` (within each scope
    code; -1: none): those ranked there on ``primary`` alone, as a tie-break only reorders equal
    values. Everyone who could rank above them is among them, so their places are the same."""
    x = _rounded(table[primary])
    order = highest_first(x)
    ranks = (ranks_in_order(x[order]) if scope is None
             else group_ranks_in_order(x[order], scope[order]))
    return table.iloc[np.sort(order[(ranks >= 1) & (ranks <= n_places)])]


def places(table: pd.DataFrame, rule: AwardRule, tie_break: list[str]) -> list[Award]:
    """Places per scope (overall, or each group or category). The contenders' columns are taken
    as arrays once and each scope is a slice of them: a nation's 7,000 kecamatan, a sub-frame
    each, took 1.2 s."""
    n_places = len(rule.places)
    if rule.within is Scope.OVERALL:
        near = _contenders(table, "score", n_places)
        scope_of, labels = np.zeros(len(near), dtype=np.intp), [None]
    else:
        col = "group" if rule.within is Scope.GROUP else "category"
        near = _contenders(table, "score", n_places, pd.factorize(table[col])[0])
        near = near[near[col].notna()]
        scope_of, uniques = pd.factorize(near[col], sort=True)
        labels = [str(k) for k in uniques]
    names = [k for k in tie_break if k != "score"]
    ids, first = near["id"].to_numpy(), _rounded(near["score"])
    extra = [_rounded(near[k]) for k in names]
    out = []
    if not names:  # no tie-break: every scope at once (a nation's 7,000 kecamatan, one by one,
        # took 0.28 s)
        for pos, place, run, scope in _places_of_all(first, scope_of, n_places):
            p = rule.places[place - 1]
            out.append(Award(rule=rule.key, title=p.title, id=str(ids[pos]), prize=p.prize,
                             place=place, scope=labels[scope], tied_with=_listed(ids, run, pos),
                             tied_count=len(run) - 1))
        return sorted(out, key=lambda a: (a.scope or "", a.place or 0, a.id))
    for scope, rows in zip(labels, rows_by_code(scope_of, len(labels)), strict=True):
        for pos, place, tied, count, broken in _winners_of(
                ids[rows], first[rows], [e[rows] for e in extra], names, n_places):
            p = rule.places[place - 1]
            out.append(Award(rule=rule.key, title=p.title, id=str(ids[rows[pos]]), prize=p.prize,
                             place=place, scope=scope, tied_with=tied, tied_count=count,
                             broken_by=broken))
    return sorted(out, key=lambda a: (a.scope or "", a.place or 0, a.id))


def _places_of_all(first: np.ndarray, scope_of: np.ndarray, n_places: int):
    """``_winners_of`` without tie-break keys, for every scope code at once: yield (position,
    place, the positions sharing the place, itself among them, in the order of the results,
    scope code) for every place up to ``n_places``, scope by scope."""
    n = len(first)
    if n == 0:
        return
    order = np.lexsort([-first, scope_of])  # stable: equal totals keep their order
    x, code = first[order], scope_of[order]
    at = np.arange(n)
    starts = np.ones(n, dtype=bool)  # where a scope starts
    starts[1:] = code[1:] != code[:-1]
    new = starts.copy()  # where a new total starts within the scope
    new[1:] |= x[1:] != x[:-1]
    scope_start = np.maximum.accumulate(np.where(starts, at, 0))
    run_start = np.maximum.accumulate(np.where(new, at, 0))
    place = run_start - scope_start + 1  # competition rank: 1 + how many above
    run_end = np.append(np.flatnonzero(new)[1:], n)[np.cumsum(new) - 1]
    for i in np.flatnonzero(place <= n_places):
        yield int(order[i]), int(place[i]), order[run_start[i]:run_end[i]], int(code[i])


def pillar_best(table: pd.DataFrame, rule: AwardRule, tie_break: list[str],
                criteria: Criteria) -> list[Award]:
    template = rule.title or DEFAULT_PILLAR_TITLE
    out = []
    for p in criteria.pillars:
        if p.key not in rule.pillars:
            continue
        title = {lang: text.replace("{pillar}", p.title(lang)) for lang, text in template.items()}
        near = _contenders(table, p.key, 1)
        ids = near["id"].to_numpy()
        for pos, _, tied, count, broken in _winners(near, p.key, tie_break, 1):
            out.append(Award(rule=rule.key, title=title, id=str(ids[pos]), prize=rule.prize,
                             place=1, scope=p.key, tied_with=tied, tied_count=count,
                             broken_by=broken))
    return out


History = list[set[tuple[str, str]]]  # per earlier year, oldest first: {(award rule, entrant id)}


def streak_years(rule_key: str, ident: str, history: History) -> int:
    """Consecutive earlier years, counting back from the latest, in which ``ident`` won the award."""
    n = 0
    for year in reversed(history):
        if (rule_key, ident) not in year:
            break
        n += 1
    return n


def _eligible(table: pd.DataFrame, rule: AwardRule, history: History) -> pd.DataFrame:
    """The table without those who won ``rule.exclude_award`` in the last ``exclude_years``."""
    if rule.exclude_award is None or not history:
        return table
    recent = history[-rule.exclude_years:]
    barred = {i for year in recent for (r, i) in year if r == rule.exclude_award}
    return table[~table["id"].isin(barred)]


def streak(table: pd.DataFrame, rule: AwardRule, so_far: list[Award | Designated],
           history: History) -> list[Award]:
    holders: list[str] = []
    for part in so_far:
        if part.rule == rule.of:
            holders += part.ids if isinstance(part, Designated) else [part.id]
    allowed = set(table["id"])
    return [Award(rule=rule.key, title=rule.title or {"id": rule.key}, id=i, prize=rule.prize)
            for i in dict.fromkeys(holders)
            if i in allowed and 1 + streak_years(rule.of or "", i, history) >= rule.years]


def assign_awards(scores: Scores, rules: AwardRules | None = None,
                  history: History | None = None) -> Awards:
    """Every award the rules give, in rule order; ``Awards.total`` against ``Awards.budget``.
    ``history`` (earlier years' awards, oldest first) feeds streak awards and exclusions, and
    ``Awards.earlier`` says for how many of the latest earlier years in a row each award was held.

    Raises:
        BantarError: a designated entrant's category has no prize in ``prize_by_category``.
    """
    rules = rules or scores.criteria.awards
    if rules is None:
        return Awards()
    history = history or []
    tie_break = list(rules.tie_break)
    parts: list[Award | Designated] = []
    for rule in rules.rules:
        table = _eligible(scores.table, rule, history)
        if rule.kind is AwardKind.DESIGNATION:
            parts.append(designation(table, rule))
        elif rule.kind is AwardKind.PLACES:
            parts += places(table, rule, tie_break)
        elif rule.kind is AwardKind.PILLAR:
            parts += pillar_best(table, rule, tie_break, scores.criteria)
        else:
            parts += streak(table, rule, parts, history)
    # only an award held in the latest earlier year can have a streak behind it
    earlier = {key: streak_years(*key, history) for key in history[-1]} if history else {}
    return Awards(parts=tuple(parts), budget=rules.budget, earlier=earlier)
