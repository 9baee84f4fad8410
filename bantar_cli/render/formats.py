"""``--format json`` and ``--format csv``: the contract's machine-readable results."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import pandas as pd

from ..model import Awards, Criteria, InputInfo, Scores

_NA = pd.NA

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that a spreadsheet must not read as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _nums(values: list[object]) -> list[float | None]:
    return [None if v is None or v != v else float(v) for v in values]  # type: ignore[arg-type]


def _texts(values: list[object]) -> list[str | None]:
    return [None if v is None or v is _NA or v != v else str(v) for v in values]


def _ints(values: list[object]) -> list[int | None]:
    return [None if v is None or v is _NA or v != v else int(v) for v in values]  # type: ignore[call-overload]


def criteria_info(criteria: Criteria) -> dict[str, object]:
    """Name, version and SHA-256 (the contract), plus the definition as applied, so that a saved
    result can be compared with another year's (``bantar diff``)."""
    shares = criteria.effective_weights()
    pillar_share = criteria.pillar_shares()
    return {"name": criteria.name, "version": criteria.version, "sha256": criteria.sha256,
            "source": criteria.source, "scale": criteria.scale,
            "pillars": [{"key": p.key, "weight": p.weight, "share": pillar_share[p.key]}
                        for p in criteria.pillars],
            "indicators": [{"key": i.key, "pillar": p.key, "column": i.column, "weight": i.weight,
                            "share": shares[i.key], "direction": i.direction.value,
                            "normalize": i.normalize.value,
                            "range": list(i.range) if i.range else None}
                           for p in criteria.pillars for i in p.indicators]}


def inputs_info(inputs: Sequence[InputInfo]) -> list[dict[str, object]]:
    return [{"path": i.path, "sha256": i.sha256, "rows": i.rows} for i in inputs]


def result_records(scores: Scores) -> list[dict[str, object]]:
    """One dict per entrant, best first, as the contract's ``results``."""
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


def award_names(awards: Awards, lang: str) -> dict[str, list[str]]:
    """Entrant id -> the names of its awards ('Juara I (Telanaipura)')."""
    out: dict[str, list[str]] = {}
    for a in awards.items:
        scoped = f" ({a.scope})" if a.place is not None and a.scope else ""
        out.setdefault(a.id, []).append(a.name(lang) + scoped)
    return out


def award_records(awards: Awards, lang: str) -> list[dict[str, object]]:
    return [{"award": a.name(lang), "rule": a.rule, "place": a.place, "scope": a.scope,
             "id": a.id, "prize": a.prize, "tied_with": list(a.tied_with),
             "tie_broken_by": a.broken_by} for a in awards.items]


def score_document(scores: Scores, inputs: Sequence[InputInfo], awards: Awards | None = None, *,
                   lang: str = "id", sensitivity: object = None) -> dict[str, object]:
    """The contract's ``score --format json``; with award rules, also ``awards`` and each
    result's ``award`` (a list of award names, empty for none)."""
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
        names = award_names(awards, lang)
        streaks: dict[str, dict[str, int]] = {}
        for (rule, ident), years in awards.streaks.items():
            streaks.setdefault(ident, {})[rule] = years
        for r in results:
            r["award"] = names.get(r["id"], [])  # type: ignore[arg-type]
            r["streak"] = streaks.get(r["id"], {})  # type: ignore[arg-type]
        doc["awards"] = award_records(awards, lang)
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


def to_json(document: dict[str, object], *, pretty: bool = False) -> str:
    """Compact by default (one line, the fast C encoder); indented for a person at a terminal."""
    if pretty:
        return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def score_csv(scores: Scores, awards: Awards | None = None, *, lang: str = "id") -> str:
    """The same fields as the JSON results, flat: pillar scores as columns named by key, awards
    joined with '; '."""
    pillar_keys = [p.key for p in scores.criteria.pillars]
    with_awards = awards is not None and scores.criteria.awards is not None
    names = award_names(awards, lang) if with_awards else {}  # type: ignore[arg-type]
    header = ["rank", "group_rank", "id", "name", "group", "category", "score", *pillar_keys,
              "assessors", *(["award"] if with_awards else [])]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in result_records(scores):
        row = [r["rank"], r["group_rank"], r["id"], r["name"], r["group"], r["category"],
               r["score"], *(r["pillars"][k] for k in pillar_keys), r["assessors"]]  # type: ignore[index]
        if with_awards:
            row.append("; ".join(names.get(r["id"], [])))  # type: ignore[arg-type]
        w.writerow(["" if v is None else safe_text(v) if isinstance(v, str) else v for v in row])
    return buf.getvalue()
