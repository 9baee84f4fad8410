"""Year against year: match entrants, compare ranks, scores, pillars, groups and criteria.

Each year is a ``Side``: its results table and, when it was scored from an assessment here, each
indicator's contribution in points (for "which indicators moved most"). Pure: no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model import Criteria, Scores
from .correlation import kendall_tau_b, spearman
from .ids import positions

MOVED = 3  # indicators listed per entrant
LEADERS = 10  # risers and fallers listed


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    key: str
    pillar: str
    column: str
    weight: float
    share: float
    direction: str
    normalize: str
    range: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class CriteriaDef:
    """What a year's criteria were, as far as comparing years needs."""

    name: str
    version: str
    sha256: str
    scale: float
    pillars: tuple[tuple[str, float, float], ...]  # key, weight, share
    indicators: tuple[IndicatorDef, ...]

    @classmethod
    def of(cls, c: Criteria) -> CriteriaDef:
        shares = c.effective_weights()
        pshare = c.pillar_shares()
        return cls(name=c.name, version=c.version, sha256=c.sha256, scale=c.scale,
                   pillars=tuple((p.key, p.weight, pshare[p.key]) for p in c.pillars),
                   indicators=tuple(IndicatorDef(i.key, p.key, i.column, i.weight, shares[i.key],
                                                 i.direction.value, i.normalize.value, i.range)
                                    for p in c.pillars for i in p.indicators))

    @property
    def pillar_keys(self) -> list[str]:
        return [p[0] for p in self.pillars]


@dataclass(frozen=True, slots=True)
class Side:
    """One year: its criteria, inputs, results (best first) and, if known, contributions."""

    criteria: CriteriaDef
    inputs: list[dict[str, object]]
    table: pd.DataFrame
    contributions: pd.DataFrame | None = None  # index id, one column per indicator key (points)
    raw: pd.DataFrame | None = None
    rows: np.ndarray | None = None  # the row of contributions and raw of each table row

    def without_points(self) -> Side:
        """The year without the per-indicator points and raw values only ``diff`` reads."""
        from dataclasses import replace

        return replace(self, contributions=None, raw=None, rows=None)

    @classmethod
    def of(cls, scores: Scores, inputs: list[dict[str, object]]) -> Side:
        return cls(criteria=CriteriaDef.of(scores.criteria), inputs=inputs, table=scores.table,
                   contributions=scores.points(), raw=scores.raw,
                   rows=positions(scores.table["id"], scores.raw.index))


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two years' criteria."""

    kind: str  # added | removed | renamed | column | weight | share | range | direction | normalize
    what: str  # "indicator" | "pillar"
    key: str
    old: object = None
    new: object = None

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "what": self.what, "key": self.key, "old": self.old,
                "new": self.new}


@dataclass(frozen=True, slots=True)
class Moved:
    """For each matched entrant (the rows of ``Diff.entrants``), the ``MOVED`` indicators whose
    points changed most, largest change first, as arrays of shape (entrants, MOVED): the
    indicator's position in ``keys``, its raw value each year, its change in points. A change
    of 0 is not a move: ``of`` leaves it out, as the JSON does."""

    keys: list[str]
    top: np.ndarray
    old_raw: np.ndarray
    new_raw: np.ndarray
    change: np.ndarray

    def rows(self, start: int, stop: int) -> Moved:
        """The moves of the rows ``start:stop``."""
        return Moved(self.keys, self.top[start:stop], self.old_raw[start:stop],
                     self.new_raw[start:stop], self.change[start:stop])

    def of(self, row: int) -> list[dict[str, object]]:
        """The moves of the entrant in row ``row``, as the JSON lists them."""
        return [{"key": self.keys[j], "old_raw": float(o), "new_raw": float(n),
                 "points_change": float(c)}
                for j, o, n, c in zip(self.top[row], self.old_raw[row], self.new_raw[row],
                                      self.change[row], strict=True) if c != 0]


@dataclass(frozen=True, slots=True)
class Diff:
    old: Side
    new: Side
    entrants: pd.DataFrame  # one row per matched pair, best new rank first
    moved: Moved | None  # the indicators that moved most (if asked, and both years were scored)
    only_old: pd.DataFrame
    only_new: pd.DataFrame
    spearman: float | None
    kendall: float | None
    groups: pd.DataFrame
    spread: dict[str, float | bool | None]
    changes: list[Change] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        return not self.changes

    def risers(self, n: int = LEADERS) -> pd.DataFrame:
        e = self.entrants[self.entrants["rank_change"] > 0]
        return e.sort_values(["rank_change", "new_rank"], ascending=[False, True]).head(n)

    def fallers(self, n: int = LEADERS) -> pd.DataFrame:
        e = self.entrants[self.entrants["rank_change"] < 0]
        return e.sort_values(["rank_change", "new_rank"], ascending=[True, True]).head(n)


def pairs_of(old_ids: pd.Series, new_ids: pd.Series,
             mapping: list[tuple[str, str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The matched entrants, as (rows of ``old_ids``, rows of ``new_ids``): the same id in both
    years, in the order of ``new_ids``, then the mapping's renames and splits in its order. A
    mapped id is matched only through the mapping."""
    at_old = positions(new_ids, old_ids)
    same = at_old >= 0
    old_rows = new_rows = np.zeros(0, dtype=np.intp)
    if mapping:
        mo = positions([o for o, _ in mapping], old_ids)
        mn = positions([n for _, n in mapping], new_ids)
        both = (mo >= 0) & (mn >= 0)
        old_rows, new_rows = mo[both], mn[both]
        old_mapped = np.zeros(len(old_ids), dtype=bool)
        old_mapped[old_rows] = True
        same[new_rows] = False  # a mapped new id
        same[same] &= ~old_mapped[at_old[same]]  # the id of a mapped old one
    kept = np.flatnonzero(same)
    return np.r_[at_old[kept], old_rows].astype(np.intp), np.r_[kept, new_rows].astype(np.intp)


def criteria_changes(old: CriteriaDef, new: CriteriaDef) -> list[Change]:
    """Every difference that makes totals not directly comparable (labels do not count)."""
    if old.sha256 and old.sha256 == new.sha256:
        return []
    out: list[Change] = []
    op = {k: (w, s) for k, w, s in old.pillars}
    np_ = {k: (w, s) for k, w, s in new.pillars}
    for k in np_.keys() - op.keys():
        out.append(Change("added", "pillar", k, None, np_[k][1]))
    for k in op.keys() - np_.keys():
        out.append(Change("removed", "pillar", k, op[k][1], None))
    for k in sorted(op.keys() & np_.keys()):
        if not np.isclose(op[k][1], np_[k][1]):
            out.append(Change("share", "pillar", k, op[k][1], np_[k][1]))
    oi = {i.key: i for i in old.indicators}
    ni = {i.key: i for i in new.indicators}
    added, removed = ni.keys() - oi.keys(), oi.keys() - ni.keys()
    by_column = {_fold(oi[k].column): k for k in removed}
    for k in sorted(added):
        was = by_column.pop(_fold(ni[k].column), None)
        if was is not None:
            removed.discard(was)
            out.append(Change("renamed", "indicator", k, was, k))
        else:
            out.append(Change("added", "indicator", k, None, ni[k].share))
    for k in sorted(removed):
        out.append(Change("removed", "indicator", k, oi[k].share, None))
    for k in sorted(oi.keys() & ni.keys()):
        a, b = oi[k], ni[k]
        if _fold(a.column) != _fold(b.column):
            out.append(Change("column", "indicator", k, a.column, b.column))
        if a.pillar != b.pillar:
            out.append(Change("pillar", "indicator", k, a.pillar, b.pillar))
        if not np.isclose(a.share, b.share):
            out.append(Change("share", "indicator", k, a.share, b.share))
        for attr in ("direction", "normalize"):
            if getattr(a, attr) != getattr(b, attr):
                out.append(Change(attr, "indicator", k, getattr(a, attr), getattr(b, attr)))
        if (a.range or None) != (b.range or None):
            out.append(Change("range", "indicator", k, list(a.range) if a.range else None,
                              list(b.range) if b.range else None))
    if not out and old.scale != new.scale:
        out.append(Change("scale", "pillar", "*", old.scale, new.scale))
    return out


def _fold(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def diff(old: Side, new: Side, mapping: list[tuple[str, str]] | None = None, *,
         moved: bool = True) -> Diff:
    """Compare two years. Entrants are matched by id, then through ``mapping`` (old, new).
    ``moved=False`` leaves ``Diff.moved`` out (only the JSON shows it)."""
    old_rows, new_rows = pairs_of(old.table["id"], new.table["id"], mapping)
    o = old.table.take(old_rows).reset_index(drop=True)
    n = new.table.take(new_rows).reset_index(drop=True)
    e = pd.DataFrame({
        "id": n["id"], "old_id": o["id"], "name": n["name"].where(n["name"].notna(), o["name"]),
        "group": n["group"].where(n["group"].notna(), o["group"]),
        "old_rank": o["rank"].astype("int64"), "new_rank": n["rank"].astype("int64"),
        "old_score": o["score"].astype("float64"), "new_score": n["score"].astype("float64")})
    e["rank_change"] = e["old_rank"] - e["new_rank"]
    e["score_change"] = e["new_score"] - e["old_score"]
    common_pillars = [k for k in new.criteria.pillar_keys if k in old.criteria.pillar_keys]
    for k in common_pillars:
        e[f"{k}_old"] = o[k].astype("float64")
        e[f"{k}_new"] = n[k].astype("float64")
        e[f"{k}_change"] = e[f"{k}_new"] - e[f"{k}_old"]
    order = _by_new_rank(e)
    if order is not None:
        e = e.take(order).reset_index(drop=True)
        old_rows, new_rows = old_rows[order], new_rows[order]
    moved_most = _moved(old, new, old_rows, new_rows) if moved else None
    only_old = old.table.loc[~_marked(len(old.table), old_rows), ["id", "name", "rank"]]
    only_new = new.table.loc[~_marked(len(new.table), new_rows), ["id", "name", "rank"]]
    groups, spread = _groups(old, new, e)
    return Diff(old=old.without_points(), new=new.without_points(), entrants=e, moved=moved_most,
                only_old=only_old.reset_index(drop=True),
                only_new=only_new.reset_index(drop=True),
                spearman=spearman(e["old_score"].to_numpy(), e["new_score"].to_numpy()),
                kendall=kendall_tau_b(e["old_score"].to_numpy(), e["new_score"].to_numpy()),
                groups=groups, spread=spread, changes=criteria_changes(old.criteria, new.criteria))


def _by_new_rank(e: pd.DataFrame) -> np.ndarray | None:
    """The order of ``e`` by new rank, then id; ``None`` when it is in that order already (the
    usual case: the matches come in the new table's order, which is that one)."""
    rank = e["new_rank"].to_numpy()
    if len(rank) < 2:
        return None
    step = np.diff(rank)
    if (step >= 0).all():
        tied = np.flatnonzero(step == 0)
        ids = e["id"]
        if all(str(ids.iat[t]) <= str(ids.iat[t + 1]) for t in tied.tolist()):
            return None
    return e.sort_values(["new_rank", "id"], kind="stable").index.to_numpy()


def _marked(n: int, rows: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rows] = True
    return out


def _moved(old: Side, new: Side, old_rows: np.ndarray, new_rows: np.ndarray) -> Moved | None:
    """Per entrant (matched rows of each table), the indicators whose points changed most (both
    years scored here). Only the changes are made for every indicator; the raw values are taken
    at the few indicators picked (at a million rows a year, 0.8 s and 0.4 GB went to full
    copies and a full sort of every row)."""
    if old.contributions is None or new.contributions is None or len(new_rows) == 0:
        return None
    keys = [k for k in new.contributions.columns if k in old.contributions.columns]
    if not keys or old.rows is None or new.rows is None or old.raw is None or new.raw is None:
        return None
    at_old, at_new = old.rows[old_rows][:, None], new.rows[new_rows][:, None]

    def cols(frame: pd.DataFrame) -> np.ndarray:
        return np.array([frame.columns.get_loc(k) for k in keys], dtype=np.intp)

    change = (new.contributions.to_numpy()[at_new, cols(new.contributions)]
              - old.contributions.to_numpy()[at_old, cols(old.contributions)])
    top = largest(np.abs(change), MOVED)
    return Moved(keys, top, old.raw.to_numpy()[at_old, cols(old.raw)[top]].astype("float64"),
                 new.raw.to_numpy()[at_new, cols(new.raw)[top]].astype("float64"),
                 np.take_along_axis(change, top, axis=1).astype("float64"))


def largest(values: np.ndarray, k: int) -> np.ndarray:
    """Per row, the columns of the ``k`` largest values, largest first and the leftmost first
    among equals, NaN after every number: the first ``k`` of a stable sort, descending, found
    by ``k`` passes of ``argmax``. ``values`` is overwritten."""
    k = min(k, values.shape[1])
    out = np.empty((len(values), k), dtype=np.intp)
    if not len(values):
        return out
    nan = np.isnan(values)
    if nan.any():
        values[nan] = np.nanmin(values) - 1 if not nan.all() else 0.0
    rows = np.arange(len(values))
    for s in range(k):
        out[:, s] = values.argmax(axis=1)  # the first of the largest
        values[rows, out[:, s]] = -np.inf
    return out


def _groups(old: Side, new: Side, e: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """Per group: matched entrants, mean score each year, mean change, most improved; and the
    gap between the best and the worst group mean in each year (all entrants of that year)."""
    if e["group"].isna().all():
        return pd.DataFrame(), {"old": None, "new": None, "closing": None}
    g = e.dropna(subset=["group"]).groupby("group", sort=True)
    best = e.loc[e.dropna(subset=["group"]).groupby("group")["score_change"].idxmax()]
    groups = pd.DataFrame({"entrants": g.size(), "old_mean": g["old_score"].mean(),
                           "new_mean": g["new_score"].mean(), "change": g["score_change"].mean()})
    groups["most_improved"] = best.set_index("group")["id"]
    groups["most_improved_change"] = best.set_index("group")["score_change"]
    groups = groups.reset_index()
    old_means = old.table.dropna(subset=["group"]).groupby("group")["score"].mean()
    new_means = new.table.dropna(subset=["group"]).groupby("group")["score"].mean()
    o_spread = float(old_means.max() - old_means.min()) if len(old_means) else None
    n_spread = float(new_means.max() - new_means.min()) if len(new_means) else None
    closing = None if o_spread is None or n_spread is None else n_spread < o_spread
    return groups, {"old": o_spread, "new": n_spread, "closing": closing}
