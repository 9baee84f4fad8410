"""Entrant ids found among others by position, hashed by Arrow once.

pandas' ``.loc`` with Arrow-backed text ids rehashed the index, and checked it was unique, at
every lookup (a million-row ``diff`` spent 1 of its 2.2 s so); a Python dict of ids makes an
object of each.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def _text(ids: pd.Series | pd.Index | Sequence[str]):
    import pyarrow as pa

    if isinstance(ids, pd.Series | pd.Index):
        return pa.array(pd.Series(ids).astype("string[pyarrow]")).cast(pa.large_string())
    return pa.array(list(ids), pa.large_string())


def positions(ids: pd.Series | pd.Index | Sequence[str],
              among: pd.Series | pd.Index | Sequence[str]) -> np.ndarray:
    """The position of each of ``ids`` in ``among``, -1 where it is not there (the first, should
    ``among`` hold an id twice). Arrow hashes the shorter side: ``ids`` (their distinct values)
    when there are fewer of them (a few thousand winners among a national table's ids), else
    ``among``."""
    import pyarrow.compute as pc

    wanted, table = _text(ids), _text(among)
    if len(wanted) >= len(table):
        return _filled(pc.index_in(wanted, value_set=table))
    distinct = pc.unique(wanted)
    where = _filled(pc.index_in(table, value_set=distinct))
    hit = np.flatnonzero(where >= 0)[::-1]  # written last to first: the first one stays
    row_of = np.full(len(distinct), -1, dtype=np.intp)
    row_of[where[hit]] = hit
    return row_of[_filled(pc.index_in(wanted, value_set=distinct))]


def _filled(found) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.intp)
