"""Limits on what an input may cost, checked before a reader gets the file.

A workbook is a zip of XML: it can be truncated, inflate to far more than its size, or hold a
sheet that declares (or has) a cell at XFD1048576, which a reader would lay out as billions of
cells. These checks look at the zip directory and scan each sheet's XML as bytes — no XML parser,
so no entity is ever expanded — and turn every such file into a clear problem.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..errors import Problem, Where

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one INPUT may hold. Raise them with --max-file-mb, --max-inflated-mb, --max-rows and
    --max-columns."""

    file_bytes: int = 512 * MB
    inflated_bytes: int = 512 * MB
    rows: int = 2_000_000
    columns: int = 1_000


DEFAULT_LIMITS = Limits()

_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{3,})\d+"')
_FORMULA_NO_VALUE = re.compile(rb"(?:</f>|<f/>|<f [^>]*/>)(?:<v\s*/>|<v></v>)?</c>")
_ODS_REPEAT = re.compile(rb'number-(rows|columns)-repeated="(\d+)"')


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _limit_problem(display: str, slug: str, message: str, option: str, sheet: str | None = None,
                   ) -> Problem:
    return Problem(slug=slug, where=Where(display, sheet), message=message,
                   expected="a file within bantar's limits",
                   hint=f"if the file is genuine, raise the limit with {option}")


def check_size(display: str, size: int, limits: Limits) -> Problem | None:
    if size > limits.file_bytes:
        return _limit_problem(display, "too-large",
                              f"the file is {size / MB:.1f} MB, more than the limit of "
                              f"{limits.file_bytes / MB:g} MB", "--max-file-mb")
    return None


def inspect_zip(display: str, data: bytes, suffix: str, limits: Limits) -> list[Problem]:
    """Problems of a zip-based workbook (.xlsx, .ods) found without parsing its XML."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [Problem(slug="broken-file", where=Where(display),
                        message=f"the workbook is not a complete zip archive ({exc})",
                        expected="a workbook that opens in a spreadsheet program",
                        hint="it is probably truncated: download or export it again")]
    inflated = sum(i.file_size for i in infos)
    if inflated > limits.inflated_bytes:
        return [_limit_problem(display, "too-large-inflated",
                               f"the workbook inflates to {inflated / MB:.0f} MB, more than the "
                               f"limit of {limits.inflated_bytes / MB:.0f} MB", "--max-inflated-mb")]
    if any(i.flag_bits & 0x1 for i in infos):
        return [Problem(slug="encrypted-workbook", where=Where(display),
                        message="the workbook's parts are encrypted",
                        expected="an unprotected workbook",
                        hint="remove the password in the spreadsheet program and save it again")]
    names = {i.filename for i in infos}
    try:
        if suffix == ".ods":
            return _inspect_ods(display, zf, limits) if "content.xml" in names else [
                Problem(slug="broken-file", where=Where(display),
                        message="the file has no content.xml, so it is not an OpenDocument "
                                "spreadsheet", expected="a real .ods file")]
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        if "xl/workbook.xml" not in names:
            return [Problem(slug="broken-file", where=Where(display),
                            message="the file has no xl/workbook.xml, so it is not an Excel "
                                    "workbook", expected="a real .xlsx file",
                            hint="save it again from a spreadsheet program as .xlsx")]
        problems: list[Problem] = []
        for name in sheets:
            with zf.open(name) as stream:
                problems += _inspect_sheet(display, name, stream, limits)
        return problems
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        return [Problem(slug="broken-file", where=Where(display),
                        message=f"a part of the workbook cannot be read ({exc})",
                        expected="a workbook that opens in a spreadsheet program",
                        hint="it is probably truncated or damaged: download or export it again")]


CHUNK = 4 * MB
OVERLAP = 64


def _inspect_sheet(display: str, name: str, stream: io.BufferedIOBase, limits: Limits,
                   ) -> list[Problem]:
    """Scan a sheet's XML in chunks (memory stays bounded): the declared dimension, the last
    row, the widest cell reference, and formulas stored without a value."""
    part = name.rsplit("/", 1)[-1]
    rows = cols = 0
    formulas = False
    carry = b""
    first = True
    for chunk in _inflated(stream):
        buf = carry + chunk
        if first:
            m = _DIMENSION.search(buf, 0, 4096)
            if m:
                last_col, last_row = ((m.group(3), m.group(4)) if m.group(3) else
                                      (m.group(1), m.group(2)))
                rows, cols = int(last_row), column_number(last_col)
            first = False
        tail = buf.rfind(b'<row r="')
        if tail >= 0:
            found = _LAST_ROW.match(buf, tail)
            if found:
                rows = max(rows, int(found.group(1)))
        for wide in _WIDE_CELL.finditer(buf):
            cols = max(cols, column_number(wide.group(1)))
        # every formula starts '<f': a plain search rules most chunks out 3× faster than the pattern
        formulas = formulas or (b"<f" in buf and bool(_FORMULA_NO_VALUE.search(buf)))
        if rows > limits.rows or cols > limits.columns:
            break
        carry = buf[-OVERLAP:]
    out = []
    if rows > limits.rows:
        out.append(_limit_problem(display, "too-many-rows",
                                  f"sheet part {part} declares or holds {rows:,} rows, more than "
                                  f"the limit of {limits.rows:,}", "--max-rows"))
    if cols > limits.columns:
        out.append(_limit_problem(display, "too-many-columns",
                                  f"sheet part {part} declares or holds {cols:,} columns, more "
                                  f"than the limit of {limits.columns:,}", "--max-columns"))
    if not out and formulas:
        out.append(Problem(slug="formula-without-value", severity="warning", where=Where(display),
                           message=f"sheet part {part} has formulas without a saved value; "
                                   "such cells read as empty",
                           hint="open the file in a spreadsheet program and save it again, so "
                                "the values are stored"))
    return out


def _inflated(stream: io.BufferedIOBase) -> Iterator[bytes]:
    """The stream's chunks, each next one inflated on a second thread (zlib lets go of the GIL)
    while the caller scans this one."""
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(stream.read, CHUNK)
        while chunk := pending.result():
            pending = pool.submit(stream.read, CHUNK)
            yield chunk


def _inspect_ods(display: str, zf: zipfile.ZipFile, limits: Limits) -> list[Problem]:
    xml = zf.read("content.xml")
    # LibreOffice writes a million empty trailing rows as one repeated row: only repeated rows or
    # cells that carry a value are a threat
    for m in _ODS_REPEAT.finditer(xml):
        count = int(m.group(2))
        limit = limits.rows if m.group(1) == b"rows" else limits.columns
        if count <= limit:
            continue
        end = xml.find(b">", m.end())
        closing = xml.find(b"</table:table-row>" if m.group(1) == b"rows" else
                           b"</table:table-cell>", end)
        self_closed = xml[end - 1:end] == b"/"
        body = b"" if self_closed else xml[end:closing if closing >= 0 else end + 4096]
        if b"office:value" in body or b"<text:p" in body or b"office:value" in xml[
                m.start() - 300:end]:
            kind = "rows" if m.group(1) == b"rows" else "columns"
            return [_limit_problem(display, f"too-many-{kind}",
                                   f"the spreadsheet repeats a filled {kind[:-1]} {count:,} times, "
                                   f"more than the limit of {limit:,}", f"--max-{kind}")]
    return []
