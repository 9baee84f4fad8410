"""``--format json`` and ``--format csv``: the contract's machine-readable results."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence

from ..model import Criteria, InputInfo, Scores

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that a spreadsheet must not read as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _num(x: object) -> float | None:
    if x is None:
        return None
    f = float(x)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


def _text(x: object) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    try:
        import pandas as pd

        if x is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return str(x)


def criteria_info(criteria: Criteria) -> dict[str, object]:
    return {"name": criteria.name, "version": criteria.version, "sha256": criteria.sha256,
            "source": criteria.source}


def inputs_info(inputs: Sequence[InputInfo]) -> list[dict[str, object]]:
    return [{"path": i.path, "sha256": i.sha256, "rows": i.rows} for i in inputs]


def result_records(scores: Scores) -> list[dict[str, object]]:
    """One dict per entrant, best first, as the contract's ``results``."""
    t = scores.table
    pillar_keys = [p.key for p in scores.criteria.pillars]
    cols = {c: t[c].tolist() for c in t.columns}
    out = []
    for n in range(len(t)):
        group_rank = cols["group_rank"][n]
        out.append({
            "rank": int(cols["rank"][n]),
            "id": _text(cols["id"][n]),
            "name": _text(cols["name"][n]),
            "group": _text(cols["group"][n]),
            "category": _text(cols["category"][n]),
            "score": _num(cols["score"][n]),
            "pillars": {k: _num(cols[k][n]) for k in pillar_keys},
            "group_rank": None if _text(group_rank) is None else int(group_rank),
            "assessors": int(cols["assessors"][n]),
        })
    return out


def score_document(scores: Scores, inputs: Sequence[InputInfo]) -> dict[str, object]:
    return {"criteria": criteria_info(scores.criteria), "inputs": inputs_info(inputs),
            "results": result_records(scores)}


def to_json(document: dict[str, object]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def score_csv(scores: Scores) -> str:
    """The same fields as the JSON results, flat: pillar scores as columns named by key."""
    pillar_keys = [p.key for p in scores.criteria.pillars]
    header = ["rank", "group_rank", "id", "name", "group", "category", "score", *pillar_keys,
              "assessors"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in result_records(scores):
        row = [r["rank"], r["group_rank"], r["id"], r["name"], r["group"], r["category"],
               r["score"], *(r["pillars"][k] for k in pillar_keys), r["assessors"]]  # type: ignore[index]
        w.writerow(["" if v is None else safe_text(v) if isinstance(v, str) else repr(v)
                    if isinstance(v, float) else v for v in row])
    return buf.getvalue()
