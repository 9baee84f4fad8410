"""The scoring pipeline, in the contract's order: combine, normalise, weigh, rank.

Missing values follow each indicator's policy: ``zero`` counts r = 0; ``reweight`` leaves the
indicator out for that entrant and rescales the other weights of its pillar (a pillar with no
value left is left out of the total the same way). With ``coverage``, an entrant missing more
than that share of a pillar's weight is not ranked, and says why.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import BantarError
from ..model import Criteria, Missing, Scores
from .checks import check_assessment
from .combine import Codes, FirstRows, combine, entrant_codes, has_nan
from .normalize import normalize
from .rank import TIE_DECIMALS, group_ranks_in_order, highest_first, ranks_in_order

RESULT_COLUMNS = ("rank", "group_rank", "id", "name", "group", "category", "score")


def _weighted(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Σ w·v over the values present, Σ w over the values present), row by row.

    Added column by column, left to right, one rounding per multiply and per add: the same
    bits on every machine. A matrix product (``@``) hands this to BLAS, whose order of adds
    and use of fused multiply-adds depend on the processor and the number of threads; at a
    million rows two threads and one gave different last digits for a few totals."""
    num = np.zeros(len(values))
    den = np.zeros(len(values))
    whole = not has_nan(values)  # the usual case: the same adds without the masks
    for j, w in enumerate(weights.tolist()):
        column = values[:, j]
        if whole:
            num += column * w
            den += w
            continue
        present = ~np.isnan(column)
        num += np.where(present, column, 0.0) * w
        den += present * w
    return num, den


def pillar_scores(normalized: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """Step 3a: pillar score = scale × Σ w_i r_i / Σ w_i over the indicators an entrant has."""
    block = normalized.to_numpy()  # a view of the frame's one float block, usually
    at = {key: j for j, key in enumerate(normalized.columns)}
    out = {}
    for p in criteria.pillars:
        w = np.array([i.weight for i in p.indicators])
        cols = [at[i.key] for i in p.indicators]
        side_by_side = bool(cols) and cols == list(range(cols[0], cols[0] + len(cols)))
        num, den = _weighted(block[:, cols[0]:cols[-1] + 1] if side_by_side else block[:, cols], w)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[p.key] = np.where(den > 0, criteria.scale * num / den, np.nan)
    return pd.DataFrame(out, index=normalized.index)


def total_score(pillars: pd.DataFrame, criteria: Criteria) -> pd.Series:
    """Step 3b: total = Σ W_p · pillar_p / Σ W_p over the pillars an entrant has."""
    w = np.array([p.weight for p in criteria.pillars])
    num, den = _weighted(pillars[[p.key for p in criteria.pillars]].to_numpy(), w)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(den > 0, num / den, np.nan)
    return pd.Series(total, index=pillars.index, name="score")


def effective_shares(normalized: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """Each indicator's share of each entrant's total, after reweighting (rows sum to 1)."""
    present = normalized.notna()
    pw = pd.Series({p.key: p.weight for p in criteria.pillars})
    parts = {}
    pillar_present = {}
    for p in criteria.pillars:
        keys = [i.key for i in p.indicators]
        w = present[keys].astype("float64") * np.array([i.weight for i in p.indicators])
        total = w.sum(axis=1)
        parts[p.key] = w.div(total.where(total > 0), axis=0).fillna(0.0)
        pillar_present[p.key] = total > 0
    pp = pd.DataFrame(pillar_present).astype("float64") * pw
    pshare = pp.div(pp.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0.0)
    return pd.concat([parts[p.key].mul(pshare[p.key], axis=0) for p in criteria.pillars], axis=1)


def apply_missing(raw: pd.DataFrame, r: pd.DataFrame, criteria: Criteria) -> pd.DataFrame:
    """r with the ``zero`` policy applied; ``reweight`` values stay NaN for the weighing step.
    ``r`` is not modified (it is copied only when a value must change)."""
    if not has_nan(raw[[i.key for i in criteria.indicators]].to_numpy(dtype="float64")):
        return r
    copied = False
    for ind in criteria.indicators:
        policy = criteria.missing_of(ind)
        gone = raw[ind.key].isna()
        if not gone.any():
            continue
        if policy is Missing.ERROR:
            raise BantarError(f"'{ind.column}' has no value for {int(gone.sum())} entrant(s)",
                              code="missing-value",
                              hint="set missing: zero or reweight for this indicator")
        if policy is Missing.ZERO:
            if not copied:
                r, copied = r.copy(), True
            r.loc[gone, ind.key] = 0.0
    return r


def coverage_gaps(raw: pd.DataFrame, criteria: Criteria) -> pd.Series:
    """Why each entrant that misses too much of a pillar's weight is not ranked."""
    if criteria.coverage is None:
        return pd.Series(dtype="object")
    reasons: dict[object, list[str]] = {}
    for p in criteria.pillars:
        w = pd.Series({i.key: i.weight for i in p.indicators})
        share = (raw[w.index].isna().astype("float64") * w).sum(axis=1) / w.sum()
        label = p.label.get("en") or p.key
        for ident, s in share[share > criteria.coverage + 1e-12].items():
            reasons.setdefault(ident, []).append(
                f"misses {s:.0%} of the weight of pillar '{label}' (at most "
                f"{criteria.coverage:.0%} allowed)")
    return pd.Series({k: "; ".join(v) for k, v in reasons.items()}, dtype="object")


def best_first(rounded: np.ndarray, ids: Sequence[object]) -> np.ndarray:
    """Positions ordered by score, highest first, ties by id (sorting only the tied runs; only
    their ids are looked up, by position). Missing scores last, by position."""
    order = highest_first(rounded)
    s = rounded[order]
    tied = np.flatnonzero(s[1:] == s[:-1])
    if len(tied):
        starts = tied[np.r_[True, np.diff(tied) > 1]]
        for start in starts:
            end = start + 1
            while end + 1 < len(s) and s[end + 1] == s[start]:
                end += 1
            run = order[start:end + 1]
            id_text = np.array([str(ids[i]) for i in run], dtype=object)
            order[start:end + 1] = run[np.argsort(id_text, kind="stable")]
    return order


def score(frame: pd.DataFrame, criteria: Criteria, *, check: bool = True,
          codes: Codes | None = None) -> Scores:
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
    entrants = codes.entrants if codes is not None else entrant_codes(frame["id"])
    from concurrent.futures import ThreadPoolExecutor

    # the entrants' first rows need no score: taken on a second thread while the scores are
    # worked out (both mostly numpy and Arrow, which release the GIL; 0.55-0.58 s instead of
    # 0.63-0.67 s for checks and scoring side by side at a million rows)
    with ThreadPoolExecutor(1, thread_name_prefix="bantar-first-rows") as pool:
        firsts = pool.submit(FirstRows.of, frame, entrants)
        raw = combine(frame, keys, criteria.combine,
                      {i.key: i.range for i in criteria.indicators}, entrants)
        del frame, codes  # done with the rows: a caller that let go of them frees them now
        r = apply_missing(raw, normalize(raw, criteria), criteria)
        pillars = pillar_scores(r, criteria)
        total = total_score(pillars, criteria).to_numpy()
        gaps = coverage_gaps(raw, criteria)
        gone = raw.index.get_indexer(gaps.index) if len(gaps) else np.zeros(0, dtype=np.intp)
        kept = np.delete(np.arange(len(raw)), gone)
        rounded = total[kept].round(TIE_DECIMALS)
        ids = raw.index.array
        order = best_first(rounded, ids.take(kept) if len(gone) else ids)
        first = firsts.result()
    at = kept[order]  # entrant positions, best first: every column is taken once, in this order
    info, unranked = first.at(at), first.at(gone)
    groups = pd.factorize(info["group"])[0] if "group" in info.columns else np.full(len(at), -1)
    table = pd.DataFrame({
        "rank": ranks_in_order(rounded[order]),
        "group_rank": pd.arrays.IntegerArray(group_ranks_in_order(rounded[order], groups),
                                             groups < 0),
        "id": info.index.array})  # the ids at ``at``, taken once by FirstRows.at
    for col in ("name", "group", "category"):
        table[col] = info[col].array if col in info.columns else None
    table["score"] = total[at]
    for p in criteria.pillars:
        table[p.key] = pillars[p.key].to_numpy()[at]
    table["assessors"] = info["assessors"].to_numpy()
    table = table[[*RESULT_COLUMNS, *(p.key for p in criteria.pillars), "assessors"]]
    unranked = unranked.reset_index()
    unranked = unranked.reindex(columns=["id", "name", "group"]).assign(reason=gaps.to_numpy())
    missing = raw.isna()
    shares = effective_shares(r, criteria) if missing.to_numpy().any() else None
    return Scores(criteria=criteria, table=table, raw=raw, normalized=r,
                  weights=criteria.effective_weights(), shares=shares, unranked=unranked)
