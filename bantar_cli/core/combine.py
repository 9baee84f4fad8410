"""Step 1 of scoring: combine the assessors' raw values into one value per entrant and indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import Combine

ENTRANT_INFO = ("name", "group", "category")


def entrant_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer code per row and the entrant ids in order of first appearance."""
    codes, uniques = pd.factorize(ids, sort=False)
    return codes, pd.Index(uniques, name="id")


def combine(frame: pd.DataFrame, keys: list[str], method: Combine) -> pd.DataFrame:
    """One row per entrant (index ``id``, first-appearance order), one column per indicator key.

    ``mean`` and ``median`` are the usual ones; ``trimmed_mean`` drops the highest and the lowest
    value when an entrant has at least three, else it is the mean.
    """
    codes, ids = entrant_codes(frame["id"])
    values = frame[keys]
    grouped = values.groupby(codes, sort=True)
    if method is Combine.MEAN:
        out = grouped.mean()
    elif method is Combine.MEDIAN:
        out = grouped.median()
    elif method is Combine.TRIMMED_MEAN:
        out = trimmed_mean(grouped)
    else:  # pragma: no cover - the enum is closed
        raise ValueError(method)
    out.index = ids
    return out


def trimmed_mean(grouped: pd.api.typing.DataFrameGroupBy) -> pd.DataFrame:
    """(sum − max − min) / (n − 2) where n ≥ 3, else the plain mean."""
    n = grouped.count()
    total = grouped.sum()
    trimmed = (total - grouped.max() - grouped.min()) / (n - 2)
    return trimmed.where(n >= 3, total / n)


def entrant_info(frame: pd.DataFrame) -> pd.DataFrame:
    """Name, group and category of each entrant (first row wins) and how many rows it had."""
    codes, ids = entrant_codes(frame["id"])
    cols = [c for c in ENTRANT_INFO if c in frame.columns]
    first = np.unique(codes, return_index=True)[1]
    info = frame.iloc[first][cols].reset_index(drop=True)
    info.index = ids
    info["assessors"] = np.bincount(codes, minlength=len(ids))
    return info
