"""``bantar validate`` output: the problems as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import Problem
from .csv_columns import safe_text
from .formats import inputs_info, to_json
from .grid import Column, grid_lines, terminal_text
from .labels import label, number

if TYPE_CHECKING:
    from ..io.workbook import Assessment

FIELDS = ("problem", "severity", "file", "sheet", "cell", "line", "message", "value", "expected",
          "hint")


def _summary(assessment: Assessment) -> tuple[int, int]:
    return len(assessment.frame), int(assessment.frame["id"].nunique())


def problems_json(problems: Sequence[Problem], assessment: Assessment) -> str:
    rows, entrants = _summary(assessment)
    errors = sum(p.severity == "error" for p in problems)
    return to_json(pretty=True, document={"valid": errors == 0, "errors": errors,
                    "warnings": len(problems) - errors, "inputs": inputs_info(assessment.inputs),
                    "rows": rows, "entrants": entrants,
                    "problems": [p.as_dict() for p in problems]})


def problems_csv(problems: Sequence[Problem]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for p in problems:
        d = p.as_dict()
        w.writerow(["" if d[f] is None else safe_text(str(d[f])) for f in FIELDS])
    return buf.getvalue()


def problems_lines(problems: Sequence[Problem], assessment: Assessment, *, lang: str,
                   room: int | None = None, color: bool = False) -> Iterator[str]:
    """Every problem, one line each (a grid: a file with a million bad cells lists them in
    seconds), or a line saying there is none. ``room``, ``color``: see ``grid_lines``."""
    rows, entrants = _summary(assessment)
    if not problems:
        text = label("no_problems", lang, rows=number(rows, lang, 0),
                     entrants=number(entrants, lang, 0))
        yield f"\x1b[32m{text}\x1b[0m" if color else text
        return
    files, places, slugs, found, expected = [], [], [], [], []
    for p in problems:
        w = p.where
        files.append(w.file if w else "")
        places.append((f"{w.sheet}!{w.cell}" if w and w.sheet and w.cell else
                       (w.cell or (f"{w.line}" if w and w.line else w.sheet)) if w else "") or "")
        slugs.append(p.slug)
        found.append(p.message if p.value is None else (
            f"{p.value:g}" if isinstance(p.value, float) else str(p.value)))
        expected.append(p.expected or p.message)
    columns = [Column(label("file", lang), terminal_text(files), flexible=True, cut_start=True),
               Column(label("place", lang), terminal_text(places)),
               Column(label("problem", lang), slugs),
               Column(label("found", lang), terminal_text(found), flexible=True),
               Column(label("expected", lang), terminal_text(expected))]
    yield from grid_lines(columns, title=label("problems_found", lang, n=number(len(problems),
                                                                                 lang, 0)),
                          room=room, color=color)
