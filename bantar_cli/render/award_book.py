"""The award workbook of ``bantar score -o hasil.xlsx``, written with xlsxwriter.

Sheets: Ringkasan/Summary, Peringkat/Ranking, Pemenang/Awards, Rincian/Breakdown,
Kriteria/Criteria, Metadata. Every printable sheet prints landscape, fit to the page width, with
its header rows repeated and page numbers in the footer. Text from the inputs is always written
as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import xlsxwriter

from .. import __version__
from ..core.ids import positions
from ..io.freed import hand_back
from ..model import Awards, InputInfo, Scores
from .cells import EXCEL_MAX_TEXT, clean_text
from .labels import SHEETS, label, number, rupiah
from .xlsx_bulk import BulkBlock, BulkColumn, sheet_parts, splice

RUPIAH = '[$-421]"Rp"#,##0'  # the Indonesian locale's separators: Rp10.000.000
SCORE = "0.00"
TOP_N = 10


@dataclass
class BookInfo:
    """What the workbook states besides the scores: where they came from and when."""

    inputs: Sequence[InputInfo]
    rows: int
    assessors: int
    command: str
    time: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))
    report: object = None  # an AssessorReport, for the Penilai/Assessors sheet


class _Writer:
    def __init__(self, path: Path, lang: str, *, constant_memory: bool = False) -> None:
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                                    "strings_to_urls": False,
                                                    "strings_to_numbers": False,
                                                    "constant_memory": constant_memory})
        self.lang = lang
        self.warnings: list[str] = []
        f = self.book.add_format
        self.bold = f({"bold": True})
        self.title = f({"bold": True, "font_size": 14})
        self.head = f({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                       "valign": "vcenter", "align": "center"})
        self.score = f({"num_format": SCORE})
        self.r4 = f({"num_format": "0.0000"})
        self.r3 = f({"num_format": "0.000"})
        self.pct = f({"num_format": "0.0%"})
        self.money = f({"num_format": RUPIAH})
        self.money_bold = f({"num_format": RUPIAH, "bold": True, "top": 1})
        self.bold_top = f({"bold": True, "top": 1})
        self.warn = f({"bold": True, "font_color": "#C00000"})
        self.wrap = f({"text_wrap": True, "valign": "top"})
        self.sheets = 0

    def L(self, key: str, **kw: object) -> str:
        return label(key, self.lang, **kw)

    def sheet(self, key: str, *, header_rows: int = 1, part: int = 1):
        """A new printable sheet; ``part`` 2, 3, … of a table longer than a sheet holds is named
        'Rincian (2)', …"""
        ws = self.book.add_worksheet(SHEETS[key][self.lang] + (f" ({part})" if part > 1 else ""))
        self.sheets += 1
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0, header_rows - 1)
        ws.set_footer("&C" + self.L("page_footer"))
        return ws

    def text(self, ws, row: int, col: int, value: object, fmt=None) -> None:
        if value is None or (isinstance(value, float) and value != value):
            return
        text, cut = clean_text(str(value))
        if cut:
            self.warnings.append(f"{ws.get_name()}!{xlsxwriter.utility.xl_rowcol_to_cell(row, col)}: "
                                 f"text cut to Excel's limit of {EXCEL_MAX_TEXT} characters")
        ws.write_string(row, col, text, fmt)


def write_award_book(path: Path, scores: Scores, awards: Awards, info: BookInfo, *,
                     lang: str = "id", sensitivity: object = None) -> list[str]:
    """Write the workbook to ``path``; return warnings (text that had to be cut)."""
    w = _Writer(path, lang)
    names = dict(zip(scores.table["id"], scores.table["name"], strict=True))
    award_names = _award_names(scores, awards, lang)
    _summary(w, scores, awards, info)
    blocks = _ranking(w, scores, award_names)
    _awards(w, scores, awards, names)
    blocks += _breakdown(w, scores)
    if info.report is not None:
        from .assessors import write_assessors_sheet

        write_assessors_sheet(w, info.report)
    if sensitivity is not None:
        blocks += _sensitivity(w, scores, awards, sensitivity)
    _criteria(w, scores)
    _metadata(w, scores, info)
    w.book.close()
    warnings = w.warnings
    _let_go(w.book)
    del w
    hand_back(heap=True)  # the sheets' cells, before the splice fills the big sheets
    return warnings + splice(path, blocks)


def _let_go(book: xlsxwriter.Workbook) -> None:
    """Break the one reference cycle of a closed workbook (each sheet holds the book's
    ``add_format``), so that its cells go with its last reference, not at the collector's next
    full pass: a national workbook's are about 60 MB (557,000 objects), which a full pass,
    holding the GIL, frees in 0.2 s."""
    for sheet in book.worksheets():
        sheet.__dict__.pop("workbook_add_format", None)


class _Unrecorded(dict):
    """For ``Worksheet.table_cells``, where xlsxwriter records every cell of a table so as to
    refuse a later table or merged range over it: at 330,000 entrants that was 4.3 million
    entries, 433 MB and 1.6 s. A sheet with one table and no merged cells needs no record."""

    def __setitem__(self, key: object, value: object) -> None:
        pass


def _award_names(scores: Scores, awards: Awards, lang: str) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for a in awards.items:
        out.setdefault(a.id, []).append(a.name(lang) + (f" ({a.scope})" if a.place and a.scope
                                                         else ""))
    return {k: "; ".join(v) for k, v in out.items()}


def _entrant_headers(w: _Writer, scores: Scores) -> list[str]:
    e = scores.criteria.entrant
    return [e.name or w.L("name"), e.group or w.L("group"), e.category or w.L("category")]


def _ranking(w: _Writer, scores: Scores, award_names: dict[str, str]) -> list[BulkBlock]:
    """The ranking, best first; beyond what a sheet holds, on 'Peringkat (2)' and on."""
    c, t = scores.criteria, scores.table
    headers = [w.L("rank"), w.L("group_rank"), w.L("id"), *_entrant_headers(w, scores),
               w.L("score"), *(p.title(w.lang) for p in c.pillars), w.L("award")]
    n = len(t)
    pillars = [t[p.key] for p in c.pillars]

    def texts(key: str) -> pa.Array:  # in Arrow: a third of the memory of Python strings
        return pa.array([None if v is None or v != v else str(v) for v in t[key].tolist()],
                        pa.large_string())

    columns = [
        BulkColumn(t["rank"].to_numpy(dtype="float64"), integer=True),
        BulkColumn(t["group_rank"].to_numpy(dtype="float64", na_value=np.nan), integer=True),
        *(BulkColumn(texts(k), text=True) for k in ("id", "name", "group", "category")),
        BulkColumn(t["score"].to_numpy(), style=w.score),
        *(BulkColumn(p.to_numpy(), style=w.score) for p in pillars),
        BulkColumn(pa.array([award_names.get(str(i)) for i in t["id"].tolist()], pa.large_string()),
                   text=True)]
    last_col = 7 + len(pillars)
    blocks = []
    for part, start, stop in sheet_parts(n):
        rows = stop - start
        ws = w.sheet("ranking", part=part)
        blocks.append(BulkBlock(sheet_number=w.sheets, first_row=1, sheet_name=ws.get_name(),
                                columns=[col.part(start, stop) for col in columns]))
        name = "Peringkat" if w.lang == "id" else "Ranking"
        ws.table_cells = _Unrecorded()  # the sheet's one table, and no merged cells
        ws.add_table(0, 0, max(rows, 1), last_col, {
            "name": name + (str(part) if part > 1 else ""), "style": "Table Style Medium 2",
            "columns": [{"header": clean_text(h)[0], "header_format": w.head} for h in headers]})
        ws.set_row(0, 30)
        for j in range(7, 7 + len(pillars)):
            ws.conditional_format(1, j, max(rows, 1), j, {
                "type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84",
                "max_color": "#63BE7B"})
        ws.freeze_panes(1, 3)
        ws.set_column(0, 1, 10)
        ws.set_column(2, 2, 22)
        ws.set_column(3, 3, 28)
        ws.set_column(4, 5, 15)
        ws.set_column(6, last_col - 1, 10, w.score)
        ws.set_column(last_col, last_col, 40)
    return blocks


def _awards(w: _Writer, scores: Scores, awards: Awards, names: dict[str, object]) -> None:
    ws = w.sheet("awards", header_rows=3)
    w.text(ws, 0, 0, f"{w.L('awards_title')} — {scores.criteria.name} {scores.criteria.version}",
           w.title)
    e = _entrant_headers(w, scores)
    headers = [w.L("award"), w.L("place_no"), w.L("scope"), w.L("id"), e[0], w.L("score"),
               w.L("prize"), w.L("note")]
    for j, h in enumerate(headers):
        w.text(ws, 2, j, h, w.head)
    table = scores.table.set_index("id")
    r = 3
    for a in awards.items:
        w.text(ws, r, 0, a.name(w.lang))
        if a.place is not None:
            ws.write_number(r, 1, a.place)
        w.text(ws, r, 2, a.scope)
        w.text(ws, r, 3, a.id)
        w.text(ws, r, 4, names.get(a.id))
        ws.write_number(r, 5, float(table.at[a.id, "score"]), w.score)
        ws.write_number(r, 6, a.prize, w.money)
        w.text(ws, r, 7, tie_note(a, w.lang), w.wrap)
        r += 1
    first, last = 3, r - 1
    w.text(ws, r, 0, w.L("total"), w.bold_top)
    for j in range(1, 8):
        if j != 6:
            ws.write_blank(r, j, None, w.bold_top)
    ws.write_formula(r, 6, f"=SUM(G{first + 1}:G{max(last, first) + 1})", w.money_bold,
                     awards.total)
    if awards.budget is not None:
        w.text(ws, r + 1, 0, w.L("budget"))
        ws.write_number(r + 1, 6, awards.budget, w.money)
        w.text(ws, r + 2, 0, w.L("remaining"))
        ws.write_formula(r + 2, 6, f"=G{r + 2}-G{r + 1}", w.money, awards.budget - awards.total)
        if awards.over_budget:
            w.text(ws, r + 3, 0, w.L("over_budget", total=rupiah(awards.total),
                                     budget=rupiah(awards.budget)), w.warn)
    r += 6
    w.text(ws, r, 5, w.L("signed_at"))
    r += 2
    rules = scores.criteria.awards
    for n, s in enumerate(rules.signatories if rules else ()):
        col = [0, 3, 5][n % 3]
        base = r + (n // 3) * 7
        w.text(ws, base, col, s.role, w.bold)
        w.text(ws, base + 4, col, f"( {s.name} )" if s.name else "( ..................................... )")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 8)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 3, 22)
    ws.set_column(4, 4, 28)
    ws.set_column(5, 5, 9)
    ws.set_column(6, 6, 16)
    ws.set_column(7, 7, 40)
    ws.freeze_panes(3, 0)
    if awards.items:
        ws.autofilter(2, 0, last, 7)


def tie_note(a, lang: str) -> str | None:
    """What happened at a tie, in words."""
    if a.tied_count > len(a.tied_with):  # a tie of more than TIE_LISTED others
        return label("tie_shared_more", lang, others=", ".join(a.tied_with),
                     more=number(a.tied_count - len(a.tied_with), lang, decimals=0))
    if a.tied_with:
        return label("tie_shared", lang, others=", ".join(a.tied_with))
    if a.broken_by:
        return label("tie_broken", lang, by=a.broken_by)
    return None


def _breakdown(w: _Writer, scores: Scores) -> list[BulkBlock]:
    """One row per entrant and indicator, best entrant first: raw value, r, points (the shares
    are on the criteria sheet). Beyond what a sheet holds (1,048,575 rows under the header: a
    national assessment has millions), the rows go on to 'Rincian (2)' and on."""
    c = scores.criteria
    order = scores.table["id"].tolist()
    inds = list(c.indicators)
    keys = [i.key for i in inds]
    n, k = len(order), len(keys)
    # each table row's row of the per-entrant frames, the ids hashed once (``.loc`` with the
    # text ids rehashed them for each frame: 0.27 s each at 330,000 entrants)
    at = positions(scores.table["id"], scores.raw.index)
    raw, norm, points = (f[keys].to_numpy()[at].ravel()
                         for f in (scores.raw, scores.normalized, scores.points()))
    pillar_of = c.pillar_of()
    pillar_title = {p.key: p.title(w.lang) for p in c.pillars}
    pillars = list(pillar_title)

    def repeated(codes: list[int] | np.ndarray, texts: list[str], *, each: bool) -> pa.Array:
        """``texts`` by their ``codes``, each code ``k`` times over (``each``) or all of them
        ``n`` times over: a dictionary array, a 4-byte code a row."""
        at = np.asarray(codes, dtype=np.int32)
        return pa.DictionaryArray.from_arrays(pa.array(np.repeat(at, k) if each else np.tile(at, n)),
                                              pa.array(texts, pa.large_string()))

    columns = [BulkColumn(repeated(np.arange(n), [str(i) for i in order], each=True), text=True),
               BulkColumn(repeated([pillars.index(pillar_of[key]) for key in keys],
                                   list(pillar_title.values()), each=False), text=True),
               BulkColumn(repeated(np.arange(k), [i.title(w.lang) for i in inds], each=False),
                          text=True),
               BulkColumn(raw, style=w.score), BulkColumn(norm, style=w.r4),
               BulkColumn(points, style=w.r4)]
    headers = [w.L("id"), w.L("pillar"), w.L("indicator"), w.L("raw"), w.L("normalized"),
               w.L("contribution")]
    blocks = []
    for part, start, stop in sheet_parts(n * k):
        ws = w.sheet("breakdown", part=part)
        for j, h in enumerate(headers):
            w.text(ws, 0, j, h, w.head)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 10)
        ws.set_column(2, 2, 42)
        ws.set_column(3, 3, 12, w.score)
        ws.set_column(4, 4, 13, w.r4)
        ws.set_column(5, 5, 12, w.r4)
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, max(stop - start, 1), len(headers) - 1)
        blocks.append(BulkBlock(sheet_number=w.sheets, first_row=1, sheet_name=ws.get_name(),
                                columns=[col.part(start, stop) for col in columns]))
    return blocks


def _sensitivity(w: _Writer, scores: Scores, awards: Awards, s) -> list[BulkBlock]:
    """Every entrant's median and 5–95% rank over the runs (columns A–F) and how often each
    award stays with its winner (H–K), side by side under a title and a header; beyond what a
    sheet holds, on 'Kepekaan (2)' and on. The rows are spliced in (``xlsx_bulk``): at 330,000
    entrants, xlsxwriter's own cells had taken 14 s and several hundred MB."""
    t, items = scores.table, awards.items
    n = max(len(t), len(items))  # the two lists share rows: the longer one sets them

    def numbers(values: Sequence[float]) -> np.ndarray:  # NaN (an empty cell) below the end
        out = np.full(n, np.nan)
        out[:len(values)] = values
        return out

    def texts(values: list[object]) -> pa.Array:
        return pa.array([None if v is None or v != v else str(v) for v in values]
                        + [None] * (n - len(values)), pa.large_string())

    columns = [BulkColumn(numbers(t["rank"].to_numpy(dtype="float64")), integer=True),
               BulkColumn(texts(t["id"].tolist()), text=True),
               BulkColumn(texts(t["name"].tolist()), text=True),
               *(BulkColumn(numbers(np.asarray(q, dtype="float64")), integer=True)
                 for q in (s.median, s.p05, s.p95)),
               BulkColumn(texts([]), text=True),  # G: between the two lists
               BulkColumn(texts([a.name(w.lang) for a in items]), text=True),
               BulkColumn(texts([a.scope for a in items]), text=True),
               BulkColumn(texts([a.id for a in items]), text=True),
               BulkColumn(numbers(np.asarray(s.award_share, dtype="float64")), style=w.pct)]
    heads = [w.L("rank"), w.L("id"), w.L("name"), w.L("median_rank"), w.L("p05"), w.L("p95"), None,
             w.L("award"), w.L("scope"), w.L("id"), w.L("stability")]
    blocks = []
    for part, start, stop in sheet_parts(n, header_rows=3):
        ws = w.sheet("sensitivity", header_rows=3, part=part)
        w.text(ws, 0, 0, w.L("sens_title", runs=s.runs, spread=s.spread), w.title)
        for j, h in enumerate(heads):
            w.text(ws, 2, j, h, w.head)
        blocks.append(BulkBlock(sheet_number=w.sheets, first_row=3, sheet_name=ws.get_name(),
                                columns=[col.part(start, stop) for col in columns]))
        ws.freeze_panes(3, 0)
        ws.set_column(0, 0, 10)
        ws.set_column(1, 1, 22)
        ws.set_column(2, 2, 26)
        ws.set_column(3, 5, 12)
        ws.set_column(7, 7, 24)
        ws.set_column(8, 9, 16)
        ws.set_column(10, 10, 12, w.pct)
    return blocks


def _criteria(w: _Writer, scores: Scores) -> None:
    ws = w.sheet("criteria")
    c = scores.criteria
    headers = [w.L("pillar"), w.L("pillar_weight"), w.L("indicator"), w.L("column"),
               w.L("weight"), w.L("effective_weight"), w.L("direction"), w.L("normalization"),
               w.L("range"), w.L("unit"), w.L("sdg")]
    for j, h in enumerate(headers):
        w.text(ws, 0, j, h, w.head)
    shares = c.pillar_shares()
    r = 1
    for p in c.pillars:
        for i in p.indicators:
            w.text(ws, r, 0, p.title(w.lang))
            ws.write_number(r, 1, shares[p.key], w.pct)
            w.text(ws, r, 2, i.title(w.lang))
            w.text(ws, r, 3, i.column)
            ws.write_number(r, 4, i.weight)
            ws.write_number(r, 5, scores.weights[i.key], w.pct)
            w.text(ws, r, 6, w.L(i.direction.value))
            w.text(ws, r, 7, i.normalize.value)
            w.text(ws, r, 8, f"{i.range[0]:g} – {i.range[1]:g}" if i.range else None)
            w.text(ws, r, 9, i.unit)
            w.text(ws, r, 10, ", ".join(i.sdg) or None)
            r += 1
    w.text(ws, r, 0, w.L("total"), w.bold_top)
    ws.write_formula(r, 5, f"=SUM(F2:F{r})", w.book.add_format({"num_format": "0.0%", "bold": True,
                                                                "top": 1}),
                     sum(scores.weights.values()))
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 11)
    ws.set_column(2, 3, 34)
    ws.set_column(4, 5, 10)
    ws.set_column(6, 6, 24)
    ws.set_column(7, 10, 12)
    ws.freeze_panes(1, 0)


def _summary(w: _Writer, scores: Scores, awards: Awards, info: BookInfo) -> None:
    ws = w.sheet("summary")
    c, t = scores.criteria, scores.table
    w.text(ws, 0, 0, f"{w.L('summary_title')} — {c.name} {c.version}", w.title)
    facts = [(w.L("scored_at"), info.time.isoformat()),
             (w.L("files"), len(info.inputs)), (w.L("rows").capitalize(), info.rows),
             (w.L("entrants").capitalize(), len(t)), (w.L("assessor_count"), info.assessors)]
    if c.entrant.group:
        facts.append((c.entrant.group, int(t["group"].nunique())))
    r = 2
    for k, v in facts:
        w.text(ws, r, 0, k, w.bold)
        if isinstance(v, str):
            w.text(ws, r, 1, v)
        else:
            ws.write_number(r, 1, v)
        r += 1
    r += 1
    if c.awards is not None:
        for j, h in enumerate((w.L("award"), w.L("winners"), w.L("money"))):
            w.text(ws, r, j, h, w.head)
        r += 1
        for rule in c.awards.rules:
            got = [a for a in awards.items if a.rule == rule.key]
            w.text(ws, r, 0, rule.name(w.lang))
            ws.write_number(r, 1, len(got))
            ws.write_number(r, 2, float(sum(a.prize for a in got)), w.money)
            r += 1
        w.text(ws, r, 0, w.L("awarded"), w.bold_top)
        ws.write_blank(r, 1, None, w.bold_top)
        ws.write_number(r, 2, awards.total, w.money_bold)
        r += 1
        if awards.budget is not None:
            w.text(ws, r, 0, w.L("budget"))
            ws.write_number(r, 2, awards.budget, w.money)
            r += 1
            if awards.over_budget:
                w.text(ws, r, 0, w.L("over_budget", total=rupiah(awards.total),
                                     budget=rupiah(awards.budget)), w.warn)
                r += 1
    ranking = SHEETS["ranking"][w.lang]
    top = min(TOP_N, len(t))
    chart = w.book.add_chart({"type": "bar"})
    chart.add_series({"name": w.L("score"), "categories": [ranking, 1, 2, top, 2],
                      "values": [ranking, 1, 6, top, 6], "fill": {"color": "#4472C4"},
                      "data_labels": {"value": True, "num_format": SCORE}})
    chart.set_title({"name": w.L("top_chart", n=top)})
    chart.set_x_axis({"name": w.L("score"), "min": 0, "max": c.scale, "visible": True})
    chart.set_y_axis({"reverse": True, "visible": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 420})
    chart_col = len(c.pillars) + 2
    ws.insert_chart(1, chart_col, chart)
    if c.entrant.group:
        r += 1
        means = t.groupby("group", sort=True)[[p.key for p in c.pillars]].mean()
        head = r
        w.text(ws, r, 0, c.entrant.group, w.head)
        for j, p in enumerate(c.pillars, start=1):
            w.text(ws, r, j, p.title(w.lang), w.head)
        for g, row in means.iterrows():
            r += 1
            w.text(ws, r, 0, g)
            for j, v in enumerate(row.tolist(), start=1):
                ws.write_number(r, j, v, w.score)
        bars = w.book.add_chart({"type": "column"})
        for j in range(1, len(c.pillars) + 1):
            bars.add_series({"name": [ws.get_name(), head, j],
                             "categories": [ws.get_name(), head + 1, 0, r, 0],
                             "values": [ws.get_name(), head + 1, j, r, j]})
        bars.set_title({"name": w.L("group_chart", group=c.entrant.group)})
        bars.set_y_axis({"name": w.L("score"), "min": 0, "max": c.scale, "visible": True})
        bars.set_x_axis({"visible": True})
        bars.set_size({"width": 720, "height": 420})
        ws.insert_chart(23, chart_col, bars)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 2, 18)
    ws.set_column(3, len(c.pillars), 11)


def _metadata(w: _Writer, scores: Scores, info: BookInfo) -> None:
    ws = w.sheet("metadata")
    rows: list[tuple[str, str]] = [
        ("bantar", __version__), ("command", info.command), ("time", info.time.isoformat()),
        ("criteria", scores.criteria.source), ("criteria sha256", scores.criteria.sha256)]
    for n, i in enumerate(info.inputs, start=1):
        rows += [(f"input {n}", i.path), (f"input {n} sha256", i.sha256),
                 (f"input {n} rows", str(i.rows))]
    for r, (k, v) in enumerate(rows):
        w.text(ws, r, 0, k, w.bold)
        w.text(ws, r, 1, v)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 80)
