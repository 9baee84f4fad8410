"""CSV assessments, read with pyarrow's multi-threaded reader.

The separator (``,``, ``;`` or tab) and the header row are found on the first records; every
used column is read as text, and the indicator columns as bytes, which ``csvmarks`` turns into
marks by the same rules as text cells in a workbook (``8,5``; ``1.500`` refused). Cell addresses
(``C12``: column C, line 12) are worked out only when a problem needs one.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
from pathlib import Path

import numpy as np

from ..errors import Problem, UsageError, Where
from ..model import Criteria
from ..preload import preload_pandas
from .arrowbuf import one_array, valid
from .cellmap import Source, column_letter
from .cells import clean_text, coded_text
from .csvmarks import NotUtf8, read_marks
from .freed import hand_back
from .guard import DEFAULT_LIMITS, Limits
from .layout import SHEET_TOTAL, Layout, find_layout
from .workbook import (
    TEXT_ROLES,
    Block,
    add_assessor,
    cell_problem,
    check_columns,
    data_rows,
    no_header,
)

SAMPLE_BYTES = 256 * 1024
DELIMITERS = (",", ";", "\t")
PIECE_BYTES = 16 << 20
BLOCK_BYTES = 4 << 20  # fewer, larger chunks: their dictionaries are cheaper to merge
# read as plain text: names hardly repeat (an entrant's few rows), so a dictionary of them
# costs a hash per chunk and a merge for nothing. Everything else is read as dictionaries:
# groups, categories, assessors and marks repeat; and the ids are hashed for the core anyway,
# which the reader then does on its threads, chunk by chunk, while it parses (see
# ``cells.coded_text``: at a million rows, merging the chunks' dictionaries of 330,000 ids took
# 33-93 ms against 74-236 ms for hashing the million ids)
UNIQUE_TEXT = ("name",)


def _decode_sample(data: bytes) -> str | None:
    sample = data[:SAMPLE_BYTES]
    for cut in range(4):  # a multi-byte character may be split at the end of the sample
        try:
            return sample[: len(sample) - cut].decode("utf-8-sig")
        except UnicodeDecodeError:
            if len(sample) < SAMPLE_BYTES:
                break
    return None


def _sniff(text: str, wanted: dict[str, str]) -> tuple[str, Layout] | None:
    best: tuple[str, Layout] | None = None
    for delim in DELIMITERS:
        records = []
        for rec in csv.reader(io.StringIO(text, newline=""), delimiter=delim):  # '\r' ends too
            records.append(rec)
            if len(records) >= 40:
                break
        layout = find_layout(records, wanted)
        if layout and (best is None or len(layout.columns) > len(best[1].columns)):
            best = (delim, layout)
    return best


def read_csv_blocks(path: Path, display: str, data: bytes, criteria: Criteria,
                    wanted: dict[str, str], problems: list[Problem], notes: list[str],
                    limits: Limits = DEFAULT_LIMITS, *, quoted: bool = True) -> list[Block]:
    """``data``: the head of the file from ``scan`` (the whole file when it is small);
    ``quoted``: whether the file has a '"' anywhere (without, lines can split in parallel)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    streamed = len(data) > SAMPLE_BYTES and not data.startswith(_UTF16)
    if not streamed:  # the whole file: small, or UTF-16 (converted in memory)
        data = _utf8(data if len(data) <= SAMPLE_BYTES else _read_again(path, display))
    text = _decode_sample(data)
    if text is None:
        problems.append(_not_utf8(display))
        return []
    found = _sniff(text, wanted)
    if found is None:
        problems.append(no_header(display, criteria, None))
        return []
    delim, layout = found
    header_line = layout.header_row + 1
    if not check_columns(layout, display, None, criteria, problems, header_line):
        return []
    width = len(layout.names)
    if width > limits.columns:
        problems.append(Problem(slug="too-many-columns", where=Where(display),
                                message=f"the header has {width:,} columns, more than the limit "
                                        f"of {limits.columns:,}",
                                hint="if it is genuine, raise --max-columns"))
        return []
    names = [f"c{j}" for j in range(width)]
    used = {key: f"c{j}" for key, j in layout.columns.items()}
    preload_pandas()  # while pyarrow reads, without the GIL
    try:
        table = pcsv.read_csv(
            str(path) if streamed else io.BytesIO(data),
            read_options=pcsv.ReadOptions(skip_rows=layout.header_row + 1, column_names=names,
                                          encoding="utf8", block_size=BLOCK_BYTES),
            # a line break inside a value needs quotes; without any, lines split in parallel
            parse_options=pcsv.ParseOptions(delimiter=delim, newlines_in_values=quoted),
            convert_options=pcsv.ConvertOptions(
                include_columns=list(used.values()),
                # large_string, as pandas holds text: the frame takes the columns as they are
                column_types={c: pa.large_string() if key in UNIQUE_TEXT else
                              pa.dictionary(pa.int32(), pa.large_string()) if key in TEXT_ROLES
                              else pa.binary() for key, c in used.items()},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except OSError as exc:  # it vanished or changed since it was scanned
        raise _unreadable(display, exc) from exc
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        bad_text = _UTF8_ERROR.search(str(exc))
        if bad_text:  # a text column past the sample (the marks are read as bytes)
            j = int(bad_text[1])
            problems.append(_not_utf8(display, f"column {column_letter(j)} "
                                               f"('{layout.names[j]}') is not UTF-8 text"))
            return []
        problems.append(Problem(slug="broken-file", where=Where(display),
                                message=f"the CSV file cannot be read: {str(exc).splitlines()[0]}",
                                expected=f"the same number of '{delim}'-separated fields on "
                                         "every line", hint="check for stray separators or quotes"))
        return []
    if table.num_rows > limits.rows:
        problems.append(Problem(slug="too-many-rows", where=Where(display),
                                message=f"the file has {table.num_rows:,} rows, more than the "
                                        f"limit of {limits.rows:,}",
                                hint="if it is genuine, raise --max-rows"))
        return []
    from concurrent.futures import ThreadPoolExecutor

    n = table.num_rows
    keys = [i.key for i in criteria.indicators]

    def lines() -> np.ndarray:  # read again only if a problem needs a line: not kept meanwhile
        return _line_numbers(_utf8(_read_again(path, display)), delim, layout.header_row, n)

    # each column let go as soon as it is used, not held in the table to the end: its memory
    # then serves the next (memory the process has not used yet costs more to get)
    read = {key: table.column(col) for key, col in used.items()}
    del table
    hand_back()  # what the parse freed (~150 MB at a million rows): the block below reuses it
    values = np.empty((n, len(keys)), dtype="float64", order="F")
    total = np.empty(n) if SHEET_TOTAL in used else None
    with ThreadPoolExecutor(2) as pool:
        # text roles: trimmed strings (names, groups, assessors: each distinct one trimmed once);
        # ids and assessors: codes too, from the merged dictionary when it serves; and each
        # mark column into the block: all by Arrow and numpy, mostly without the GIL
        coding = {key: pool.submit(lambda col=read.pop(key), key=key: coded_text(
                      one_array(col), in_order=key == "id")) for key in ("id", "assessor")
                  if key in used}
        trimming = {key: pool.submit(lambda col=read.pop(key): _trimmed(one_array(col)))
                    for key in used if key in TEXT_ROLES and key not in coding}
        reading = {key: pool.submit(read_marks, read.pop(key),
                                    total if key == SHEET_TOTAL else values[:, keys.index(key)])
                   for key in used if key not in TEXT_ROLES}
        marks = {}
        for key, job in reading.items():
            try:
                marks[key] = job.result()
            except NotUtf8 as bad:
                cells = Source(file=display, sheet=None, columns=dict(layout.columns),
                               header_row=header_line, lazy_rows=lines)
                problems.append(_not_utf8(
                    display, f"'{layout.names[layout.columns[key]]}' is not UTF-8 text",
                    where=cells.where(bad.row, key)))
                return []
        texts = {key: job.result() for key, job in trimming.items()}
        coded = {}
        for key, job in coding.items():
            texts[key], coded[key] = job.result()
        encoded = coded["id"]
    has_id = valid(texts["id"])
    any_value = np.zeros(n, dtype=bool)
    for k in keys:
        if any_value.all():  # a column without blanks settles it for every row
            break
        any_value |= marks[k].filled()
    keep = data_rows(has_id, any_value, ~np.isnan(values[:3]).all(axis=1))
    idx = np.flatnonzero(keep)
    whole = len(idx) == n
    source = Source(file=display, sheet=None, columns=dict(layout.columns),
                    header_row=header_line,
                    lazy_rows=lambda: lines()[idx])
    columns: dict[str, object] = {}
    for key, arr in texts.items():
        columns[key] = arr if whole else arr.take(pa.array(idx))
    if not whole:  # rows left out (blank, or under the header): rarely more than a few
        kept = np.empty((len(idx), len(keys)), dtype="float64", order="F")
        for j in range(len(keys)):  # a column at a time: one copy, in the block's order
            np.take(values[:, j], idx, out=kept[:, j])
        values = kept
    if total is not None:
        columns[SHEET_TOTAL] = total if whole else total[idx]
    # if the reader's dictionary could not serve, the ids hashed (a row left out above has no
    # id, so the codes of the rows kept stay in order of first appearance)
    id_codes = encoded if encoded is not None else pc.dictionary_encode(texts["id"])
    for key, mark in marks.items():
        if key == SHEET_TOTAL:
            continue
        column = criteria.indicators[keys.index(key)].column
        for offset, slug, text in mark.problems(None if whole else idx):
            problems.append(cell_problem(source, offset, key, column, slug, text, f"'{text}'",
                                         criteria))
    add_assessor(columns, len(idx), criteria, display, None, notes)
    who = coded.get("assessor")
    return [Block(columns=columns, source=source, marks=values,
                  id_codes=id_codes if whole else id_codes.take(pa.array(idx)),
                  assessor_codes=who if whole or who is None else who.take(pa.array(idx)))]


_UTF8_ERROR = re.compile(r"In CSV column #(\d+): CSV conversion error to [^:]+: invalid UTF8")


def _not_utf8(display: str, message: str = "the CSV file is not UTF-8 text", *,
              where: Where | None = None) -> Problem:
    return Problem(slug="not-utf8", where=where or Where(display), message=message,
                   expected="a CSV file saved as UTF-8",
                   hint="in Excel choose 'Save as' > 'CSV UTF-8 (Comma delimited)'")


def scan(path: Path) -> tuple[bytes, str, bool]:
    """The head of a CSV file (one byte more than the sample, so a longer file shows), the
    SHA-256 of all of it, and whether it has a '"' anywhere, in one pass of pieces: a large
    file is never held whole.

    The pieces are read into one buffer, reused: this runs beside pandas' import, and each
    piece's read and hash let go of the GIL and then wait for it again, so fewer, larger pieces
    wait less (154 MB beside the import: 0.143 against 0.169 s for 4 MB pieces, each a new
    ``bytes``)."""
    digest = hashlib.sha256()
    head = b""
    quoted = False
    with path.open("rb", buffering=0) as f:
        buf = bytearray(min(PIECE_BYTES, os.fstat(f.fileno()).st_size + 1))
        view = memoryview(buf)
        while n := f.readinto(buf):
            piece = view[:n]
            if len(head) <= SAMPLE_BYTES:
                head += bytes(piece[: SAMPLE_BYTES + 1 - len(head)])
            digest.update(piece)
            quoted = quoted or buf.find(b'"', 0, n) >= 0
    return head, digest.hexdigest(), quoted


def _unreadable(display: str, exc: OSError) -> UsageError:
    return UsageError(f"cannot read {display} any more: {exc.strerror or exc}",
                      code="unreadable-file", hint="was it moved or changed while bantar read it?")


def _read_again(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(display, exc) from exc


_UTF16 = (b"\xff\xfe", b"\xfe\xff")


def _utf8(data: bytes) -> bytes:
    if data[:2] in _UTF16:  # Excel's "Unicode text" is UTF-16
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16").encode("utf-8")
    return data


def _trimmed(column):
    """Text trimmed, blanks null; a dictionary column is trimmed one distinct text at a time
    and expanded once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        return pc.take(clean_text(column.dictionary), column.indices)
    return clean_text(column)


def _line_numbers(data: bytes, delim: str, header_index: int, n: int) -> np.ndarray:
    """The first physical line of each data record, as pyarrow numbers them (blank lines
    skipped). Without a '"' each record is one line, and numpy finds them in the bytes;
    otherwise the csv module reads the text (a million lines: 2 s and 750 MB that way)."""
    if b'"' not in data:
        found = _plain_line_numbers(data, header_index, n)
        if found is not None:
            return found
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    out = []
    prev = 0
    for i, rec in enumerate(reader):
        start = prev + 1
        prev = reader.line_num
        if i <= header_index or not rec:
            continue
        out.append(start)
        if len(out) == n:
            break
    return np.asarray(out, dtype=np.int64)


_BOM = b"\xef\xbb\xbf"


def _plain_line_numbers(data: bytes, header_index: int, n: int) -> np.ndarray | None:
    """``_line_numbers`` of a file without quotes: the lines after the header that hold anything
    (the csv module reads an empty line, or one of only ``\\r\\n``, as no record). ``None``
    when a ``\\r`` ends a line alone, which the csv module also takes for a line break."""
    b = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero(b == ord("\n"))
    returns = np.flatnonzero(b == ord("\r"))
    if len(returns) and not (b[np.minimum(returns + 1, len(b) - 1)] == ord("\n")).all():
        return None  # a lone '\r' (also one at the very end)
    starts = np.r_[0, breaks + 1]
    ends = np.r_[breaks, len(b)]
    if starts[-1] == len(b):  # after the last line break: no line
        starts, ends = starts[:-1], ends[:-1]
    length = ends - starts
    length -= (length > 0) & (b[np.maximum(ends - 1, 0)] == ord("\r"))  # of a '\r\n'
    if data.startswith(_BOM) and len(length):
        length[0] -= len(_BOM)  # decoding with utf-8-sig drops it
    filled = np.flatnonzero(length > 0)
    rows = (filled[filled > header_index] + 1).astype(np.int64)
    return rows[:n] if n else rows  # n = 0: all of them, as the csv module's count gives
