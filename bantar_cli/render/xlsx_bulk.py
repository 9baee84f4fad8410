"""Fast rows for the big sheets of a workbook written by xlsxwriter.

xlsxwriter spends some 9 µs on each cell; a breakdown of 1,651 entrants × 20 indicators × 3
numbers is 100,000 cells, a second on its own. For such blocks the sheet is laid out by xlsxwriter
(headers, column formats, panes, print setup) and its rows are spliced into the sheet XML after
``Workbook.close()``, a row per string join. Cells keep the style of their column's format.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from .cells import EXCEL_MAX_TEXT, clean_text

EXCEL_ROWS = 1_048_576  # the rows a sheet can hold
PIECE_ROWS = 20_000  # rows made into XML at a time


def column_letters(n: int) -> list[str]:
    out = []
    for i in range(n):
        s, k = "", i + 1
        while k:
            k, rem = divmod(k - 1, 26)
            s = chr(65 + rem) + s
        out.append(s)
    return out


@dataclass
class BulkColumn:
    """One column of a block: text (``None`` leaves a cell empty) or numbers (NaN does), with the
    xlsxwriter format whose ``xf_index`` styles its cells once the workbook is closed."""

    values: Sequence[object]
    text: bool = False
    style: object = None
    integer: bool = False

    def part(self, start: int, stop: int) -> BulkColumn:
        """The same column, of rows ``start:stop`` only."""
        return BulkColumn(self.values[start:stop], self.text, self.style, self.integer)


@dataclass
class BulkBlock:
    """Rows to splice into worksheet ``sheet_number`` (1-based, creation order) from ``first_row``
    (0-based, as xlsxwriter counts), one ``BulkColumn`` per column from column A."""

    sheet_number: int
    first_row: int
    columns: list[BulkColumn]
    sheet_name: str = ""
    cut: list[str] = field(default_factory=list)

    def pieces(self) -> Iterator[str]:
        """The block's rows as sheet XML, ``PIECE_ROWS`` rows at a time: a national breakdown is
        a million rows a sheet, never one string (as one, 6.7 million rows took 13.8 GB)."""
        rows = PIECE_ROWS
        letters = column_letters(len(self.columns))
        n = len(self.columns[0].values) if self.columns else 0
        for start in range(0, n, rows):
            stop = min(n, start + rows)
            at = range(self.first_row + 1 + start, self.first_row + 1 + stop)
            cols = [self._cells(letter, col.values[start:stop], col, at, self.cut)
                    for letter, col in zip(letters, self.columns, strict=True)]
            yield "".join([f'<row r="{r}">{"".join(cells)}</row>'
                           for r, cells in zip(at, zip(*cols, strict=True), strict=True)])

    @staticmethod
    def _cells(letter: str, part: Sequence[object], col: BulkColumn, rows: range,
               cut: list[str]) -> list[str]:
        xf = getattr(col.style, "xf_index", None)
        s = f' s="{xf}"' if xf else ""
        if col.text:
            seen: dict[object, str] = {}
            out = []
            for r, v in zip(rows, part, strict=True):
                if v is None:
                    out.append("")
                    continue
                t = seen.get(v)
                if t is None:
                    text, was_cut = clean_text(str(v))
                    if was_cut:
                        cut.append(f"{letter}{r}")
                    t = seen[v] = escape(text)
                out.append(f'<c r="{letter}{r}"{s} t="inlineStr"><is><t xml:space="preserve">{t}'
                           "</t></is></c>")
            return out
        values = np.asarray(part, dtype="float64").tolist()
        if col.integer:
            return [f'<c r="{letter}{r}"{s}><v>{int(v)}</v></c>' if v == v else ""
                    for r, v in zip(rows, values, strict=True)]
        return [f'<c r="{letter}{r}"{s}><v>{v!r}</v></c>' if v == v else ""
                for r, v in zip(rows, values, strict=True)]

    def last_cell(self) -> str:
        letters = column_letters(len(self.columns))
        return f"{letters[-1]}{self.first_row + len(self.columns[0].values)}"


def sheet_parts(n: int) -> list[tuple[int, int, int]]:
    """(part, start, stop) for ``n`` rows under a one-row header: part 1, 2, … of as many sheets
    as Excel's rows need (one, even for no rows)."""
    per_sheet = EXCEL_ROWS - 1
    return [(part, start, min(n, start + per_sheet))
            for part, start in enumerate(range(0, max(n, 1), per_sheet), start=1)]


def splice(path: Path, blocks: list[BulkBlock]) -> list[str]:
    """Add each block's rows to its sheet in the closed workbook at ``path`` (rewritten whole,
    each block's sheet written a piece at a time); return a warning for each text that had to
    be cut to Excel's limit."""
    if not blocks:
        return []
    path = Path(path)
    by_name = {f"xl/worksheets/sheet{b.sheet_number}.xml": b for b in blocks}
    tmp = path.with_name(path.name + ".splice")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            block = by_name.get(info.filename)
            if block is None:
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
                continue
            xml = data.decode("utf-8")
            last = block.last_cell()
            xml = re.sub(r'<dimension ref="([A-Z]+\d+)(:[A-Z]+\d+)?"/>',
                         lambda m, last=last: f'<dimension ref="{m.group(1)}:{last}"/>', xml,
                         count=1)
            if "<sheetData/>" in xml:
                head, tail = xml.split("<sheetData/>", 1)
                head, tail = head + "<sheetData>", "</sheetData>" + tail
            else:
                head, tail = xml.split("</sheetData>", 1)
                tail = "</sheetData>" + tail
            with zout.open(info.filename, "w") as out:  # the archive's deflate, level 1
                out.write(head.encode("utf-8"))
                for piece in block.pieces():
                    out.write(piece.encode("utf-8"))
                out.write(tail.encode("utf-8"))
    os.replace(tmp, path)
    return [f"{b.sheet_name}!{cell}: text cut to Excel's limit of {EXCEL_MAX_TEXT} characters"
            for b in blocks for cell in b.cut]
