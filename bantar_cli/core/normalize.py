"""Step 2 of scoring: normalise each indicator to r in [0, 1], across entrants.

The formulas are small unchecked functions; ``normalize`` applies them per indicator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import Criteria, Direction, Indicator, Normalize


def goalpost(x: pd.Series, lo: float, hi: float, direction: Direction) -> pd.Series:
    """r = (x − lo)/(hi − lo) for higher; (hi − x)/(hi − lo) for lower."""
    span = hi - lo
    return (x - lo) / span if direction is Direction.HIGHER else (hi - x) / span


EQUAL = 1e-9  # relative: values this close are equal (float noise must not spread to 0..1)


def minmax(x: pd.Series, direction: Direction) -> pd.Series:
    """Goalpost with lo, hi = the smallest and largest value among entrants; all equal: r = 1."""
    lo, hi = float(x.min()), float(x.max())
    if hi - lo <= EQUAL * max(1.0, abs(hi), abs(lo)):
        return pd.Series(1.0, index=x.index).where(x.notna())
    return goalpost(x, lo, hi, direction)


def ratio(x: pd.Series, direction: Direction) -> pd.Series:
    """Classic SAW: r = x / max for higher; r = min / x for lower.

    Edge cases the textbook formula leaves open: when max is 0 (nobody has any of a good
    thing) every r is 0; for lower, an entrant at x = 0 is the best possible and gets r = 1.
    """
    if direction is Direction.HIGHER:
        top = float(x.max())
        return pd.Series(0.0, index=x.index) if top == 0 else x / top
    low = float(x.min())
    with np.errstate(divide="ignore", invalid="ignore"):
        r = low / x
    return r.where(x != 0, 1.0)


def normalize_one(x: pd.Series, ind: Indicator) -> pd.Series:
    if ind.normalize is Normalize.GOALPOST:
        assert ind.range is not None  # the criteria loader guarantees it
        return goalpost(x, ind.range[0], ind.range[1], ind.direction)
    if ind.normalize is Normalize.MINMAX:
        return minmax(x, ind.direction)
    return ratio(x, ind.direction)


def normalize(raw: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """r for every entrant (rows) and indicator (columns), same shape as ``raw``; each column
    written into one float block as it is worked out (a frame built from the columns would
    hold them all twice while it copied them into its block). Goalpost, the usual kind, is
    worked in numpy straight into the block, by the same two operations as ``goalpost``: no
    Series per step (at a million rows, the scoring waits less for the GIL beside the checks)."""
    block = np.empty((len(raw), len(criteria.indicators)), order="F")  # as a frame holds it
    values = raw[[i.key for i in criteria.indicators]].to_numpy(dtype="float64")
    for j, ind in enumerate(criteria.indicators):
        if ind.normalize is Normalize.GOALPOST:  # goalpost in numpy, written in place
            assert ind.range is not None  # the criteria loader guarantees it
            lo, hi = ind.range
            out = block[:, j]
            if ind.direction is Direction.HIGHER:
                np.subtract(values[:, j], lo, out=out)
            else:
                np.subtract(hi, values[:, j], out=out)
            np.divide(out, hi - lo, out=out)
            continue
        block[:, j] = normalize_one(raw[ind.key], ind).to_numpy("float64")
    return pd.DataFrame(block, index=raw.index, columns=[i.key for i in criteria.indicators],
                        copy=False)
