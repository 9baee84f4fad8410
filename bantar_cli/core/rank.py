"""Step 4 of scoring: competition ranks (1, 2, 2, 4), overall and within groups, of scores that
are already in order, highest first (one sort serves the order and both ranks)."""

from __future__ import annotations

import numpy as np

TIE_DECIMALS = 9


def ranks_in_order(rounded: np.ndarray) -> np.ndarray:
    """Competition ranks of scores sorted highest first: equal scores share the smaller rank.
    Round to ``TIE_DECIMALS`` first, so that float noise never splits a tie."""
    n = len(rounded)
    new = np.ones(n, dtype=bool)
    new[1:] = rounded[1:] != rounded[:-1]
    return np.maximum.accumulate(np.where(new, np.arange(1, n + 1), 0))


def group_ranks_in_order(rounded: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The competition rank of each score among those of its group (integer codes, -1 for
    none: rank 0), for scores sorted highest first."""
    order = np.argsort(groups, kind="stable")  # by group, still highest first within each
    g, x = groups[order], rounded[order]
    pos = np.arange(len(x))
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_score = new_group | np.r_[True, x[1:] != x[:-1]]
    ranks = np.empty(len(x), dtype="int64")
    ranks[order] = (np.maximum.accumulate(np.where(new_score, pos, 0))
                    - np.maximum.accumulate(np.where(new_group, pos, 0)) + 1)
    ranks[groups < 0] = 0
    return ranks
