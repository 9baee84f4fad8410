"""``bantar assessors``: the report on how the assessors marked, as tables, JSON and a sheet."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..core.assessors import AssessorReport
from .grid import Column, grid_lines, terminal_text
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


def assessors_lines(r: AssessorReport, *, lang: str, room: int | None = None,
                    color: bool = False, no_color: bool = False) -> Iterator[str]:
    """The report as three plain-text tables (``grid``): per assessor, per team and the
    entrants for a second visit. rich's tables took 4.6 s for a national report's 10,002
    assessors and 3,334 teams. ``room``, ``color``, ``no_color``: as ``console.ranking_lines``."""
    a = r.assessors.to_dict("records")
    yield from grid_lines([
        Column(alabel("assessor", lang), terminal_text([x["assessor"] for x in a])),
        Column(alabel("entrants", lang), [str(x["entrants"]) for x in a], "right"),
        Column(alabel("marks", lang), [str(x["marks"]) for x in a], "right"),
        Column(alabel("mean", lang), [_n(x["mean"], lang) for x in a], "right"),
        Column(alabel("sd", lang), [_n(x["sd"], lang) for x in a], "right"),
        Column(alabel("leniency", lang), [_n(x["leniency"], lang, 3) for x in a], "right"),
        Column(alabel("agreement", lang), [_n(x["agreement"], lang) for x in a], "right"),
        Column(alabel("flags", lang), [", ".join(alabel(f, lang) for f in x["flags"]) for x in a],
               style="1" if no_color else "1;31", flexible=True)],
        title=alabel("title", lang), caption=alabel("explain", lang), room=room, color=color)
    t = r.teams
    yield from grid_lines([
        Column(alabel("team", lang), terminal_text([f"{n}: " + ", ".join(tm.assessors)
                                                    for n, tm in enumerate(t, start=1)]),
               flexible=True),
        Column(alabel("entrants", lang), [str(tm.entrants) for tm in t], "right"),
        Column("ICC(A,1)", [_n(tm.icc_a1, lang) for tm in t], "right"),
        Column("ICC(C,1)", [_n(tm.icc_c1, lang) for tm in t], "right"),
        Column("W", [_n(tm.kendall_w, lang) for tm in t], "right"),
        Column(alabel("note", lang), terminal_text([tm.note or "" for tm in t]), flexible=True)],
        title=alabel("teams", lang), room=room, color=color)
    v = r.second_visit.to_dict("records")
    yield from grid_lines([
        Column("Kode" if lang == "id" else "ID",
               terminal_text([f"{e['id']} {e['name'] or ''}".strip() for e in v]), flexible=True),
        Column(alabel("max_spread", lang), [_n(e["max_spread"], lang) for e in v], "right"),
        Column(alabel("mean_spread", lang), [_n(e["mean_spread"], lang) for e in v], "right"),
        Column(alabel("indicator", lang), terminal_text([e["indicator"] for e in v]),
               flexible=True)],
        title=alabel("second_visit", lang), room=room, color=color)


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
