"""The scoring pipeline, in the contract's order: combine, normalise, weigh, rank."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import BantarError
from ..model import Criteria, Scores
from .checks import check_assessment
from .combine import combine, entrant_info
from .normalize import normalize
from .rank import TIE_DECIMALS, competition_rank, rank_within

RESULT_COLUMNS = ("rank", "group_rank", "id", "name", "group", "category", "score")


def pillar_scores(normalized: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """Step 3a: pillar score = scale × Σ w_i r_i / Σ w_i, per entrant and pillar."""
    out = {}
    for p in criteria.pillars:
        w = np.array([i.weight for i in p.indicators])
        r = normalized[[i.key for i in p.indicators]].to_numpy()
        out[p.key] = criteria.scale * (r @ w) / w.sum()
    return pd.DataFrame(out, index=normalized.index)


def total_score(pillars: pd.DataFrame, criteria: Criteria) -> pd.Series:
    """Step 3b: total = Σ W_p · pillar_p / Σ W_p."""
    w = np.array([p.weight for p in criteria.pillars])
    return pd.Series(pillars[[p.key for p in criteria.pillars]].to_numpy() @ w / w.sum(),
                     index=pillars.index, name="score")


def score(frame: pd.DataFrame, criteria: Criteria, *, check: bool = True) -> Scores:
    """Score an assessment: one row per assessor and entrant in, ranked entrants out.

    ``frame`` has a text column ``id``, optionally ``name``, ``group``, ``category`` and
    ``assessor``, and one numeric column per indicator key. It is not modified.

    Raises:
        BantarError: the frame has problems (missing or out-of-range values, duplicates);
            they are listed in ``.problems`` with their frame row and key.
    """
    if check:
        problems = check_assessment(frame, criteria)
        if any(p.severity == "error" for p in problems):
            raise BantarError.from_problems(problems)
    keys = [i.key for i in criteria.indicators]
    raw = combine(frame, keys, criteria.combine)
    r = normalize(raw, criteria)
    pillars = pillar_scores(r, criteria)
    total = total_score(pillars, criteria)
    info = entrant_info(frame)
    table = pd.DataFrame({"id": raw.index.to_numpy()}, index=raw.index)
    for col in ("name", "group", "category"):
        table[col] = info[col] if col in info.columns else None
    table["score"] = total
    table = pd.concat([table, pillars], axis=1)
    table["assessors"] = info["assessors"]
    table["rank"] = competition_rank(total)
    table["group_rank"] = (rank_within(total, table["group"]) if "group" in info.columns
                           else pd.Series(pd.NA, index=table.index, dtype="Int64"))
    order = np.lexsort((table["id"].astype(str).to_numpy(),
                        -total.round(TIE_DECIMALS).to_numpy()))
    table = table.iloc[order]
    cols = [*RESULT_COLUMNS, *(p.key for p in criteria.pillars), "assessors"]
    table = table[cols].reset_index(drop=True)
    return Scores(criteria=criteria, table=table, raw=raw, normalized=r,
                  weights=criteria.effective_weights())
