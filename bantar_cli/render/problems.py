"""``bantar validate`` output: the problems as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..errors import Problem
from .csv_columns import safe_text
from .formats import inputs_info, to_json
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


def problems_table(problems: Sequence[Problem], assessment: Assessment, *,
                   lang: str) -> Group | Text:
    rows, entrants = _summary(assessment)
    if not problems:
        return Text(label("no_problems", lang, rows=number(rows, lang, 0),
                          entrants=number(entrants, lang, 0)), style="green")
    table = Table(title=label("problems_found", lang, n=number(len(problems), lang, 0)),
                  header_style="bold")
    for key in ("file", "place", "problem", "found", "expected"):
        table.add_column(label(key, lang), overflow="fold")
    for p in problems:
        w = p.where
        place = (f"{w.sheet}!{w.cell}" if w and w.sheet and w.cell else
                 (w.cell or (f"{w.line}" if w and w.line else w.sheet)) if w else "") or ""
        found = p.message if p.value is None else (
            f"{p.value:g}" if isinstance(p.value, float) else str(p.value))
        table.add_row(Text(w.file if w else ""), Text(place), Text(p.slug), Text(found),
                      Text(p.expected or p.message))
    return Group(table)
