"""Step 4 of scoring: competition ranks (1, 2, 2, 4), overall and within groups."""

from __future__ import annotations

import pandas as pd

TIE_DECIMALS = 9


def competition_rank(scores: pd.Series, decimals: int = TIE_DECIMALS) -> pd.Series:
    """Highest first; equal scores (after rounding to ``decimals``) share the smaller rank."""
    return scores.round(decimals).rank(method="min", ascending=False).astype("int64")


def rank_within(scores: pd.Series, groups: pd.Series, decimals: int = TIE_DECIMALS) -> pd.Series:
    """Competition rank of each score among those of its group."""
    rounded = scores.round(decimals)
    return rounded.groupby(groups.to_numpy(), sort=False).rank(
        method="min", ascending=False).astype("int64")
