"""Checks on an assessment frame that need the criteria. They return problems; they never raise.

Problems carry the frame ``row`` and the ``key`` (an indicator key or an entrant role); the
reader's ``CellMap`` turns them into ``file: Sheet!C12``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Problem
from ..model import Combine, Criteria, Direction, Missing, Normalize
from .combine import ENTRANT_INFO, Codes, assessor_counts, first_rows, has_nan


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_assessment(frame: pd.DataFrame, criteria: Criteria,
                     codes: Codes | None = None) -> list[Problem]:
    """Every problem in ``frame`` that stops scoring: missing or out-of-range values, missing
    ids, one entrant assessed twice by the same assessor, and rows disagreeing on an entrant.
    ``codes``: ``Codes.of(frame)``, when the caller has it already."""
    problems: list[Problem] = []
    if len(frame) == 0:
        return [Problem(slug="no-entrants", message="no assessment rows were found",
                        expected="at least one row with an entrant id")]
    ids = frame["id"]
    for row in np.flatnonzero(ids.isna().to_numpy()):
        problems.append(Problem(slug="missing-value", message="the entrant id is empty",
                                row=int(row), key="id", expected=f"a {criteria.entrant.id}"))
    # the usual column, nothing to report: its least and greatest value tell, in two passes of
    # the block without a mask (a NaN is its minimum, and compares false); 20 columns of a
    # million rows: 2.6 against 19 ms for the masks of (x >= lo) & (x <= hi)
    block = frame[[i.key for i in criteria.indicators]].to_numpy(dtype="float64")
    least, greatest = block.min(axis=0), block.max(axis=0)
    for j, ind in enumerate(criteria.indicators):
        if (ind.range is not None and (ind.range[0] >= 0 or ind.normalize is not Normalize.RATIO)
                and least[j] >= ind.range[0] and greatest[j] <= ind.range[1]):
            continue
        x = block[:, j]
        missing = np.isnan(x)
        policy = criteria.missing_of(ind)
        severity = "error" if policy is Missing.ERROR else "warning"
        for row in np.flatnonzero(missing):
            problems.append(Problem(
                slug="missing-value", message=f"no value for '{ind.column}'"
                + ("" if policy is Missing.ERROR else f" (missing: {policy.value})"), row=int(row),
                key=ind.key, expected=_expected(ind.range), severity=severity))
        if ind.range is not None:
            lo, hi = ind.range
            with np.errstate(invalid="ignore"):
                bad = ~missing & ((x < lo) | (x > hi))
            for row in np.flatnonzero(bad):
                problems.append(Problem(
                    slug="out-of-range", message=f"'{ind.column}' is {_fmt(x[row])}",
                    row=int(row), key=ind.key, value=float(x[row]),
                    expected=_expected(ind.range)))
        if ind.normalize is Normalize.RATIO:
            with np.errstate(invalid="ignore"):
                neg = ~missing & (x < 0)
            for row in np.flatnonzero(neg):
                problems.append(Problem(
                    slug="negative-for-ratio",
                    message=f"'{ind.column}' is {_fmt(x[row])}, but ratio normalisation needs "
                            "values of 0 or more", row=int(row), key=ind.key, value=float(x[row]),
                    expected="a value ≥ 0",
                    hint=None if ind.direction is Direction.HIGHER else
                    "use normalize: goalpost or minmax for values that can be negative"))
    codes = codes or Codes.of(frame)
    ids, who = codes.entrants[0], codes.assessors
    problems += _duplicates(frame, ids, who)
    problems += _conflicts(frame, criteria, ids)
    problems += _too_few_assessors(frame, criteria, ids, who)
    if criteria.combine is Combine.STANDARDIZED and "assessor" in frame.columns:
        problems += _disconnected(frame)
    return problems


def _too_few_assessors(frame: pd.DataFrame, criteria: Criteria, ids: np.ndarray,
                       who: np.ndarray | None) -> list[Problem]:
    need = criteria.assessors.min_count
    if not need or who is None:
        return []
    counts = assessor_counts(ids, who, int(ids.max(initial=-1)) + 1)
    out = []
    for code in np.flatnonzero(counts < need):
        row = int(np.flatnonzero(ids == code)[0])
        eid = frame["id"].iat[row]
        out.append(Problem(slug="too-few-assessors", row=row, key="id", value=str(eid),
                           severity=criteria.assessors.below_min.value,
                           message=f"entrant '{eid}' was assessed by {counts[code]} assessor(s)",
                           expected=f"at least {need} (assessors.min_count)"))
    return out


def _disconnected(frame: pd.DataFrame) -> list[Problem]:
    from .design import components

    parts = components(frame)
    if len(parts) <= 1:
        return []
    listing = "; ".join(f"[{n + 1}] {c.describe()}" for n, c in enumerate(parts))
    return [Problem(slug="disconnected-design",
                    message=f"combine: standardized needs assessors whose entrants overlap, but "
                            f"the assessment falls into {len(parts)} groups that share no "
                            f"entrant: {listing}",
                    expected="one connected design (every team shares entrants with another)",
                    hint="z-scores from separate teams cannot be put on one scale; use mean, "
                         "median or trimmed_mean, or have teams assess some entrants in common")]


def _expected(rng: tuple[float, float] | None) -> str:
    return f"a number from {_fmt(rng[0])} to {_fmt(rng[1])}" if rng else "a number"


def _duplicates(frame: pd.DataFrame, ids: np.ndarray, who: np.ndarray | None) -> list[Problem]:
    with_assessor = who is not None
    who = who if who is not None else np.zeros(len(ids), np.intp)
    known = (ids >= 0) & (who >= 0)
    codes = ids.astype(np.int64) * (int(who.max(initial=0)) + 1) + who
    pairs = codes[known]
    if int(pairs.max(initial=0)) <= 4 * len(pairs) and not (np.bincount(pairs) > 1).any():
        return []  # codes dense enough to count (far fewer assessors than rows): no hashing
    pair = pd.Series(pairs, index=np.flatnonzero(known))
    dup = pair.duplicated(keep=False)
    if not dup.any():
        return []
    groups = [rows.to_numpy() for rows in pair[dup].groupby(pair[dup], sort=False).groups.values()]
    # the texts of the rows named, taken once: a column looked up per row took 40 µs (300,000
    # duplicates: 18 s)
    rows = np.concatenate(groups)
    id_of = dict(zip(rows.tolist(), frame["id"].iloc[rows].tolist(), strict=True))
    firsts = [int(g[0]) for g in groups]
    who_of = (dict(zip(firsts, frame["assessor"].iloc[firsts].tolist(), strict=True))
              if with_assessor else {})
    out = []
    for group, first in zip(groups, firsts, strict=True):
        by = f" by '{who_of[first]}'" if with_assessor else ""
        for row in group[1:].tolist():
            out.append(Problem(
                slug="duplicate-assessment", message=f"entrant '{id_of[row]}' is assessed twice{by}",
                row=row, key="id", value=str(id_of[row]),
                expected="one row per entrant and assessor", other_row=first,
                hint="remove one of the two rows, or give each its own assessor"))
    return out


def _conflicts(frame: pd.DataFrame, criteria: Criteria, ids: np.ndarray) -> list[Problem]:
    """Rows of one entrant that disagree with its first row on its name, group or category, in
    Arrow: a million rows need no hashing. When each entrant's rows come together (the usual
    file), each row is compared with the row before it: the first row of an entrant that differs
    from the one before is the first that differs from its first row, and no column is copied
    (a million-row take per column otherwise)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    known = ids >= 0
    if not known.any():
        return []
    n = len(ids)
    together = bool(known.all()) and bool((ids[1:] >= ids[:-1]).all())
    first = first_rows(ids)
    reference = None if together else pa.array(first[np.where(known, ids, 0)])
    out = []
    for role in ENTRANT_INFO:
        if role not in frame.columns:
            continue
        values = pa.array(frame[role].astype("string[pyarrow]"))
        if together:
            values, earlier = values.slice(1), values.slice(0, n - 1)
        else:
            earlier = pc.take(values, reference)
        same = pc.fill_null(pc.equal(values, earlier), False)
        same = pc.or_(same, pc.and_(pc.is_null(values), pc.is_null(earlier)))
        same = np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)
        if together:
            differ = np.zeros(n, dtype=bool)
            differ[1:] = (ids[1:] == ids[:-1]) & ~same
        else:
            differ = known & ~same
        rows = np.flatnonzero(differ)
        _, once = np.unique(ids[rows], return_index=True)  # per entrant its first such row
        column = getattr(criteria.entrant, role)
        for row in rows[once]:
            origin = int(first[ids[row]])
            val, was = frame[role].iat[row], frame[role].iat[origin]
            out.append(Problem(
                slug="conflicting-entrant",
                message=f"entrant '{frame['id'].iat[row]}' has {column} '{val}' here but '{was}' "
                        "in an earlier row", row=int(row), key=role, value=val,
                expected=f"the same {column} on every row of an entrant"))
    return out


SHEET_TOTAL = "sheet_total"
SAME_MARK_MIN_ENTRANTS = 3
TOTAL_TOLERANCE = 0.01


def suspicious(frame: pd.DataFrame, criteria: Criteria,
               codes: Codes | None = None) -> list[Problem]:
    """Legal but suspicious (warnings): an assessor who gave every entrant the same mark, an
    indicator with one value in every row, a committee total that disagrees with the marks."""
    out: list[Problem] = []
    if len(frame) < SAME_MARK_MIN_ENTRANTS:
        return out
    keys = [i.key for i in criteria.indicators]
    with_assessor = "assessor" in frame.columns
    codes = (codes or Codes.of(frame)) if with_assessor else None
    who = codes.assessors if codes is not None else None
    group, lo, hi, count = _extremes(frame[keys].to_numpy("float64"), who)
    everyone = count.sum(axis=0) == len(frame)
    overall_lo, overall_hi = np.fmin.reduce(lo, axis=0), np.fmax.reduce(hi, axis=0)
    constant = everyone & (overall_lo == overall_hi)
    for j, ind in enumerate(criteria.indicators):
        if constant[j]:
            out.append(Problem(slug="constant-column", severity="warning", row=0, key=ind.key,
                               message=f"'{ind.column}' is {overall_lo[j]:g} in every row",
                               hint="check that the column was filled in, not copied down"))
    if who is not None and codes is not None:
        names = codes.assessor_names
        same = (lo == hi) & (count >= SAME_MARK_MIN_ENTRANTS) & (group >= 0)[:, None]
        for j, ind in enumerate(criteria.indicators):
            if constant[j]:
                continue
            for g in np.flatnonzero(same[:, j]):
                code = int(group[g])
                rows = np.flatnonzero(who == code)
                out.append(Problem(
                    slug="same-mark", severity="warning", row=int(rows[0]), key=ind.key,
                    message=f"assessor '{names[code]}' gave all {len(rows)} entrants the same "
                            f"mark ({lo[g, j]:g}) for '{ind.column}'",
                    hint="check with the assessor that every entrant was really assessed"))
    if SHEET_TOTAL in frame.columns:
        out += _total_mismatch(frame, criteria)
    return out


def _extremes(values: np.ndarray, who: np.ndarray | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per assessor code (-1: none; all rows as one group without ``who``) and column: the
    codes, the smallest and largest mark and how many marks there are (NaN left out). One sort
    of the small integer codes; each column is then gathered once and reduced over runs."""
    if who is None:
        order, runs = None, np.zeros(1, dtype=np.intp)
        group = np.zeros(1, dtype=np.intp)
    else:
        narrow = who.astype(np.int32 if who.max(initial=0) >= 2**15 else np.int16)
        order = np.argsort(narrow, kind="stable")  # radix sort for 16-bit codes
        sorted_who = who[order]
        runs = np.flatnonzero(np.r_[True, sorted_who[1:] != sorted_who[:-1]])
        group = sorted_who[runs]
    shape = (len(runs), values.shape[1])
    lo, hi, count = np.empty(shape), np.empty(shape), np.empty(shape, dtype=np.int64)
    gaps = has_nan(values)  # usually none: every mark counts
    if not gaps:
        count[:] = np.diff(np.r_[runs, len(values)])[:, None]
    for j in range(values.shape[1]):
        x = values[:, j] if order is None else values[:, j][order]
        with np.errstate(invalid="ignore"):
            lo[:, j] = np.fmin.reduceat(x, runs)
            hi[:, j] = np.fmax.reduceat(x, runs)
        if gaps:
            count[:, j] = np.add.reduceat(~np.isnan(x), runs)
    return group, lo, hi, count


def _total_mismatch(frame: pd.DataFrame, criteria: Criteria) -> list[Problem]:
    total = frame[SHEET_TOTAL].to_numpy(dtype="float64")
    marks = frame[[i.key for i in criteria.indicators]].to_numpy().sum(axis=1)
    known = ~np.isnan(total) & ~np.isnan(marks)
    if not known.any():
        return []
    off = known & (np.abs(total - marks) > TOTAL_TOLERANCE)
    if off.sum() * 2 > known.sum():
        return [Problem(slug="total-not-sum", severity="warning", row=int(np.flatnonzero(known)[0]),
                        key=SHEET_TOTAL,
                        message="the sheet's own total column is not the sum of the marks in "
                                f"{int(off.sum())} of {int(known.sum())} rows; bantar ignores it "
                                "and computes its own scores")]
    return [Problem(slug="total-mismatch", severity="warning", row=int(r), key=SHEET_TOTAL,
                    value=float(total[r]),
                    message=f"the sheet's total is {total[r]:g} but the marks add up to "
                            f"{marks[r]:g}",
                    hint="a mark or the total was probably mistyped; bantar uses the marks")
            for r in np.flatnonzero(off)]
