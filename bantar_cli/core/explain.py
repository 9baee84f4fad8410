"""Why an entrant has its rank, and what would raise it. Pure: Scores in, a dataclass out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import BantarError
from ..model import AwardKind, Awards, Direction, Normalize, Scores

IMPROVEMENTS = 3


@dataclass(frozen=True, slots=True)
class Explanation:
    id: str
    name: str | None
    group: str | None
    rank: int
    score: float
    pillars: dict[str, float]
    indicators: list[dict[str, object]]  # key, pillar, raw, normalized, weight, contribution, lost
    lost: list[dict[str, object]]  # points lost against a perfect score, largest first
    gaps: dict[str, object] = field(default_factory=dict)
    improvements: list[dict[str, object]] = field(default_factory=list)
    awards: list[str] = field(default_factory=list)


class Explainer:
    """Explains many entrants of one result, computing what they share only once: the table's
    columns as lists, each entrant's awards and each award's bar, so that explaining everyone
    costs time in proportion to the entrants (``explain --all``)."""

    def __init__(self, scores: Scores, awards: Awards | None = None) -> None:
        self.scores = scores
        self.awards = awards
        c = scores.criteria
        self.keys = [i.key for i in c.indicators]
        order = scores.raw.index.astype(str)
        self.pos = {ident: n for n, ident in enumerate(order)}
        self.raw = scores.raw[self.keys].to_numpy()
        self.norm = scores.normalized[self.keys].to_numpy()
        self.points = scores.points()[self.keys].to_numpy()
        self.shares = (scores.shares[self.keys].to_numpy() if scores.shares is not None else
                       np.tile([scores.weights[k] for k in self.keys], (len(order), 1)))
        t = scores.table
        self.ids = t["id"].astype(str).tolist()
        self.row = {ident: n for n, ident in enumerate(self.ids)}  # position in the table
        self.score = t["score"].to_numpy(dtype="float64")
        self.rank = t["rank"].to_numpy()
        self.text = {col: [None if pd.isna(v) else v for v in t[col].tolist()]
                     for col in ("name", "group", "category")}
        self.pillar = {p.key: t[p.key].to_numpy(dtype="float64") for p in c.pillars}
        self.leaders: dict[object, int] = {}  # group -> its best row (the table is best first)
        for n, g in enumerate(self.text["group"]):
            if g is not None:
                self.leaders.setdefault(g, n)
        self.sorted_scores = -t["score"].round(9).to_numpy()
        self.held: dict[str, list] = {}
        # award rule -> scope -> the lowest score that holds it (for places: the last place)
        self.bars: dict[str, dict[str | None, float]] = {}
        if awards is not None:
            for a in awards.items:
                self.held.setdefault(a.id, []).append(a)
                if a.id in self.row:
                    bar = self.bars.setdefault(a.rule, {})
                    score = float(self.score[self.row[a.id]])
                    bar[a.scope] = min(bar.get(a.scope, score), score)
        self.spans = []
        for n, ind in enumerate(c.indicators):
            x = self.raw[:, n]
            if ind.normalize is Normalize.GOALPOST and ind.range:
                self.spans.append(ind.range[1] - ind.range[0])
            elif ind.normalize is Normalize.MINMAX:
                self.spans.append(float(np.nanmax(x) - np.nanmin(x)))
            elif ind.direction is Direction.HIGHER:
                self.spans.append(float(np.nanmax(x)))
            else:
                self.spans.append(None)  # ratio, lower: depends on the entrant's own value

    def gain_per_unit(self, n: int, row: int) -> float:
        """Points one more raw unit (one less, for 'lower') of indicator ``n`` would add, until
        r reaches 1."""
        span = self.spans[n]
        if span is None:
            span = float(self.raw[row, n])
        if not span or span <= 0 or span != span:
            return 0.0
        r = float(self.norm[row, n])
        step = min(1.0 / span, max(0.0, 1.0 - r)) if r == r else 1.0 / span
        return step * float(self.shares[row, n]) * self.scores.criteria.scale

    def explain(self, ident: str, *, lang: str = "id") -> Explanation:
        return explain(self.scores, ident, self.awards, lang=lang, helper=self)


def explain(scores: Scores, ident: str, awards: Awards | None = None, *, lang: str = "id",
            helper: Explainer | None = None) -> Explanation:
    """Raises: BantarError when ``ident`` is not ranked (the hint names close ids)."""
    h = helper or Explainer(scores, awards)
    if ident not in h.row:
        import difflib

        unranked = scores.unranked
        if unranked is not None and ident in set(unranked["id"].astype(str)):
            reason = unranked.loc[unranked["id"].astype(str) == ident, "reason"].iat[0]
            raise BantarError(f"entrant '{ident}' is not ranked: {reason}", code="unranked")
        near = difflib.get_close_matches(ident, h.ids, n=3, cutoff=0.6)
        raise BantarError(f"no entrant has the id '{ident}'", code="unknown-id",
                          hint=("did you mean " + ", ".join(near) + "?") if near else None)
    row = h.row[ident]
    c = scores.criteria
    at = h.pos[ident]
    pillar_of = c.pillar_of()
    indicators = []
    for n, ind in enumerate(c.indicators):
        share, contribution = float(h.shares[at, n]), float(h.points[at, n])
        raw, r = float(h.raw[at, n]), float(h.norm[at, n])
        indicators.append({
            "key": ind.key, "pillar": pillar_of[ind.key], "label": ind.title(lang),
            "raw": None if raw != raw else raw, "normalized": None if r != r else r,
            "weight": share, "contribution": contribution,
            "lost": share * c.scale - contribution})
    lost = sorted(({"key": i["key"], "label": i["label"], "points": i["lost"]}
                   for i in indicators if i["lost"] > 1e-12), key=lambda d: -d["points"])
    score = float(h.score[row])
    gaps: dict[str, object] = {}
    position = int(np.searchsorted(h.sorted_scores, -round(score, 9), "left"))
    if position > 0:
        nxt = position - 1
        gaps["next_rank"] = {"rank": int(h.rank[nxt]), "id": h.ids[nxt],
                             "points": float(h.score[nxt] - score)}
    group = h.text["group"][row]
    if group is not None:
        leader = h.leaders[group]
        gaps["group_leader"] = {"id": h.ids[leader], "points": float(h.score[leader] - score)}
    nxt_award = _next_award(h, row)
    if nxt_award:
        gaps["next_award"] = nxt_award
    gains = sorted(((n, h.gain_per_unit(n, at)) for n in range(len(h.keys))),
                   key=lambda kv: -kv[1])
    inds = c.indicators
    improvements = [{"key": inds[n].key, "label": inds[n].title(lang), "points_per_unit": g,
                     "direction": inds[n].direction.value}
                    for n, g in gains[:IMPROVEMENTS] if g > 0]
    won = [a.name(lang) for a in h.held.get(ident, [])]
    return Explanation(id=ident, name=h.text["name"][row], group=group, rank=int(h.rank[row]),
                       score=score, pillars={k: float(v[row]) for k, v in h.pillar.items()},
                       indicators=indicators, lost=lost, gaps=gaps, improvements=improvements,
                       awards=won)


def _next_award(h: Explainer, row: int) -> dict[str, object] | None:
    """The closest award the entrant at table row ``row`` does not hold yet: a designation's
    bar, or the last place of its group or of the whole field."""
    rules = h.scores.criteria.awards
    if rules is None or h.awards is None:
        return None
    score = float(h.score[row])
    held = {a.rule for a in h.held.get(h.ids[row], [])}
    options = []
    for rule in rules.rules:
        if rule.key in held:
            continue
        if rule.kind is AwardKind.DESIGNATION and rule.min_score is not None:
            need = max(rule.min_score - score, 0.0)
            short = [p for p, m in rule.min_pillars.items() if float(h.pillar[p][row]) < m]
            options.append({"award": rule.name("id"), "rule": rule.key, "points": need,
                            "pillars_below_minimum": short})
        elif rule.kind is AwardKind.PLACES and rule.places:
            col = {"group": "group", "category": "category"}.get(rule.within.value)
            scope = None if col is None else h.text[col][row]
            # scoped places have text scopes: an entrant without a group finds none
            last = h.bars.get(rule.key, {}).get(None if scope is None else str(scope))
            if last is not None:
                options.append({"award": rule.name("id"), "rule": rule.key,
                                "points": max(last - score, 0.0)})
    options = [o for o in options if o["points"] > 0 or o.get("pillars_below_minimum")]
    return min(options, key=lambda o: o["points"]) if options else None
