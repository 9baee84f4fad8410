"""The workbook of ``bantar diff -o diff.xlsx``: changes, groups (with a chart of both years'
means), entrants in one year only, and what changed in the criteria."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..core.diff import Diff
from .award_book import _Writer
from .diff_formats import _show, dl
from .labels import label
from .xlsx_bulk import BulkBlock, BulkColumn, sheet_parts, splice


def write_diff_book(path: Path, d: Diff, *, lang: str = "id") -> list[str]:
    w = _Writer(path, lang)
    changes = _changes(w, d)
    _groups(w, d)
    _one_year(w, d)
    _criteria(w, d)
    w.book.close()
    return w.warnings + splice(path, changes)


def _num(ws, r: int, c: int, v: object, fmt=None) -> None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return
    ws.write_number(r, c, float(v), fmt)  # type: ignore[arg-type]


def _changes(w: _Writer, d: Diff) -> list[BulkBlock]:
    """One row per matched entrant, the columns of ``Diff.entrants``; its rows are spliced in
    after the workbook is closed (``xlsx_bulk``: cell by cell, two national years' 330,000
    entrants took 35 s and 1.9 GB), beyond a sheet's rows on 'Perubahan (2)' and on."""
    e = d.entrants
    cols = list(e.columns)
    text_cols = {"id", "old_id", "name", "group"}
    columns = [BulkColumn([None if v is None or v != v else str(v) for v in e[c].tolist()],
                          text=True) if c in text_cols else
               BulkColumn(e[c].to_numpy("float64", na_value=np.nan),
                          style=None if "rank" in c else w.score, integer=e[c].dtype.kind in "iu")
               for c in cols]
    blocks = []
    for part, start, stop in sheet_parts(len(e)):
        rows = stop - start
        ws = w.sheet("changes", part=part)
        for j, c in enumerate(cols):
            w.text(ws, 0, j, c, w.head)
        ws.autofilter(0, 0, max(rows, 1), len(cols) - 1)
        ws.freeze_panes(1, 1)
        ws.set_column(0, 1, 22)
        ws.set_column(2, 2, 28)
        ws.set_column(3, 3, 16)
        ws.set_column(4, len(cols) - 1, 11)
        blocks.append(BulkBlock(sheet_number=w.sheets, first_row=1, sheet_name=ws.get_name(),
                                columns=[col.part(start, stop) for col in columns]))
    return blocks


def _groups(w: _Writer, d: Diff) -> None:
    ws = w.sheet("groups")
    g = d.groups
    headers = [label("group", w.lang), label("entrants", w.lang), dl("old_mean", w.lang),
               dl("new_mean", w.lang), dl("change", w.lang), dl("most_improved", w.lang),
               dl("change", w.lang)]
    for j, h in enumerate(headers):
        w.text(ws, 0, j, h, w.head)
    rows = g.to_dict("records") if not g.empty else []
    for r, row in enumerate(rows, start=1):
        w.text(ws, r, 0, row["group"])
        _num(ws, r, 1, row["entrants"])
        _num(ws, r, 2, row["old_mean"], w.score)
        _num(ws, r, 3, row["new_mean"], w.score)
        _num(ws, r, 4, row["change"], w.score)
        w.text(ws, r, 5, row["most_improved"])
        _num(ws, r, 6, row["most_improved_change"], w.score)
    s = d.spread
    r = len(rows) + 2
    if s["old"] is not None:
        w.text(ws, r, 0, dl("gap", w.lang, o=f"{s['old']:.2f}", n=f"{s['new']:.2f}",
                            t=dl("closing" if s["closing"] else "widening", w.lang)), w.bold)
    if rows:
        chart = w.book.add_chart({"type": "column"})
        name = ws.get_name()
        for col, year in ((2, d.old.criteria.version or "old"), (3, d.new.criteria.version or "new")):
            chart.add_series({"name": f"{headers[col]} ({year})",
                              "categories": [name, 1, 0, len(rows), 0],
                              "values": [name, 1, col, len(rows), col]})
        chart.set_title({"name": dl("groups", w.lang)})
        chart.set_x_axis({"visible": True})
        chart.set_y_axis({"name": label("score", w.lang), "visible": True})
        chart.set_size({"width": 720, "height": 400})
        ws.insert_chart(r + 2, 0, chart)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 4, 13)
    ws.set_column(5, 5, 22)
    ws.set_column(6, 6, 11)


def _one_year(w: _Writer, d: Diff) -> None:
    ws = w.sheet("one_year")
    for block, (frame, title) in enumerate(((d.only_old, d.old.criteria.version or "old"),
                                            (d.only_new, d.new.criteria.version or "new"))):
        c0 = block * 4
        w.text(ws, 0, c0, f"{label('entrants', w.lang).capitalize()} — {title}", w.bold)
        for j, h in enumerate((label("id", w.lang), label("name", w.lang), label("rank", w.lang))):
            w.text(ws, 1, c0 + j, h, w.head)
        for r, row in enumerate(frame.to_dict("records"), start=2):
            w.text(ws, r, c0, row["id"])
            w.text(ws, r, c0 + 1, row["name"])
            _num(ws, r, c0 + 2, row["rank"])
        ws.set_column(c0, c0, 22)
        ws.set_column(c0 + 1, c0 + 1, 28)
        ws.set_column(c0 + 2, c0 + 2, 10)


def _criteria(w: _Writer, d: Diff) -> None:
    ws = w.sheet("criteria_changes")
    for j, h in enumerate((dl("kind", w.lang), dl("what", w.lang), dl("key", w.lang),
                           dl("old_rank", w.lang), dl("new_rank", w.lang))):
        w.text(ws, 0, j, h, w.head)
    for r, c in enumerate(d.changes, start=1):
        for j, v in enumerate((c.kind, c.what, c.key, _show(c.old), _show(c.new))):
            w.text(ws, r, j, v)
    if not d.changes:
        w.text(ws, 1, 0, "—")
    else:
        w.text(ws, len(d.changes) + 2, 0, dl("not_comparable", w.lang), w.warn)
    ws.set_column(0, 2, 18)
    ws.set_column(3, 4, 24)
