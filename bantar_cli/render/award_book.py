"""The award workbook written by ``bantar score -o hasil.xlsx`` (openpyxl)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from .. import __version__
from ..model import InputInfo, Scores
from .cells import put_text
from .labels import label

SHEETS = {"ranking": {"id": "Peringkat", "en": "Ranking"}, "metadata": {"id": "Metadata",
                                                                         "en": "Metadata"}}
SCORE_FORMAT = "0.00"


def write_award_book(path: Path, scores: Scores, inputs: Sequence[InputInfo], *,
                     lang: str = "id") -> None:
    wb = Workbook()
    ranking = wb.active
    ranking.title = SHEETS["ranking"][lang]
    _ranking_sheet(ranking, scores, lang)
    _metadata_sheet(wb.create_sheet(SHEETS["metadata"][lang]), scores, inputs, lang)
    wb.save(path)


def _ranking_sheet(ws, scores: Scores, lang: str) -> None:
    c = scores.criteria
    t = scores.table
    headers = [label("rank", lang), label("group_rank", lang), label("id", lang),
               c.entrant.name or label("name", lang), c.entrant.group or label("group", lang),
               c.entrant.category or label("category", lang), label("score", lang),
               *(p.title(lang) for p in c.pillars)]
    for j, h in enumerate(headers, start=1):
        put_text(ws, 1, j, h)
    cols = {k: t[k].tolist() for k in t.columns}
    for n in range(len(t)):
        r = n + 2
        ws.cell(r, 1, int(cols["rank"][n]))
        g = cols["group_rank"][n]
        ws.cell(r, 2, None if g is None or g != g else int(g))
        for j, k in ((3, "id"), (4, "name"), (5, "group"), (6, "category")):
            v = cols[k][n]
            put_text(ws, r, j, None if v is None or v != v else str(v))
        ws.cell(r, 7, float(cols["score"][n])).number_format = SCORE_FORMAT
        for j, p in enumerate(c.pillars, start=8):
            ws.cell(r, j, float(cols[p.key][n])).number_format = SCORE_FORMAT
    last = get_column_letter(len(headers))
    ref = f"A1:{last}{len(t) + 1}"
    table = Table(displayName="Peringkat", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    for j, w in enumerate([10, 10, 22, 28, 16, 12, 10] + [10] * len(c.pillars), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _metadata_sheet(ws, scores: Scores, inputs: Sequence[InputInfo], lang: str) -> None:
    rows = [
        ("bantar", __version__),
        ("command", " ".join(sys.argv)),
        ("time", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()),
        ("criteria", scores.criteria.source),
        ("criteria sha256", scores.criteria.sha256),
    ]
    rows += [(f"input {n + 1}", f"{i.path}") for n, i in enumerate(inputs)]
    rows += [(f"input {n + 1} sha256", i.sha256) for n, i in enumerate(inputs)]
    for r, (k, v) in enumerate(rows, start=1):
        put_text(ws, r, 1, k)
        put_text(ws, r, 2, v)
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 70
