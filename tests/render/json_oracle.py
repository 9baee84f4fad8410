"""The plain way to build ``score --format json``: one dict per result, then ``json.dumps``.

It is too slow for a national assessment (seconds per 100,000 entrants), so bantar writes the
document column by column (``render/json_columns.py``); the tests hold that writer to this one.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from bantar_cli.model import Awards, InputInfo, Scores
from bantar_cli.render.formats import _texts, criteria_info, inputs_info


def _nums(values: list[object]) -> list[float | None]:
    return [None if v is None or v != v else float(v) for v in values]  # type: ignore[arg-type]


def _ints(values: list[object]) -> list[int | None]:
    return [None if v is None or v is pd.NA or v != v else int(v) for v in values]  # type: ignore[call-overload]


def result_records(scores: Scores) -> list[dict[str, object]]:
    t = scores.table
    pillar_keys = [p.key for p in scores.criteria.pillars]
    pillars = [dict(zip(pillar_keys, row, strict=True))
               for row in zip(*(_nums(t[k].tolist()) for k in pillar_keys), strict=True)]
    columns = zip(_ints(t["rank"].tolist()), _texts(t["id"].tolist()), _texts(t["name"].tolist()),
                  _texts(t["group"].tolist()), _texts(t["category"].tolist()),
                  _nums(t["score"].tolist()), pillars, _ints(t["group_rank"].tolist()),
                  _ints(t["assessors"].tolist()), strict=True)
    return [{"rank": rank, "id": ident, "name": name, "group": group, "category": category,
             "score": score, "pillars": pill, "group_rank": group_rank, "assessors": assessors}
            for rank, ident, name, group, category, score, pill, group_rank, assessors in columns]


def score_document(scores: Scores, inputs: Sequence[InputInfo], awards: Awards | None = None, *,
                   lang: str = "id", sensitivity: object = None) -> dict[str, object]:
    results = result_records(scores)
    doc: dict[str, object] = {"criteria": criteria_info(scores.criteria),
                              "inputs": inputs_info(inputs), "results": results}
    missing = scores.missing()
    if missing:
        for r in results:
            got = missing.get(r["id"])  # type: ignore[arg-type]
            if got:
                r["missing"] = [{"key": k, "action": a} for k, a in got]
    if scores.unranked is not None and len(scores.unranked):
        doc["unranked"] = [{"id": _texts([u["id"]])[0], "name": _texts([u["name"]])[0],
                            "group": _texts([u["group"]])[0], "reason": u["reason"],
                            "missing": [{"key": k, "action": a}
                                        for k, a in missing.get(str(u["id"]), [])]}
                           for u in scores.unranked.to_dict("records")]
    if awards is not None and scores.criteria.awards is not None:
        names: dict[str, list[str]] = {}  # the plain way, award by award
        for a in awards.items:
            scoped = f" ({a.scope})" if a.place is not None and a.scope else ""
            names.setdefault(a.id, []).append(a.name(lang) + scoped)
        streaks: dict[str, dict[str, int]] = {}
        for (rule, ident), years in awards.streaks.items():
            streaks.setdefault(ident, {})[rule] = years
        for r in results:
            r["award"] = names.get(r["id"], [])  # type: ignore[arg-type]
            r["streak"] = streaks.get(r["id"], {})  # type: ignore[arg-type]
        doc["awards"] = [{"award": a.name(lang), "rule": a.rule, "place": a.place,
                          "scope": a.scope, "id": a.id, "prize": a.prize,
                          "tied_with": list(a.tied_with), "tied_count": a.tied_count,
                          "tie_broken_by": a.broken_by}
                         for a in awards.items]
        doc["award_totals"] = {"awarded": awards.total, "budget": awards.budget,
                               "over_budget": awards.over_budget}
    if sensitivity is not None:
        s = sensitivity
        for n, r in enumerate(results):
            r["sensitivity"] = {"median": int(s.median[n]), "p05": int(s.p05[n]),  # type: ignore[attr-defined]
                                "p95": int(s.p95[n])}  # type: ignore[attr-defined]
        doc["sensitivity"] = {"runs": s.runs, "seed": s.seed, "weight_spread": s.spread,  # type: ignore[attr-defined]
                              "methods": list(s.methods)}  # type: ignore[attr-defined]
        if "awards" in doc:
            for item, share in zip(doc["awards"], s.award_share, strict=True):  # type: ignore[attr-defined,arg-type]
                item["stability"] = None if share != share else share  # type: ignore[index]
    return doc
