"""How solid is each rank? Score again N times with every weight multiplied by an independent
random factor (±25 % by default, as composite-indicator audits do) and, where the assessment has
several assessors per entrant, with a randomly chosen way of combining them. Vectorised: each
chunk of runs is a few matrix products and one sort per run column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import BantarError
from ..model import AwardKind, Awards, Combine, Criteria, Scope, Scores
from .awards import History, _eligible
from .combine import Codes, Entrants, assessor_counts, combine, rows_by_code
from .normalize import normalize
from .rank import TIE_DECIMALS, order_of_keys, packed_keys, position_bits
from .score import apply_missing

CHUNK = 250
CELLS = 4_000_000  # runs × entrants in one chunk (about 32 MB per matrix of them)
_TOGETHER = 1 << 16  # scopes × entrants × places counted in one block (× runs: 16 MB at 250)
RANKS_IN_MEMORY = 256 << 20  # bytes of ranks kept in memory; more go to a temporary file
RANKS_READ = 32 << 20  # bytes of ranks read back from the file at a time (and np.percentile's copy)


@dataclass(frozen=True, slots=True)
class Sensitivity:
    runs: int
    seed: int
    spread: float
    methods: tuple[str, ...]
    median: np.ndarray  # per entrant, in the order of scores.table
    p05: np.ndarray
    p95: np.ndarray
    award_share: list[float] = field(default_factory=list)  # per item of awards.items


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the runs need of the rows (``prepare``): each combination method's r, as the runs'
    products take it (see ``_prepared``)."""

    methods: tuple[Combine, ...]
    r: tuple[tuple[np.ndarray, np.ndarray | None, bool], ...]


def prepare(frame: pd.DataFrame, scores: Scores, codes: Codes | None = None) -> Prepared:
    """Each combination method's r of the ranked entrants, made one method at a time: all
    that ``sensitivity`` needs of the rows, so that a caller done with them can let them go
    before the runs (at a million rows, 250 MB)."""
    c = scores.criteria
    codes = codes or Codes.of(frame)
    rows = codes.entrants[1].get_indexer(scores.table["id"])  # ranked order; unranked left out
    methods = tuple(_methods(c, codes))
    return Prepared(methods, tuple(_prepared(_normalized_for(frame, c, m, codes.entrants, rows))
                                   for m in methods))


def _normalized_for(frame: pd.DataFrame, criteria: Criteria, method: Combine,
                    entrants: Entrants, rows: np.ndarray) -> np.ndarray:
    """r of the ranked entrants (``rows`` of the combined table), combined by ``method``."""
    keys = [i.key for i in criteria.indicators]
    raw = combine(frame, keys, method, {i.key: i.range for i in criteria.indicators}, entrants)
    r = apply_missing(raw, normalize(raw, criteria), criteria)
    return r[keys].to_numpy()[rows]


def _prepared(r: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """``r`` (entrants × indicators) transposed and contiguous, NaN as 0; where it has gaps,
    also which of its values are there (1.0) or not (0.0), which only runs over gaps need (at
    330,000 entrants each of these is 53 MB a method, and r itself is let go)."""
    gaps = bool(np.isnan(r).any())
    present = (~np.isnan(r)).astype("float64").T.copy() if gaps else None
    return np.nan_to_num(r).T.copy(), present, gaps


def _methods(criteria: Criteria, codes: Codes) -> list[Combine]:
    """The criteria's method, plus the others when entrants have several assessors."""
    entrants, who = codes.entrants, codes.assessors
    if who is None or len(who) == 0:
        return [criteria.combine]
    if assessor_counts(entrants[0], who, len(entrants[1])).max() < 2:
        return [criteria.combine]
    out = [criteria.combine] + [m for m in (Combine.MEAN, Combine.MEDIAN, Combine.TRIMMED_MEAN)
                                if m is not criteria.combine]
    return out


HISTOGRAM_LIMIT = 20_000  # up to this many entrants, rank quantiles come from rank histograms


def ranked_runs(rounded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row of a runs × entrants matrix of totals already rounded to the tie precision:
    the entrants best first and their competition ranks (1, 2, 2, 4), both runs × entrants.

    One integer sort of ``packed_keys`` per row gives the order and the values together: three
    times faster than an argsort of floats. Totals too large to pack take the argsort. Missing
    totals (-inf) come last, tied."""
    n = rounded.shape[1]
    key = packed_keys(rounded)
    if key is None:
        order = np.argsort(-rounded, axis=1)  # equal totals get equal ranks whatever their order
        key = np.take_along_axis(-rounded, order, axis=1)
    else:
        key.sort(axis=1)
        order = order_of_keys(key, n)
        key >>= position_bits(n)
    new = np.empty(key.shape, dtype=bool)
    new[:, :1] = True
    np.not_equal(key[:, 1:], key[:, :-1], out=new[:, 1:])
    pos = np.arange(1, n + 1, dtype=np.int32)[None, :]
    return order, np.maximum.accumulate(np.where(new, pos, 0), axis=1).astype(np.int32)


def _competition_ranks(rounded: np.ndarray) -> np.ndarray:
    """Ranks (1, 2, 2, 4) along each row of a runs × entrants matrix of totals already rounded
    to the tie precision, highest first, in the entrants' order."""
    order, ranked = ranked_runs(rounded)
    out = np.empty_like(ranked)
    np.put_along_axis(out, order, ranked, axis=1)
    return out


def sensitivity(frame: pd.DataFrame | Prepared, scores: Scores, awards: Awards | None = None, *,
                runs: int, seed: int = 0, spread: float = 0.25, history: History | None = None,
                progress: Callable[[int], None] | None = None,
                codes: Codes | None = None) -> Sensitivity:
    """Median and 5th–95th percentile rank of every entrant over ``runs`` perturbed scorings,
    and for every award the share of runs in which the same entrant wins it. ``frame``: the
    rows, or what ``prepare`` made of them."""
    if runs < 1:
        raise BantarError("--sensitivity needs at least 1 run", code="bad-runs")
    c = scores.criteria
    ready = frame if isinstance(frame, Prepared) else prepare(frame, scores, codes)
    methods, prepared = ready.methods, ready.r
    n_e = len(scores.table)
    pillars = c.pillars
    spans = []
    start = 0
    for p in pillars:
        spans.append((start, start + len(p.indicators)))
        start += len(p.indicators)
    w = np.array([i.weight for i in c.indicators])
    pw = np.array([p.weight for p in pillars])
    rng = np.random.default_rng(seed)
    use_histogram = n_e <= HISTOGRAM_LIMIT
    counts = np.zeros(n_e * (n_e + 1), dtype=np.int64) if use_histogram else None
    ranks = None if use_histogram else _RankStore(runs, n_e)
    chunk = max(1, min(CHUNK, CELLS // max(n_e, 1)))  # runs at a time, memory bounded
    tracked = _AwardTracker(scores, awards, history)
    # every run's draws first, so that how runs are chunked never changes them
    w_all = w * rng.uniform(1 - spread, 1 + spread, (runs, len(w)))
    pw_all = pw * rng.uniform(1 - spread, 1 + spread, (runs, len(pw)))
    pick_all = rng.integers(0, len(methods), runs)
    done = 0
    while done < runs:
        m = min(chunk, runs - done)
        wf, pf, pick = w_all[done:done + m], pw_all[done:done + m], pick_all[done:done + m]
        totals = np.empty((m, n_e))
        cols_needed = tracked.pillar_rows  # which entrants' pillar scores the awards need
        pillar_runs = (np.empty((len(pillars), m, n_e if cols_needed is None else
                                 len(cols_needed))) if tracked.needs_pillars else None)
        pillar_of = np.repeat(np.arange(len(spans)), [b - a for a, b in spans])
        for k, (filled, present, gaps) in enumerate(prepared):
            cols = np.flatnonzero(pick == k)
            if not len(cols):
                continue
            if not gaps:  # one product: each run's effective weights times r
                wk = wf[cols]
                inner = np.concatenate([wk[:, a:b] / wk[:, a:b].sum(axis=1, keepdims=True)
                                        for a, b in spans], axis=1)
                outer = pf[cols] / pf[cols].sum(axis=1, keepdims=True)
                totals[cols] = c.scale * (inner * outer[:, pillar_of]) @ filled
                if pillar_runs is not None:
                    sub = filled if cols_needed is None else filled[:, cols_needed]
                    for j, (a, b) in enumerate(spans):
                        pillar_runs[j, cols] = c.scale * inner[:, a:b] @ sub[a:b]
                continue
            num_total = np.zeros((len(cols), n_e))
            den_total = np.zeros_like(num_total)
            for j, (a, b) in enumerate(spans):
                wk = wf[cols, a:b]
                with np.errstate(invalid="ignore", divide="ignore"):
                    ps = c.scale * (wk @ filled[a:b]) / (wk @ present[a:b])
                if pillar_runs is not None:
                    pillar_runs[j, cols] = ps if cols_needed is None else ps[:, cols_needed]
                ok = ~np.isnan(ps)
                num_total += np.where(ok, ps, 0.0) * pf[cols, j:j + 1]
                den_total += ok * pf[cols, j:j + 1]
            with np.errstate(invalid="ignore", divide="ignore"):
                totals[cols] = np.where(den_total > 0, num_total / den_total, -np.inf)
        rounded = np.round(totals, TIE_DECIMALS)
        if counts is not None:  # rank counts straight from the sorted runs
            order, ranked = ranked_runs(rounded)
            counts += np.bincount((order * (n_e + 1) + ranked).ravel(), minlength=counts.size)
        else:
            ranks.add(_competition_ranks(rounded))  # type: ignore[union-attr]
        tracked.add(rounded, pillar_runs)
        done += m
        if progress is not None:
            progress(done)
    q = (_histogram_quantiles(counts.reshape(n_e, n_e + 1), runs) if counts is not None
         else ranks.quantiles())  # type: ignore[union-attr]
    return Sensitivity(runs=runs, seed=seed, spread=spread, methods=tuple(m.value for m in methods),
                       median=q[1], p05=q[0], p95=q[2], award_share=tracked.shares(runs))


class _RankStore:
    """Every run's ranks (runs × entrants, int32), for exact percentiles beyond the histogram
    limit: in memory up to RANKS_IN_MEMORY, else in a temporary file read back a block of
    entrants at a time (1,000 runs of 330,000 entrants are 1.3 GB)."""

    def __init__(self, runs: int, entrants: int) -> None:
        self.shape = (runs, entrants)
        self.done = 0
        if runs * entrants * 4 <= RANKS_IN_MEMORY:
            self.array: np.ndarray | None = np.empty(self.shape, dtype=np.int32)
            self.file = None
        else:
            import tempfile

            self.array = None
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by quantiles()

    def add(self, chunk: np.ndarray) -> None:
        if self.array is not None:
            self.array[self.done:self.done + len(chunk)] = chunk
        else:
            self.file.write(np.ascontiguousarray(chunk, dtype=np.int32).tobytes())  # type: ignore[union-attr]
        self.done += len(chunk)

    def quantiles(self) -> np.ndarray:
        """5th, 50th and 95th percentile rank of each entrant ('nearest', as numpy's)."""
        if self.array is not None:
            return np.percentile(self.array, [5, 50, 95], axis=0, method="nearest").astype(int)
        f = self.file
        f.flush()  # type: ignore[union-attr]
        runs, n = self.shape
        step = max(1, RANKS_READ // 4 // runs)
        out = np.empty((3, n), dtype=int)
        block = np.empty((runs, min(step, n)), dtype=np.int32)
        for a in range(0, n, step):
            part = block[:, :min(step, n - a)]
            # read, not mapped: each block of entrants is a slice of every run's row, so a map
            # of the file would have held all of it (1.3 GB) among the process's pages
            for r, row in enumerate(part):
                f.seek((r * n + a) * 4)  # type: ignore[union-attr]
                if f.readinto(row) != row.nbytes:  # type: ignore[union-attr]
                    raise OSError("the sensitivity runs' temporary file of ranks ended early")
            out[:, a:a + len(part[0])] = np.percentile(part, [5, 50, 95], axis=0,
                                                       method="nearest")
        f.close()  # type: ignore[union-attr]
        return out


def _histogram_quantiles(hist: np.ndarray, runs: int) -> np.ndarray:
    """5th, 50th and 95th percentile rank of each entrant from its rank counts, by the same
    'nearest' rule as numpy's percentile."""
    cum = np.cumsum(hist, axis=1)
    out = []
    for q in (0.05, 0.5, 0.95):
        k = int(np.round(q * (runs - 1)))  # the position numpy's 'nearest' picks
        out.append((cum > k).argmax(axis=1))
    return np.array(out)


class _AwardTracker:
    """Counts, run by run, whether each award goes to the entrant that won it."""

    def __init__(self, scores: Scores, awards: Awards | None, history: History | None) -> None:
        self.scores = scores
        self.items = list(awards.items) if awards else []
        self.hits = np.zeros(len(self.items))
        self.rules = {r.key: r for r in (scores.criteria.awards.rules
                                         if scores.criteria.awards else ())}
        t = scores.table
        self.row = {str(i): n for n, i in enumerate(t["id"].tolist())}
        self.pillar_index = {p.key: n for n, p in enumerate(scores.criteria.pillars)}
        # the entrants each award is decided among: a mask of the table, or for places within
        # a group or category the positions of its eligible entrants (a mask per group, at a
        # nation's 7,000 kecamatan, was 2.3 GB and 15 s)
        self.scopes: dict[tuple[str, str | None], np.ndarray] = {}
        for rule in self.rules.values():
            mask = t.index.isin(_eligible(t, rule, history or []).index)  # a filter keeps labels
            if rule.kind is AwardKind.PLACES and rule.within is not Scope.OVERALL:
                col = "group" if rule.within is Scope.GROUP else "category"
                codes, values = pd.factorize(t[col])
                eligible = np.flatnonzero(mask & (codes >= 0))
                for value, at in zip(values, rows_by_code(codes[eligible], len(values)),
                                     strict=True):
                    self.scopes[(rule.key, str(value))] = eligible[at]
            else:
                self.scopes[(rule.key, None)] = mask
        self.needs_pillars = any(r.kind is AwardKind.PILLAR or (r.kind is AwardKind.DESIGNATION
                                                                and r.min_pillars)
                                 for r in self.rules.values())
        self.designations: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.pillar_rows: np.ndarray | None = None
        for rule in self.rules.values():
            if rule.kind is AwardKind.DESIGNATION:
                items = [n for n, a in enumerate(self.items) if a.rule == rule.key
                         and a.id in self.row]
                self.designations[rule.key] = (np.array(items, dtype=int),
                                               np.array([self.row[self.items[n].id]
                                                         for n in items], dtype=int))
        if self.needs_pillars and not any(r.kind is AwardKind.PILLAR
                                           for r in self.rules.values()):
            rows = [r for _, (_, r) in self.designations.items()]
            self.pillar_rows = np.unique(np.concatenate(rows)) if rows else np.zeros(0, int)
        # places by scope, a scope's places counted together and scopes of one size stacked (one
        # place at a time, 21,000 places of a nation's kecamatan took 2.3 s per 100 runs);
        # pillar bests and streaks one by one
        by_scope: dict[tuple[str, str | None], list[tuple[int, int, int]]] = {}
        self.pillar_items: list[tuple[int, int, str]] = []
        self.streak_items: list[tuple[int, int | None]] = []
        where = {(a.rule, a.id): n for n, a in reversed(list(enumerate(self.items)))}
        for n, a in enumerate(self.items):
            rule = self.rules[a.rule]
            r = self.row.get(a.id)
            if r is None or rule.kind is AwardKind.DESIGNATION:
                continue
            if rule.kind is AwardKind.PLACES:
                by_scope.setdefault((rule.key, a.scope), []).append((n, r, a.place or 0))
            elif rule.kind is AwardKind.PILLAR:
                self.pillar_items.append((n, r, a.scope or ""))
            else:  # streak: held while the award it counts is held this year (an earlier one)
                self.streak_items.append((n, where.get((rule.of or "", a.id))))
        # scopes of the same size and number of places are stacked, a batch counted at once
        same: dict[tuple[int, int], list[tuple[np.ndarray, ...]]] = {}
        for key, got in by_scope.items():
            inside = self.scopes[key]
            inside = np.flatnonzero(inside) if inside.dtype == bool else inside
            items, rows, place = (np.array(col) for col in zip(*got, strict=True))
            same.setdefault((len(inside), len(items)), []).append((items, rows, place, inside))
        self.place_batches: list[tuple[np.ndarray, ...]] = []
        for (m, k), scopes in same.items():
            step = max(1, _TOGETHER // max(1, m * k))
            for at in range(0, len(scopes), step):
                part = scopes[at:at + step]
                self.place_batches.append(tuple(np.stack([s[c] for s in part])
                                                for c in range(4)))

    def add(self, t9: np.ndarray, pillar_runs: np.ndarray | None) -> None:
        """``t9``: runs × entrants totals rounded to the tie precision; ``pillar_runs``:
        pillars × runs × entrants."""
        for rule_key, (items, rows) in self.designations.items():
            rule = self.rules[rule_key]
            ok = t9[:, rows] >= round(rule.min_score or 0, TIE_DECIMALS)
            for pk, minimum in rule.min_pillars.items():
                assert pillar_runs is not None
                at = rows if self.pillar_rows is None else np.searchsorted(self.pillar_rows, rows)
                ok &= np.round(pillar_runs[self.pillar_index[pk]][:, at], TIE_DECIMALS) >= minimum
            self.hits[items] += ok.sum(axis=0)
        for items, rows, place, inside in self.place_batches:  # scopes × places, scopes × m
            # competition rank in the scope = 1 + how many in it have a higher total
            theirs, mine = t9[:, inside], t9[:, rows]  # runs × scopes × (m, places)
            if inside.size * rows.shape[1] <= _TOGETHER:
                above = (theirs[:, :, :, None] > mine[:, :, None, :]).sum(axis=2)
            else:  # a wide scope (overall): a place at a time, no runs × m × places block
                above = np.empty(mine.shape, dtype=np.intp)
                for at in np.ndindex(*rows.shape):
                    above[:, at[0], at[1]] = (theirs[:, at[0]] > mine[:, at[0], at[1], None]
                                              ).sum(axis=1)
            self.hits[items.ravel()] += (above + 1 == place).sum(axis=0).ravel()
        for n, r, pillar in self.pillar_items:
            assert pillar_runs is not None
            p = pillar_runs[self.pillar_index[pillar]]
            mask = self.scopes[(self.items[n].rule, None)]
            best = np.nanmax(np.where(mask[None, :], p, -np.inf), axis=1)
            self.hits[n] += (np.round(p[:, r], TIE_DECIMALS) >= np.round(best, TIE_DECIMALS)).sum()
        for n, of in self.streak_items:
            self.hits[n] = np.nan if of is None else self.hits[of]

    def shares(self, runs: int) -> list[float]:
        return [float(h / runs) for h in self.hits]
