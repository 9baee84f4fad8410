"""How the assessors marked: leniency, agreement, reliability per team, and where they disagree.

Marks are first put on one 0..1 scale per indicator (its range, or the marks' own span when it has
none), turned so that 1 is always best. Then:

- per assessor: entrants seen, mean and spread of marks, *leniency* (mean signed difference from
  the consensus — the median mark of all the entrant's assessors on the same indicator — above 0
  lenient, below 0 harsh; a median, so that one harsh assessor does not make the others look
  lenient), *agreement* (correlation with the co-assessors' mean on those marks);
- per connected group of assessors (a team): ICC(A,1) (absolute agreement) and ICC(C,1)
  (consistency), two-way, McGraw & Wong (1996), and Kendall's W (with the tie correction), on each
  entrant's mean mark — defined when every assessor of the group assessed every one of its
  entrants;
- per entrant: the spread (largest minus smallest mark) on each indicator, and the entrants
  whose assessors disagree most, for a second visit.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model import Criteria, Direction
from .combine import Codes, Entrants, assessor_counts, distinct_pairs, first_rows, rows_by_code
from .design import components


@dataclass(frozen=True, slots=True)
class TeamReliability:
    assessors: tuple[str, ...]
    entrants: int
    icc_a1: float | None
    icc_c1: float | None
    kendall_w: float | None
    note: str | None = None  # why a figure is not defined


@dataclass(frozen=True, slots=True)
class AssessorReport:
    assessors: pd.DataFrame  # assessor, entrants, marks, mean, sd, leniency, agreement, flags
    teams: list[TeamReliability]
    entrants: pd.DataFrame  # id, name, group, assessors, mean_spread, max_spread, indicator
    second_visit: pd.DataFrame
    thresholds: dict[str, float] = field(default_factory=dict)


def unit_marks(frame: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """Every mark on 0..1, 1 best, one column per indicator key: written column by column into
    one float block, by the same operations in the same order as on pandas columns (which, a
    Series per step, took 0.58 s and 320 MB at a million rows)."""
    keys = [i.key for i in criteria.indicators]
    out = np.empty((len(frame), len(keys)), order="F")
    for j, ind in enumerate(criteria.indicators):
        x = frame[ind.key].to_numpy("float64")
        m = out[:, j]
        if ind.range:
            lo, hi = ind.range
        elif not len(x):
            lo = hi = np.nan
        else:
            with warnings.catch_warnings():  # a column without a mark: its span is NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                lo, hi = np.nanmin(x), np.nanmax(x)
        if hi > lo:
            np.subtract(x, lo, out=m)
            np.divide(m, hi - lo, out=m)
        else:
            np.multiply(x, 0, out=m)
            np.add(m, 1.0, out=m)
        if ind.direction is Direction.LOWER:
            np.subtract(1, m, out=m)
    return pd.DataFrame(out, index=frame.index, columns=keys, copy=False)


def icc(matrix: np.ndarray) -> tuple[float, float]:
    """(ICC(A,1), ICC(C,1)) of a complete targets × raters matrix, two-way (McGraw & Wong); NaN
    where the formula divides by zero (no variation at all, or two raters exactly reversed on
    two targets), which the report shows as not defined."""
    n, k = matrix.shape
    grand = matrix.mean()
    ss_rows = k * ((matrix.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((matrix.mean(axis=0) - grand) ** 2).sum()
    ss_err = ((matrix - grand) ** 2).sum() - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_err / ((n - 1) * (k - 1))
    icc_c = _ratio(msr - mse, msr + (k - 1) * mse)
    icc_a = _ratio(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n)
    return icc_a, icc_c


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den != 0 else float("nan")


def kendall_w(matrix: np.ndarray) -> float | None:
    """Kendall's W of a targets × raters matrix, with the correction for tied ranks."""
    n, m = matrix.shape
    ranks = pd.DataFrame(matrix).rank(axis=0, method="average").to_numpy()
    totals = ranks.sum(axis=1)
    s = ((totals - totals.mean()) ** 2).sum()
    ties = 0.0
    for j in range(m):
        _, counts = np.unique(matrix[:, j], return_counts=True)
        ties += float((counts ** 3 - counts).sum())
    denom = m ** 2 * (n ** 3 - n) - m * ties
    return None if denom <= 0 else float(12 * s / denom)


def _by_entrant(marks: pd.DataFrame, ent: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each entrant's sum, count (int32) and median of each indicator's marks, and the row of
    each mark's entrant in them. Each indicator is grouped on its own, through one grouping:
    so its sums are those of ``transform("sum")`` on its column, whatever the other columns
    hold (pandas sums a block of columns with a NaN in any of them in another order: the last
    bit of a sum could change with another indicator's missing mark), and pandas' scratch is
    one column's (its grouped median copies all it groups: all 20 columns at once took 330 MB
    beyond the results at a million rows)."""
    grouped = marks.groupby(ent)
    keys = list(marks.columns)  # at least one: the criteria have an indicator
    total = count = median = index = None
    for j, key in enumerate(keys):
        g = grouped[key]
        figures = g.sum(), g.count(), g.median()
        if total is None:
            index = figures[0].index
            total, median = (np.empty((len(index), len(keys))) for _ in range(2))
            count = np.empty((len(index), len(keys)), dtype=np.int32)
        for out, got in zip((total, count, median), figures, strict=True):
            out[:, j] = got.to_numpy()
    return total, count, median, index.get_indexer(ent)


def _others(own: np.ndarray, at: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For marks ``own`` (rows of entrants ``at``): which are marks, and how many other
    assessors marked the same entrant and indicator."""
    marked = ~np.isnan(own)
    others = count[at]
    others -= marked
    return marked, others


def _co(own: np.ndarray, at: np.ndarray, total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The mean of the other assessors' marks on the same entrant and indicator as each of
    ``own``; NaN where there is no mark or no other assessor."""
    marked, others = _others(own, at, count)
    some = others > 0
    co = total[at]
    np.subtract(co, own, out=co, where=marked)  # in place, as pandas' total - marks.fillna(0)
    np.divide(co, others, out=co, where=some)
    co[~(marked & some)] = np.nan
    return co


def _diff(own: np.ndarray, at: np.ndarray, count: np.ndarray, median: np.ndarray) -> np.ndarray:
    """Each of ``own`` less its entrant's median mark; NaN where there is no mark or no other
    assessor."""
    some = _others(own, at, count)[1] > 0
    diff = median[at]
    np.subtract(own, diff, out=diff)
    diff[~some] = np.nan
    return diff


ROWS_AT_ONCE = 1 << 16  # an assessor's rows gathered at a time (see ``_figures``)


def _figures(all_marks: np.ndarray, mine: np.ndarray, entrant_of: np.ndarray, total: np.ndarray,
             count: np.ndarray, median: np.ndarray
             ) -> tuple[int, float | None, float | None, float | None, float | None]:
    """One assessor's marks, their mean and spread, leniency and agreement, from its rows
    ``mine``. Each figure is numpy's of one array of all the values it needs, in the rows'
    order; each array is put together from the rows a slice at a time, and let go before the
    next is made. At a million rows an assessor's marks are 50 MB a copy: its marks, their
    co-assessor means and the pairs had been whole at once (some 200 MB)."""
    k = all_marks.shape[1]

    def slices():  # the marks of the assessor's rows, and their entrants, a slice at a time
        for start in range(0, len(mine), ROWS_AT_ONCE):
            rows = mine[start:start + ROWS_AT_ONCE]
            yield all_marks[rows], entrant_of[rows]

    d = np.empty(len(mine) * k)  # the differences from the consensus; the marks and pairs counted
    n_marks = n_pairs = 0
    for (own, at), start in zip(slices(), range(0, d.size, ROWS_AT_ONCE * k), strict=True):
        d[start:start + own.size] = _diff(own, at, count, median).ravel()
        is_mark, others = _others(own, at, count)
        n_marks += int(is_mark.sum())
        n_pairs += int((is_mark & (others > 0)).sum())
    leniency = float(np.nanmean(d)) if (~np.isnan(d)).any() else None
    del d
    m = _joined(((own[~np.isnan(own)],) for own, _ in slices()), (1, n_marks))[0]
    mean, sd = (float(m.mean()), float(m.std())) if m.size else (None, None)
    del m
    agreement = None
    if n_pairs >= 3:
        # the pairs as the one 2 × n array np.corrcoef(x, y) stacks them into
        xy = _joined((_pairs(own, at, total, count) for own, at in slices()), (2, n_pairs))
        if xy[0].std() > 0 and xy[1].std() > 0:
            agreement = _correlation(xy)
    return n_marks, mean, sd, leniency, agreement


def _pairs(own: np.ndarray, at: np.ndarray, total: np.ndarray,
           count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The marks of ``own`` that have a co-assessors' mean, and those means."""
    co = _co(own, at, total, count)
    paired = ~np.isnan(co)  # a mark (NaN else) and someone else's
    return own[paired], co[paired]


def _joined(parts, shape: tuple[int, int]) -> np.ndarray:
    """An array of ``shape``, each row the same row of each of ``parts`` (tuples of 1-d
    arrays), put end to end."""
    out = np.empty(shape)
    at = 0
    for part in parts:
        size = len(part[0])
        for row, values in zip(out, part, strict=True):
            row[at:at + size] = values
        at += size
    return out


def _correlation(xy: np.ndarray) -> float:
    """``np.corrcoef(xy)[0, 1]`` by its arithmetic, step for step, in ``xy`` itself (spent):
    np.corrcoef works on a copy (at a million rows 100 MB beside the pairs)."""
    xy -= xy.mean(axis=1)[:, None]
    c = np.dot(xy, xy.T.conj())
    c *= np.true_divide(1, xy.shape[1] - 1)
    stddev = np.sqrt(np.diag(c).real)
    c /= stddev[:, None]
    c /= stddev[None, :]
    np.clip(c.real, -1, 1, out=c.real)
    return float(c[0, 1])


def assessor_report(frame: pd.DataFrame, criteria: Criteria, codes: Codes | None = None, *,
                    marks: pd.DataFrame | None = None) -> AssessorReport:
    """``codes``: ``Codes.of(frame)``, when the caller has it (grouping by integer codes, not by
    a million text ids). ``marks``: ``unit_marks(frame, criteria)``, when the caller made them
    first, so as to let the frame's own marks go before the report: then ``frame`` needs only
    the text columns (at a million rows the marks are 160 MB, each of them)."""
    rules = criteria.assessors
    keys = [i.key for i in criteria.indicators]
    codes = codes if codes is not None else Codes.of(frame)
    marks = marks if marks is not None else unit_marks(frame, criteria)
    ent = codes.entrants[0]
    all_marks = marks.to_numpy()
    # per entrant, not per mark: each assessor's co-assessor means and differences from the
    # consensus are then made for its own rows only (at a million rows, two blocks of 160 MB
    # for every mark had been made first)
    total, count, median, entrant_of = _by_entrant(marks, ent)
    who = codes.assessors if codes.assessors is not None else np.full(len(frame), -1)
    names = codes.assessor_names if codes.assessor_names is not None else []
    pairs, base = distinct_pairs(ent, who)
    seen_by = np.bincount(pairs % base, minlength=len(names))  # entrants of each assessor
    rows = []
    for k, (a, mine) in enumerate(zip(names, rows_by_code(who, len(names)), strict=True)):
        marked, mean, sd, leniency, agreement = _figures(all_marks, mine, entrant_of, total,
                                                         count, median)
        flags = []
        if leniency is not None and leniency > rules.leniency:
            flags.append("lenient")
        if leniency is not None and leniency < -rules.leniency:
            flags.append("harsh")
        if agreement is not None and agreement < rules.agreement:
            flags.append("low-agreement")
        rows.append({"assessor": str(a), "entrants": int(seen_by[k]), "marks": marked,
                     "mean": mean, "sd": sd, "leniency": leniency, "agreement": agreement,
                     "flags": flags})
    del total, count, median, entrant_of
    per_assessor = pd.DataFrame(rows)
    teams = team_reliability(frame, marks)
    entrants = _spread(frame, marks, criteria, keys, codes.entrants, who)
    over = entrants[entrants["max_spread"] > rules.spread]
    second = over.sort_values(["max_spread", "mean_spread"], ascending=False).head(
        rules.second_visit)
    return AssessorReport(assessors=per_assessor, teams=teams, entrants=entrants,
                          second_visit=second.reset_index(drop=True),
                          thresholds={"leniency": rules.leniency, "agreement": rules.agreement,
                                      "spread": rules.spread})


def team_reliability(frame: pd.DataFrame, marks: pd.DataFrame) -> list[TeamReliability]:
    """Each connected group of assessors (``design.components``, largest first): its ICC and
    Kendall's W on each entrant's mean mark, from the entrants × assessors matrix that pandas'
    ``pivot_table`` gives (ids and names sorted, all-NaN rows and columns left out). The rows
    are sorted by group once: a national assessment has thousands of teams, and finding each
    team's rows among a million (and pivoting them with pandas) took 30 s for 3,334 teams."""
    parts = components(frame)
    if not parts:
        return []
    overall = marks.mean(axis=1).to_numpy()  # row by row: the same for any subset of rows
    who, names = pd.factorize(frame["assessor"], sort=True)
    part_of = np.full(len(names), -1, dtype=np.intp)
    part_of[names.get_indexer([a for p in parts for a in p.assessors])] = np.repeat(
        np.arange(len(parts)), [len(p.assessors) for p in parts])
    # each row's id by its place among the ids sorted, the pivot's order (as Python objects, a
    # million ids took 65 MB, and sorting them for the pivots 1 s)
    ids, _ = pd.factorize(frame["id"], sort=True)
    return [_team(part, ids[rows], who[rows], overall[rows])
            for part, rows in zip(parts, rows_by_code(part_of[who], len(parts)), strict=True)]


def _team(comp, ids: np.ndarray, who: np.ndarray, overall: np.ndarray) -> TeamReliability:
    """``ids``: codes of the ids, in the ids' sorted order."""
    k = len(comp.assessors)
    known = ~np.isnan(overall)
    # the pivot: entrants (sorted ids) × assessors (sorted names) of the marked rows; one row
    # per pair (the checks refuse an assessor marking an entrant twice)
    entrants, e = np.unique(ids[known], return_inverse=True)
    assessors, a = np.unique(who[known], return_inverse=True)
    matrix = np.full((len(entrants), len(assessors)), np.nan)
    matrix[e, a] = overall[known]
    n = len(matrix)
    if k < 2:
        return TeamReliability(comp.assessors, n, None, None, None,
                               "one assessor: there is nobody to agree with")
    if n < 2:
        return TeamReliability(comp.assessors, n, None, None, None, "fewer than two entrants")
    if len(assessors) < k or np.isnan(matrix).any():
        return TeamReliability(comp.assessors, n, None, None, None,
                               "not defined: the assessors of this group did not all assess the "
                               "same entrants")
    a1, c1 = icc(matrix)
    return TeamReliability(comp.assessors, n, a1, c1, kendall_w(matrix))


def entrant_spread(marks: pd.DataFrame, ent: np.ndarray) -> pd.DataFrame:
    """Per entrant code (rows of -1 left out), each indicator's largest minus smallest mark.
    When each entrant's rows come together (the usual file), by runs: exact as pandas' grouped
    max and min, which took 0.5 s at a million rows."""
    known = ent >= 0
    if len(ent) and known.all() and (ent[1:] >= ent[:-1]).all():
        runs = np.flatnonzero(np.r_[True, ent[1:] != ent[:-1]])
        block = marks.to_numpy()
        return pd.DataFrame(np.fmax.reduceat(block, runs) - np.fmin.reduceat(block, runs),
                            index=ent[runs], columns=marks.columns)
    g = marks[known].groupby(ent[known], sort=True)  # codes in order of first appearance
    return g.max() - g.min()


def _spread(frame: pd.DataFrame, marks: pd.DataFrame, criteria: Criteria,
            keys: list[str], entrants: Entrants, who: np.ndarray) -> pd.DataFrame:
    ent, ids = entrants
    spread = entrant_spread(marks, ent)
    at = spread.index.to_numpy()
    counts = assessor_counts(ent, who, len(ids))[at]
    worst = spread[keys].fillna(-1).to_numpy().argmax(axis=1)
    first = first_rows(ent)[at]
    titles = {i.key: i.column for i in criteria.indicators}
    return pd.DataFrame({
        "id": ids[at].astype(str),
        "name": frame["name"].to_numpy()[first] if "name" in frame.columns else None,
        "group": frame["group"].to_numpy()[first] if "group" in frame.columns else None,
        "assessors": counts,
        "mean_spread": spread[keys].mean(axis=1).to_numpy(),
        "max_spread": spread[keys].max(axis=1).to_numpy(),
        "indicator": [titles[keys[j]] for j in worst]}).where(lambda d: d["assessors"] > 1).dropna(
            subset=["assessors"]).reset_index(drop=True)
