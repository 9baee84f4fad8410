"""Rank correlations between two years, without scipy: Spearman's rho and Kendall's tau-b."""

from __future__ import annotations

import numpy as np
import pandas as pd


def spearman(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson correlation of the average ranks; None with fewer than 2 pairs or no spread."""
    if len(x) < 2:
        return None
    rx = pd.Series(x).rank(method="average").to_numpy()
    ry = pd.Series(y).rank(method="average").to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return None
    return float(np.corrcoef(rx, ry)[0, 1])


def _count_swaps(values: np.ndarray) -> int:
    """Inversions in ``values`` (pairs i < j with values[i] > values[j]): a bottom-up merge sort
    whose every level is a few whole-array numpy calls. At each level the values are sorted
    within blocks of ``width``; each right half counts the left-half values above it, then each
    pair of halves is merged by one sort of (block, value) keys."""
    n = len(values)
    if n < 2:
        return 0
    v = np.unique(values, return_inverse=True)[1].astype(np.int64).ravel()  # dense ranks
    at = np.arange(n, dtype=np.int64)
    swaps = 0
    width = 1
    while width < n:
        block = at // (2 * width)
        right = (at // width) % 2 == 1
        left_keys = block[~right] * n + v[~right]  # ascending: blocks in order, halves sorted
        rb = block[right]
        start = np.searchsorted(left_keys, rb * n)
        below = np.searchsorted(left_keys, rb * n + v[right], side="right") - start
        size = np.searchsorted(left_keys, (rb + 1) * n) - start
        swaps += int((size - below).sum())
        keys = np.sort(block * n + v)  # merge: each block keeps its size, so its place
        v = keys - block * n
        width *= 2
    return swaps


def _tied_pairs(values: np.ndarray) -> int:
    _, counts = np.unique(values, return_counts=True)
    return int((counts * (counts - 1) // 2).sum())


def kendall_tau_b(x: np.ndarray, y: np.ndarray) -> float | None:
    """Kendall's tau-b in O(n log n) (Knight's algorithm); None when undefined."""
    n = len(x)
    if n < 2:
        return None
    order = np.lexsort((y, x))
    xs, ys = np.asarray(x)[order], np.asarray(y)[order]
    pairs = n * (n - 1) // 2
    tx = _tied_pairs(xs)
    ty = _tied_pairs(ys)
    # pairs tied in both x and y
    joint = pd.DataFrame({"x": xs, "y": ys}).value_counts().to_numpy()
    txy = int((joint * (joint - 1) // 2).sum())
    swaps = _count_swaps(ys)
    concordant_minus_discordant = pairs - tx - ty + txy - 2 * swaps
    denom = np.sqrt(float(pairs - tx) * float(pairs - ty))
    return None if denom == 0 else float(concordant_minus_discordant / denom)
