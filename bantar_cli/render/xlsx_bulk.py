"""Fast rows for the big sheets of a workbook written by xlsxwriter.

xlsxwriter spends some 9 µs on each cell; a breakdown of 1,651 entrants × 20 indicators × 3
numbers is 100,000 cells, a second on its own. For such blocks the sheet is laid out by xlsxwriter
(headers, column formats, panes, print setup) and its rows are spliced into the sheet XML after
``Workbook.close()``, made by Arrow a column at a time (numbers as orjson writes them, each
distinct text escaped once). Cells keep the style of their column's format.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .cells import EXCEL_MAX_TEXT, clean_text

EXCEL_ROWS = 1_048_576  # the rows a sheet can hold
PIECE_ROWS = 20_000  # rows made into XML at a time
T = TypeVar("T")


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
    xlsxwriter format whose ``xf_index`` styles its cells once the workbook is closed. Text may
    be an Arrow array of strings, or a dictionary array of them: a column that repeats a few
    texts (a breakdown's ids, pillars and indicators, millions of rows at national scale) then
    takes a 4-byte code per row, not a Python reference (8 bytes a row, and a sliced copy of
    the list for each sheet)."""

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

    def pieces(self) -> Iterator[memoryview]:
        """The block's rows as UTF-8 sheet XML, ``PIECE_ROWS`` rows at a time: a national
        breakdown is a million rows a sheet, never one string (as one, 6.7 million rows took
        13.8 GB). Each piece is made column by column by Arrow, with no Python object per cell
        (Python's f-string per cell took 14 of the 32 s of a national award workbook)."""
        from .json_columns import concatenated, literal, numbers

        letters = column_letters(len(self.columns))
        n = len(self.columns[0].values) if self.columns else 0
        for start in range(0, n, PIECE_ROWS):
            stop = min(n, start + PIECE_ROWS)
            at = np.arange(self.first_row + 1 + start, self.first_row + 1 + stop)
            row_numbers = numbers(at)
            cells = [self._cells(letter, col.values[start:stop], col, row_numbers, at)
                     for letter, col in zip(letters, self.columns, strict=True)]
            yield concatenated(pc.binary_join_element_wise(
                literal(b'<row r="'), row_numbers, literal(b'">'), *cells, literal(b"</row>"), literal(b"")))

    def _cells(self, letter: str, part: Sequence[object], col: BulkColumn,
               row_numbers: pa.Array, at: np.ndarray) -> pa.Array:
        """One column's cells of a piece, an empty text where the cell is left empty."""
        from .json_columns import literal, numbers

        xf = getattr(col.style, "xf_index", None)
        s = f' s="{xf}"' if xf else ""
        head = literal(f'<c r="{letter}'.encode())
        if col.text:
            body, cut = _cell_texts(part)
            self.cut += [f"{letter}{r}" for r in at[cut]]
            cell = pc.binary_join_element_wise(
                head, row_numbers, literal(f'"{s} t="inlineStr"><is><t xml:space="preserve">'.encode()),
                body, literal(b"</t></is></c>"), literal(b""))
            return pc.fill_null(cell, literal(b""))
        values = np.asarray(part, dtype="float64")
        empty = ~np.isfinite(values)  # NaN: no value (and an infinity is no number Excel holds)
        if empty.any():
            values = np.where(empty, 0.0, values)
        cell = pc.binary_join_element_wise(
            head, row_numbers, literal(f'"{s}><v>'.encode()),
            numbers(values.astype(np.int64) if col.integer else values),
            literal(b"</v></c>"), literal(b""))
        return pc.if_else(pa.array(empty), literal(b""), cell) if empty.any() else cell

    def last_cell(self) -> str:
        letters = column_letters(len(self.columns))
        return f"{letters[-1]}{self.first_row + len(self.columns[0].values)}"


def _cell_texts(part: Sequence[object]) -> tuple[pa.Array, np.ndarray]:
    """The escaped, Excel-safe text of each value (null for ``None``; others by their ``str``),
    each distinct value made once; and the positions of the values cut to Excel's limit."""
    if isinstance(part, pa.Array):  # a dictionary's codes decoded for this piece only
        arr = part.dictionary_decode() if pa.types.is_dictionary(part.type) else part
        arr = arr.cast(pa.large_string())
    else:
        try:  # strings and None, the usual case, straight to Arrow
            arr = pa.array(part, pa.large_string())
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            arr = pa.array([None if v is None else str(v) for v in part], pa.large_string())
    encoded = pc.dictionary_encode(arr)
    made, cut = [], []
    for d, value in enumerate(encoded.dictionary.to_pylist()):
        text, was_cut = clean_text(value)
        made.append(escape(text))
        if was_cut:
            cut.append(d)
    codes = encoded.indices
    rows = (np.flatnonzero(np.isin(codes.fill_null(-1).to_numpy(), cut)) if cut
            else np.zeros(0, dtype=np.intp))
    return pc.take(pa.array(made, pa.large_string()).cast(pa.large_binary()), codes), rows


def ahead(items: Iterator[T]) -> Iterator[T]:
    """``items``, each next one made on a second thread while the caller uses this one (Arrow
    makes the pieces, zlib deflates them: both without the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    done = object()
    with ThreadPoolExecutor(1, thread_name_prefix="bantar-pieces") as pool:
        pending = pool.submit(next, items, done)
        while (item := pending.result()) is not done:
            pending = pool.submit(next, items, done)
            yield item


def sheet_parts(n: int, header_rows: int = 1) -> list[tuple[int, int, int]]:
    """(part, start, stop) for ``n`` rows under ``header_rows``: part 1, 2, … of as many sheets
    as Excel's rows need (one, even for no rows)."""
    per_sheet = EXCEL_ROWS - header_rows
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
                for piece in ahead(block.pieces()):
                    out.write(piece)
                out.write(tail.encode("utf-8"))
    os.replace(tmp, path)
    return [f"{b.sheet_name}!{cell}: text cut to Excel's limit of {EXCEL_MAX_TEXT} characters"
            for b in blocks for cell in b.cut]
