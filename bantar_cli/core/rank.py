"""Step 4 of scoring: competition ranks (1, 2, 2, 4), overall and within groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

TIE_DECIMALS = 9


def competition_rank(scores: pd.Series, decimals: int = TIE_DECIMALS) -> pd.Series:
    """Highest first; equal scores (after rounding to ``decimals``) share the smaller rank."""
    return scores.round(decimals).rank(method="min", ascending=False).astype("int64")


def rank_within(scores: pd.Series, groups: pd.Series, decimals: int = TIE_DECIMALS) -> pd.Series:
    """Competition rank of each score among those of its group; none without a group."""
    rounded = scores.round(decimals).to_numpy("float64")
    group, _ = pd.factorize(groups)  # -1: no group
    order = np.lexsort((-rounded, group))  # by group, then highest first
    g, x = group[order], rounded[order]
    pos = np.arange(len(x))
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_score = new_group | np.r_[True, x[1:] != x[:-1]]
    ranks = np.empty(len(x), dtype="int64")
    ranks[order] = (np.maximum.accumulate(np.where(new_score, pos, 0))
                    - np.maximum.accumulate(np.where(new_group, pos, 0)) + 1)
    return pd.Series(ranks, index=scores.index, dtype="Int64").mask(group < 0)
