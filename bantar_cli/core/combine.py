"""Step 1 of scoring: combine the assessors' raw values into one value per entrant and indicator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import Combine

ENTRANT_INFO = ("name", "group", "category")
# few distinct texts: an Arrow column of them is permuted as integer codes, which are read
# at random several times as fast as the texts themselves (17 against 35-55 ms at 330,000)
REPEATED = ("group", "category")


def entrant_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer code per row and the entrant ids in order of first appearance."""
    codes, uniques = pd.factorize(ids, sort=False)
    return codes, pd.Index(uniques, name="id")


Entrants = tuple[np.ndarray, pd.Index]  # code per row, ids in order of first appearance


@dataclass(frozen=True)
class Codes:
    """A frame's ids and assessors as integer codes, hashed once and shared by the checks,
    scoring and sensitivity: hashing a million text ids is what costs."""

    entrants: Entrants
    assessors: np.ndarray | None  # code per row by sorted name, -1 where none; None: no column
    assessor_names: pd.Index | None

    @classmethod
    def of(cls, frame: pd.DataFrame, entrants: Entrants | None = None,
           assessors: tuple[np.ndarray, pd.Index] | None = None) -> Codes:
        """The codes of ``frame`` (which must not change afterwards); ``entrants``: its
        ``entrant_codes``, and ``assessors``: its assessor codes and names, when the reader
        made them already."""
        entrants = entrants if entrants is not None else entrant_codes(frame["id"])
        if "assessor" not in frame.columns:
            return cls(entrants, None, None)
        if assessors is not None:
            return cls(entrants, *assessors)
        who, names = pd.factorize(frame["assessor"], sort=True)
        return cls(entrants, who, pd.Index(names))


def has_nan(values: np.ndarray) -> bool:
    """Whether a 2-D float block holds a NaN: a NaN is its column's minimum, so the columns'
    minimums tell, without a mask of the whole block (20 MB at a million rows × 20)."""
    return len(values) > 0 and bool(np.isnan(values.min(axis=0)).any())


def first_rows(codes: np.ndarray) -> np.ndarray:
    """The row where each code first appears, code by code, for first-appearance codes (as
    ``pd.factorize(..., sort=False)`` gives; -1 rows, missing ids, are skipped): a new code is
    exactly one that raises the running maximum."""
    if len(codes) == 0:
        return np.zeros(0, dtype=np.intp)
    seen = np.maximum.accumulate(codes)
    return np.flatnonzero(np.r_[codes[0] >= 0, seen[1:] > seen[:-1]])


def distinct_pairs(codes: np.ndarray, who: np.ndarray) -> tuple[np.ndarray, int]:
    """The distinct (entrant code, assessor code) pairs as ``entrant * base + assessor``, and
    ``base`` (-1 codes, a missing id or assessor, are left out). A table of seen pairs when it
    stays within a few times the rows (the usual case), else a sort."""
    known = (codes >= 0) & (who >= 0)
    base = max(int(who.max(initial=0)) + 1, 1)
    pairs = codes[known].astype(np.int64) * base + who[known]
    size = (int(codes.max(initial=-1)) + 1) * base
    if size <= 4 * len(codes) + 1024:
        seen = np.zeros(size, dtype=bool)
        seen[pairs] = True
        return np.flatnonzero(seen), base
    return sorted_distinct(pairs), base


def rows_by_code(codes: np.ndarray, n: int) -> list[np.ndarray]:
    """The positions of each code 0..n-1 in ``codes``, each in order (one stable sort; codes
    outside 0..n-1, such as -1 for none, left out)."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n + 1))
    return [order[bounds[k]:bounds[k + 1]] for k in range(n)]


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of integers, by a sort and a mask: numpy 2 hashes integer arrays instead,
    which took 0.4-0.55 s for a million entrant-assessor pairs against 5 ms for the sort."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def assessor_counts(codes: np.ndarray, who: np.ndarray, entrants: int) -> np.ndarray:
    """How many distinct assessors each entrant code 0..entrants-1 had (-1 codes, a missing id
    or assessor, are left out)."""
    pairs, base = distinct_pairs(codes, who)
    return np.bincount(pairs // base, minlength=entrants)


def combine(frame: pd.DataFrame, keys: list[str], method: Combine,
            ranges: dict[str, tuple[float, float] | None] | None = None,
            entrants: Entrants | None = None) -> pd.DataFrame:
    """One row per entrant (index ``id``, first-appearance order), one column per indicator key.

    ``mean`` and ``median`` are the usual ones; ``trimmed_mean`` drops the highest and the lowest
    value when an entrant has at least three, else it is the mean; ``standardized`` averages each
    assessor's z-scores (see ``standardized``). Missing marks are left out; an entrant with no
    mark at all for an indicator gets NaN. ``entrants``: ``entrant_codes(frame["id"])``, when
    the caller has it already.
    """
    codes, ids = entrants if entrants is not None else entrant_codes(frame["id"])
    if method is Combine.STANDARDIZED:
        out = standardized(frame, keys, codes, ranges or {})
    elif method is Combine.MEAN:
        out = pd.DataFrame(group_mean(frame[keys].to_numpy("float64"), codes, len(ids)),
                           columns=keys, copy=False)  # a fresh array: no need to copy it
    else:
        # one indicator at a time, through one grouping: see ``trimmed_mean``; and pandas'
        # grouped median copies all it groups (the block: 160 MB at a million rows)
        grouped = frame[keys].groupby(codes, sort=True)
        if method is Combine.MEDIAN:
            out = pd.DataFrame({k: grouped[k].median() for k in keys})
        elif method is Combine.TRIMMED_MEAN:
            out = pd.DataFrame({k: trimmed_mean(grouped[k]) for k in keys})
        else:  # pragma: no cover - the enum is closed
            raise ValueError(method)
    out.index = ids
    return out


def group_mean(values: np.ndarray, codes: np.ndarray, groups: int) -> np.ndarray:
    """The mean of each column over the rows of each code 0..groups-1 (every code present),
    NaN left out; one sort (none when the rows come entrant by entrant) and one pass."""
    n = len(codes)
    if n == 0:
        return np.empty((0, values.shape[1]))
    if not (codes[1:] >= codes[:-1]).all():
        order = np.argsort(codes, kind="stable")
        codes, values = codes[order], values[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, n])
    if has_nan(values):
        missing = np.isnan(values)
        total = _group_sum(np.where(missing, 0.0, values), starts, sizes)
        count = _group_sum(~missing, starts, sizes)
    else:
        total, count = _group_sum(values, starts, sizes), sizes[:, None]
    # column by column, as a frame holds it: the sums' own array when it is laid out so
    out = total if total.flags.f_contiguous else np.empty(total.shape, order="F")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.divide(total, count, out=out)


IN_ORDER = 7  # numpy adds up to this many values one after another; longer runs go pairwise
FEW_RUNS = 32  # stretches of equal-sized groups worth summing by strides


def _group_sum(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Column sums over consecutive runs of rows, as ``np.add.reduceat`` (or, when every run
    has one length, ``reshape(...).sum(axis=1)``) gives them, to the last bit. Where runs of
    a few rows share one length, adding strided views does it three times as fast: usually
    every entrant or all but a few were seen by the same number of assessors."""
    k = int(sizes[0])
    if (sizes == k).all():
        if k > IN_ORDER:
            return np.column_stack([values[:, j].reshape(len(sizes), k).sum(axis=1)
                                    for j in range(values.shape[1])])
        out = np.empty((len(sizes), values.shape[1]), order="F")
        for j in range(values.shape[1]):
            _strided_sum(values[:, j], k, out[:, j], first_apart=False)
        return out
    k = int(np.bincount(sizes).argmax())
    regular = sizes == k
    edges = np.flatnonzero(np.diff(np.r_[False, regular, False]))  # where stretches start, end
    if k > IN_ORDER + 1 or len(edges) > 2 * FEW_RUNS:
        out = np.empty((len(starts), values.shape[1]), order="F")
        for j in range(values.shape[1]):  # column by column: twice as fast as axis=0 on a
            np.add.reduceat(values[:, j], starts, out=out[:, j])  # frame's column-major block
        return out
    out = np.empty((len(starts), values.shape[1]), order="F")
    odd = np.flatnonzero(~regular)
    # the other groups' rows, side by side: reduceat sums each group from its own rows alone
    apart = np.r_[0, np.cumsum(sizes[odd])[:-1]]  # where each starts, side by side
    rows = np.repeat(starts[odd] - apart, sizes[odd]) + np.arange(int(sizes[odd].sum()))
    for j in range(values.shape[1]):
        column = values[:, j]
        out[odd, j] = np.add.reduceat(column[rows], apart)
        for first, last in edges.reshape(-1, 2):
            top = starts[first]
            _strided_sum(column[top:top + (last - first) * k], k, out[first:last, j],
                         first_apart=True)
    return out


def _strided_sum(column: np.ndarray, k: int, out: np.ndarray, *, first_apart: bool) -> None:
    """Sums of consecutive groups of ``k`` values into ``out``: in order from 0.0, as
    ``sum(axis=1)`` adds a few; or, with ``first_apart``, the first plus the rest added in
    order, as ``reduceat`` does. (The 0.0 matters to a sum of -0.0s only: 0.0 + -0.0 is 0.0.)"""
    w = column.reshape(-1, k)
    if k == 1 and first_apart:
        np.copyto(out, w[:, 0])
        return
    if not first_apart:
        np.add(0.0, w[:, 0], out=out)
        for t in range(1, k):
            out += w[:, t]
        return
    np.copyto(out, w[:, 1])
    for t in range(2, k):
        out += w[:, t]
    np.add(w[:, 0], out, out=out)


def standardized(frame: pd.DataFrame, keys: list[str], codes: np.ndarray,
                 ranges: dict[str, tuple[float, float] | None]) -> pd.DataFrame:
    """Each assessor's marks on an indicator become z-scores over the entrants that assessor saw
    (an assessor who gave one mark to all gets z = 0); an entrant's z-scores are averaged and
    mapped back to the indicator's scale with the mean and spread of all its marks, then kept
    within the indicator's range."""
    who = frame["assessor"].to_numpy()
    out = {}
    for k in keys:
        x = frame[k].astype("float64")
        g = x.groupby(who)
        sd = g.transform("std", ddof=0)
        z = ((x - g.transform("mean")) / sd).where(sd > 0, 0.0).where(x.notna())
        zbar = z.groupby(codes, sort=True).mean()
        mapped = (x.mean() + x.std(ddof=0) * zbar).round(10)  # no float noise for minmax to spread
        rng = ranges.get(k)
        out[k] = mapped.clip(rng[0], rng[1]) if rng else mapped
    return pd.DataFrame(out)


def trimmed_mean(grouped: pd.api.typing.SeriesGroupBy) -> pd.Series:
    """(sum − max − min) / (n − 2) where n ≥ 3, else the plain mean, of one indicator's marks.
    One indicator at a time: pandas sums a block of columns in another order once any of its
    values is NaN, so grouped with the others an entrant's sum could move in the last bit
    with another entrant's missing mark on another indicator (and the grouping's scratch is
    one column's, not the block's)."""
    n = grouped.count()
    total = grouped.sum()
    trimmed = (total - grouped.max() - grouped.min()) / (n - 2)
    return trimmed.where(n >= 3, total / n)


def entrant_info(frame: pd.DataFrame, entrants: Entrants | None = None) -> pd.DataFrame:
    """Name, group and category of each entrant (first row wins) and how many rows it had."""
    entrants = entrants if entrants is not None else entrant_codes(frame["id"])
    return FirstRows.of(frame, entrants).at(np.arange(len(entrants[1])))


@dataclass(frozen=True)
class FirstRows:
    """Each entrant's name, group and category from its first row, and its row count: found
    without any score, then given for the entrants in any order (``at``)."""

    rest: pd.DataFrame  # the columns permuted as they are
    coded: dict[str, tuple[np.ndarray, pd.api.extensions.ExtensionArray]]  # codes, uniques
    columns: list[str]
    counts: np.ndarray
    ids: pd.Index

    @classmethod
    def of(cls, frame: pd.DataFrame, entrants: Entrants) -> FirstRows:
        codes, ids = entrants
        cols = [c for c in ENTRANT_INFO if c in frame.columns]
        # first rows ascend: taking them in order, then permuting the small result, reads the
        # frame's long text columns front to back instead of at random (half the time at 1M)
        first = frame[cols].iloc[first_rows(codes)].reset_index(drop=True)
        coded = {c: pd.factorize(first[c].array, use_na_sentinel=False) for c in cols
                 if c in REPEATED and _arrow_text(first[c])}
        return cls(first.drop(columns=list(coded)), coded, cols,
                   np.bincount(codes[codes >= 0], minlength=len(ids)), ids)

    def at(self, at: np.ndarray) -> pd.DataFrame:
        """The entrants at these positions of ``ids``, in this order, indexed by id."""
        from concurrent.futures import ThreadPoolExecutor

        # the ids and the names: two long takes at random places, side by side (Arrow's take
        # releases the GIL)
        with ThreadPoolExecutor(1, thread_name_prefix="bantar-ids") as pool:
            index = pool.submit(self.ids.take, at)
            info = self.rest.iloc[at].reset_index(drop=True)
            for c, (k, uniques) in self.coded.items():
                info[c] = uniques.take(k[at])
            info = info[self.columns]
            info.index = index.result()
        info["assessors"] = self.counts[at]
        return info


def _arrow_text(column: pd.Series) -> bool:
    return isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"
