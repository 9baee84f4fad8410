"""Limits on what an input may cost, checked before a reader gets the file.

A workbook is a zip of XML: it can be truncated, inflate to far more than its size, or hold a
sheet that declares (or has) a cell at XFD1048576, which a reader would lay out as billions of
cells. These checks look at the zip directory and scan each sheet's XML as bytes — no XML parser,
so no entity is ever expanded — and turn every such file into a clear problem.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from zlib_ng import zlib_ng

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
        budget = [limits.inflated_bytes]  # what the sheets may still inflate to, in fact
        for name in sheets:
            problems += _inspect_sheet(display, name, _member(data, zf, zf.getinfo(name), budget),
                                       limits)
            if budget[0] < 0:
                return [_limit_problem(display, "too-large-inflated",
                                       f"sheet part {name.rsplit('/', 1)[-1]} inflates past the "
                                       f"limit of {limits.inflated_bytes / MB:.0f} MB, though the "
                                       "workbook's zip directory declares less",
                                       "--max-inflated-mb")]
        return problems
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError,
            zlib_ng.error) as exc:
        return [Problem(slug="broken-file", where=Where(display),
                        message=f"a part of the workbook cannot be read ({exc})",
                        expected="a workbook that opens in a spreadsheet program",
                        hint="it is probably truncated or damaged: download or export it again")]


CHUNK = 4 * MB
OVERLAP = 64


def _inspect_sheet(display: str, name: str, chunks: Iterator[bytes], limits: Limits,
                   ) -> list[Problem]:
    """Scan a sheet's XML in chunks (memory stays bounded): the declared dimension, the last
    row, the widest cell reference, and formulas stored without a value."""
    part = name.rsplit("/", 1)[-1]
    rows = cols = 0
    formulas = False
    carry = b""
    first = True
    suspects = _Suspects(CHUNK)

    def scan(buf: bytes, wide: bool, formula: bool) -> None:
        nonlocal rows, cols, formulas
        tail = buf.rfind(b'<row r="')
        if tail >= 0 and (found := _LAST_ROW.match(buf, tail)):
            rows = max(rows, int(found.group(1)))
        if wide:
            for found in _WIDE_CELL.finditer(buf):
                cols = max(cols, column_number(found.group(1)))
        formulas = formulas or (formula and bool(_FORMULA_NO_VALUE.search(buf)))

    for chunk in _ahead(chunks):
        if first:
            m = _DIMENSION.search(chunk, 0, 4096)
            if m:
                last_col, last_row = ((m.group(3), m.group(4)) if m.group(3) else
                                      (m.group(1), m.group(2)))
                rows, cols = int(last_row), column_number(last_col)
            first = False
        scan(carry + chunk[:OVERLAP], True, True)  # what spans the seam with the last chunk
        scan(chunk, *suspects(chunk))
        if rows > limits.rows or cols > limits.columns:
            break
        carry = (carry + chunk)[-OVERLAP:] if len(chunk) < OVERLAP else chunk[-OVERLAP:]
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


class _Suspects:
    """Whether a chunk may hold a cell reference of three or more letters (it has a quote and
    three capitals) and a formula (it has '<f', or '/f' when the '<f>' is in an earlier chunk).
    A few numpy passes over the bytes rule most chunks out, several times as fast as the
    patterns, which then run only where these find something. The passes write into arrays
    made once: fresh ones for each chunk would cost more in page faults than the passes."""

    def __init__(self, size: int) -> None:
        import numpy as np

        self.np = np
        self.shifted = np.empty(size, dtype=np.uint8)
        self.upper = np.empty(size, dtype=bool)
        self.found = np.empty(size, dtype=bool)  # chunks are at most ``size`` bytes

    def __call__(self, buf: bytes) -> tuple[bool, bool]:
        np = self.np
        b = np.frombuffer(buf, dtype=np.uint8)
        n = len(b)
        if n < 4 or n > len(self.upper):
            return True, True
        upper, found = self.upper[:n], self.found[:n - 3]
        np.subtract(b, ord("A"), out=self.shifted[:n])  # bytes below 'A' wrap round to large values
        np.less(self.shifted[:n], 26, out=upper)
        np.equal(b[:-3], ord('"'), out=found)
        for k in (1, 2, 3):
            found &= upper[k:n - 3 + k]
        wide = bool(found.any())
        found, other = self.found[:n - 1], upper[:n - 1]
        np.equal(b[:-1], ord("<"), out=found)
        np.equal(b[:-1], ord("/"), out=other)
        found |= other
        np.equal(b[1:], ord("f"), out=other)
        found &= other
        return wide, bool(found.any())


def _ahead(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks, each next one made on a second thread (inflating lets go of the GIL) while
    the caller scans this one."""
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(next, chunks, b"")
        while chunk := pending.result():
            pending = pool.submit(next, chunks, b"")
            yield chunk


PIECE = 1 * MB  # compressed bytes fed at a time: each inflates to at most CHUNK per call
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name and extra field lengths


def _member(data: bytes, zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int],
            ) -> Iterator[bytes]:
    """A member's bytes in chunks of at most CHUNK, to the end of its deflate stream whatever
    size the directory declares; ``budget[0]`` is lowered by each chunk and the inflating stops
    once it is below zero. Inflated by zlib-ng straight from ``data``: a 99 MB sheet takes
    0.15 s, against 0.30–0.37 s through ``zipfile``'s reader (whose CRC check the workbook
    reader makes again)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with zf.open(info) as stream:  # methods spreadsheet programs do not use
            while budget[0] >= 0 and (chunk := stream.read(CHUNK)):
                budget[0] -= len(chunk)
                yield chunk
        return
    at = info.header_offset
    if len(data) < at + _LOCAL_HEADER.size:
        raise zipfile.BadZipFile(f"{info.filename} starts past the end of the file")
    signature, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, at)
    start = at + _LOCAL_HEADER.size + name_len + extra_len
    if signature != b"PK\x03\x04" or start + info.compress_size > len(data):
        raise zipfile.BadZipFile(f"{info.filename} is cut short or misplaced")
    raw = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (bytes(raw[i:i + CHUNK]) for i in range(0, len(raw), CHUNK))
    else:
        pieces = _inflate(raw)
    for chunk in pieces:
        budget[0] -= len(chunk)
        yield chunk
        if budget[0] < 0:
            return


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """A raw deflate stream inflated in chunks of at most CHUNK bytes, however far it expands."""
    inflater = zlib_ng.decompressobj(-15)  # a raw deflate stream, as zip holds it
    for i in range(0, len(raw), PIECE):
        out = inflater.decompress(raw[i:i + PIECE], CHUNK)
        while True:
            if out:
                yield out
            if not inflater.unconsumed_tail:
                break
            out = inflater.decompress(inflater.unconsumed_tail, CHUNK)
        if inflater.eof:
            return
    raise zipfile.BadZipFile("a compressed part stops before its end")


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
