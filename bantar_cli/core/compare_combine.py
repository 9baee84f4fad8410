"""Does the result hang on how assessors' marks were combined? Score again with each method and
compare the top of the ranking and every award with the criteria's own method."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ..errors import BantarError
from ..model import Combine, Criteria, Scores
from .awards import History, assign_awards
from .score import score

TOP = 10


@dataclass(frozen=True, slots=True)
class MethodComparison:
    method: str
    available: bool
    reason: str | None = None
    top_changes: list[dict[str, object]] = field(default_factory=list)  # id, rank, other rank
    award_changes: list[dict[str, object]] = field(default_factory=list)  # rule, lost, gained

    @property
    def top_unchanged(self) -> bool:
        return self.available and not self.top_changes

    @property
    def awards_unchanged(self) -> bool:
        return self.available and not self.award_changes


def _top(t: pd.DataFrame, n: int) -> dict[str, int]:
    head = t[t["rank"] <= n]
    return dict(zip(head["id"].astype(str), head["rank"].astype(int), strict=True))


def compare_combine(frame: pd.DataFrame, criteria: Criteria, base: Scores, *, top: int = TOP,
                    history: History | None = None) -> list[MethodComparison]:
    base_top = _top(base.table, top)
    base_ranks = dict(zip(base.table["id"].astype(str), base.table["rank"].astype(int),
                          strict=True))
    base_awards = assign_awards(base, history=history)
    out = []
    for method in Combine:
        if method is criteria.combine:
            continue
        other = replace(criteria, combine=method)
        try:
            alt = score(frame, other)
        except BantarError as exc:
            out.append(MethodComparison(method.value, False, str(exc).splitlines()[0]))
            continue
        alt_ranks = dict(zip(alt.table["id"].astype(str), alt.table["rank"].astype(int),
                             strict=True))
        alt_top = _top(alt.table, top)
        changes = [{"id": i, "rank": base_ranks.get(i), "rank_with_method": alt_ranks.get(i)}
                   for i in sorted(set(base_top) | set(alt_top),
                                   key=lambda i: (base_ranks.get(i, 10**9), i))
                   if base_ranks.get(i) != alt_ranks.get(i)]
        alt_awards = assign_awards(alt, history=history)
        award_changes = []
        for rule in (criteria.awards.rules if criteria.awards else ()):
            before = {(a.id, a.place, a.scope) for a in base_awards.items if a.rule == rule.key}
            after = {(a.id, a.place, a.scope) for a in alt_awards.items if a.rule == rule.key}
            if before != after:
                award_changes.append({"rule": rule.key,
                                      "lost": sorted({x[0] for x in before - after}),
                                      "gained": sorted({x[0] for x in after - before})})
        out.append(MethodComparison(method.value, True, None, changes, award_changes))
    return out
