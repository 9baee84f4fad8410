"""``bantar assessors``: the report on how the assessors marked, as tables, JSON and a sheet."""

from __future__ import annotations

import math

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.assessors import AssessorReport
from .labels import alabel, number


def _f(x: object) -> float | None:
    if x is None:
        return None
    v = float(x)  # type: ignore[arg-type]
    return None if math.isnan(v) else v


def assessors_document(r: AssessorReport) -> dict[str, object]:
    return {
        "thresholds": r.thresholds,
        "assessors": [{"assessor": a["assessor"], "entrants": int(a["entrants"]),
                       "marks": int(a["marks"]), "mean": _f(a["mean"]), "sd": _f(a["sd"]),
                       "leniency": _f(a["leniency"]), "agreement": _f(a["agreement"]),
                       "flags": list(a["flags"])} for a in r.assessors.to_dict("records")],
        "teams": [{"assessors": list(t.assessors), "entrants": t.entrants, "icc_a1": t.icc_a1,
                   "icc_c1": t.icc_c1, "kendall_w": t.kendall_w, "note": t.note}
                  for t in r.teams],
        "second_visit": [{"id": e["id"], "name": e["name"], "group": e["group"],
                          "max_spread": _f(e["max_spread"]), "mean_spread": _f(e["mean_spread"]),
                          "indicator": e["indicator"]} for e in r.second_visit.to_dict("records")],
    }


def _n(x: object, lang: str, d: int = 2) -> str:
    v = _f(x)
    return "–" if v is None else number(v, lang, d)


def assessors_tables(r: AssessorReport, *, lang: str) -> Group:
    t = Table(title=alabel("title", lang), caption=alabel("explain", lang), header_style="bold")
    for key in ("assessor", "entrants", "marks", "mean", "sd", "leniency", "agreement", "flags"):
        t.add_column(alabel(key, lang), justify="left" if key in ("assessor", "flags") else "right")
    for a in r.assessors.to_dict("records"):
        flags = ", ".join(alabel(f, lang) for f in a["flags"])
        t.add_row(Text(a["assessor"]), str(a["entrants"]), str(a["marks"]), _n(a["mean"], lang),
                  _n(a["sd"], lang), _n(a["leniency"], lang, 3), _n(a["agreement"], lang),
                  Text(flags, style="bold red" if flags else ""))
    teams = Table(title=alabel("teams", lang), header_style="bold")
    for h in (alabel("team", lang), alabel("entrants", lang), "ICC(A,1)", "ICC(C,1)", "W",
              alabel("note", lang)):
        teams.add_column(h)
    for n, tm in enumerate(r.teams, start=1):
        teams.add_row(Text(f"{n}: " + ", ".join(tm.assessors)), str(tm.entrants),
                      _n(tm.icc_a1, lang), _n(tm.icc_c1, lang), _n(tm.kendall_w, lang),
                      Text(tm.note or ""))
    visit = Table(title=alabel("second_visit", lang), header_style="bold")
    for h in ("Kode" if lang == "id" else "ID", alabel("max_spread", lang),
              alabel("mean_spread", lang), alabel("indicator", lang)):
        visit.add_column(h)
    for e in r.second_visit.to_dict("records"):
        visit.add_row(Text(f"{e['id']} {e['name'] or ''}".strip()), _n(e["max_spread"], lang),
                      _n(e["mean_spread"], lang), Text(e["indicator"]))
    return Group(t, teams, visit)


def write_assessors_sheet(w, r: AssessorReport) -> None:
    ws = w.sheet("assessors")
    lang = w.lang
    w.text(ws, 0, 0, alabel("title", lang), w.title)
    ws.merge_range(1, 0, 1, 7, "", w.wrap)
    w.text(ws, 1, 0, alabel("explain", lang), w.wrap)
    ws.set_row(1, 48)
    row = 3
    keys = ("assessor", "entrants", "marks", "mean", "sd", "leniency", "agreement", "flags")
    for j, k in enumerate(keys):
        w.text(ws, row, j, alabel(k, lang), w.head)
    for a in r.assessors.to_dict("records"):
        row += 1
        w.text(ws, row, 0, a["assessor"])
        for j, k in enumerate(keys[1:7], start=1):
            v = _f(a[k])
            if v is not None:
                fmt = None if k in ("entrants", "marks") else w.r3 if k == "leniency" else w.score
                ws.write_number(row, j, v, fmt)
        w.text(ws, row, 7, ", ".join(alabel(f, lang) for f in a["flags"]) or None,
               w.warn if a["flags"] else None)
    row += 2
    for j, h in enumerate((alabel("team", lang), alabel("entrants", lang), "ICC(A,1)", "ICC(C,1)",
                           "W", alabel("note", lang))):
        w.text(ws, row, j, h, w.head)
    for n, tm in enumerate(r.teams, start=1):
        row += 1
        w.text(ws, row, 0, f"{n}: " + ", ".join(tm.assessors))
        ws.write_number(row, 1, tm.entrants)
        for j, v in ((2, tm.icc_a1), (3, tm.icc_c1), (4, tm.kendall_w)):
            if v is not None:
                ws.write_number(row, j, v, w.score)
        w.text(ws, row, 5, tm.note)
    row += 2
    w.text(ws, row, 0, alabel("second_visit", lang), w.bold)
    row += 1
    for j, h in enumerate(("Kode" if lang == "id" else "ID", alabel("max_spread", lang),
                           alabel("mean_spread", lang), alabel("indicator", lang))):
        w.text(ws, row, j, h, w.head)
    ws.set_row(row, 30)
    for e in r.second_visit.to_dict("records"):
        row += 1
        w.text(ws, row, 0, f"{e['id']} {e['name'] or ''}".strip())
        ws.write_number(row, 1, float(e["max_spread"]), w.score)
        ws.write_number(row, 2, float(e["mean_spread"]), w.score)
        w.text(ws, row, 3, e["indicator"])
    ws.set_column(3, 3, 24)
    ws.set_column(0, 0, 52)
    ws.set_column(1, 6, 12)
    ws.set_column(7, 7, 20)
