"""Assessment files (.xlsx, .xls, .ods, .csv) -> one stacked DataFrame and its ``CellMap``.

The frame has a text column ``id``, the entrant roles the criteria name (``name``, ``group``,
``category``), ``assessor``, and one float64 column per indicator key. Columns the criteria do
not use (a committee's own totals among them) are ignored: bantar recomputes everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import Problem, UsageError, Where
from ..model import Criteria, InputInfo
from ..preload import preload_pandas
from .arrowbuf import valid
from .arrowbuf import values as buffer_values
from .cellmap import CellMap, Source, column_letter
from .cells import number_block, text_column, to_numbers
from .guard import DEFAULT_LIMITS, Limits, check_size, inspect_zip
from .layout import SHEET_TOTAL, Layout, find_layout, nearest, wanted_columns
from .nogc import gc_paused

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = WORKBOOK_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES
TEXT_ROLES = ("id", "name", "group", "category", "assessor")
SUBHEADER_ROWS = 3

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ..core.combine import Codes, Entrants

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Block:
    """The rows of one sheet (or CSV file), typed, with where they came from."""

    columns: dict[str, object]
    source: Source
    # rows × indicators in the criteria's order, float64, column-major, when the reader fills it
    # in place; then ``columns`` holds no indicator key
    marks: np.ndarray | None = None
    # the ids dictionary-encoded (codes in order of first appearance), and the assessors (the
    # distinct names in any order), when the reader made them (see ``cells.coded_text``):
    # ``Codes`` then need not hash the columns
    id_codes: pa.DictionaryArray | None = None
    assessor_codes: pa.DictionaryArray | None = None


@dataclass
class Assessment:
    """Everything read from the INPUT files, ready for the core."""

    frame: pd.DataFrame
    cells: CellMap
    inputs: tuple[InputInfo, ...]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    codes: Codes | None = None  # the frame's id and assessor codes, once the checks made them
    entrants: Entrants | None = None  # the id codes, when the reader made them already
    assessors: tuple[np.ndarray, pd.Index] | None = None  # the assessor codes and names, likewise

    def locate(self, problems: Sequence[Problem]) -> list[Problem]:
        return [self.cells.locate(p) for p in problems]

    def without_rows(self) -> Assessment:
        """The same inputs, problems and notes without the rows (an empty frame of the same
        columns, no cells, no codes): what a caller done with the rows keeps, so that their
        memory can go."""
        import pandas as pd

        # new empty columns: a slice of none of the rows would still hold their buffers
        empty = pd.DataFrame({c: pd.array([], dtype=t) for c, t in self.frame.dtypes.items()})
        return Assessment(frame=empty, cells=CellMap(), inputs=self.inputs,
                          problems=self.problems, notes=self.notes)


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_assessment(paths: Sequence[str | Path], criteria: Criteria, *,
                    limits: Limits = DEFAULT_LIMITS) -> Assessment:
    """Read and stack every INPUT. Problems are collected in ``.problems``, never raised, except
    for files that do not exist or are given twice (``UsageError``, exit 2). ``limits`` bound
    what one file may cost (size, inflated size, rows, columns). A file with the same bytes as
    an earlier one is not read: its rows would each be an entrant assessed twice."""
    _given_once(paths)
    wanted = wanted_columns(criteria)
    blocks: list[Block] = []
    inputs: list[InputInfo] = []
    problems: list[Problem] = []
    notes: list[str] = []
    for path in paths:
        display = str(path)
        p = Path(path)
        try:
            too_big = check_size(display, p.stat().st_size, limits)
            if too_big is not None:
                problems.append(too_big)
                inputs.append(InputInfo(path=display, sha256="", rows=0))
                continue
            preload_pandas()  # the file is there: hashing and checking it overlap the import
            quoted = True
            if p.suffix.lower() in CSV_SUFFIXES:  # streamed: only its head is held
                from .csvfile import scan

                data, sha256, quoted = scan(p)
            else:
                data = p.read_bytes()
                sha256 = file_sha256(data)
        except FileNotFoundError as exc:
            raise UsageError(f"input file not found: {display}", code="missing-file") from exc
        except IsADirectoryError as exc:
            raise UsageError(f"{display} is a folder, not a file", code="missing-file") from exc
        except OSError as exc:
            raise UsageError(f"cannot read {display}: {exc.strerror}", code="unreadable-file") from exc
        copied = next((i.path for i in inputs if data and i.sha256 == sha256), None)
        if copied is not None:
            problems.append(Problem(
                slug="same-file-content", where=Where(display),
                message=f"the file has the same content as {copied}: every row in it would be "
                        "an entrant assessed twice", expected="each assessment in one input",
                hint="give the file once"))
            inputs.append(InputInfo(path=display, sha256=sha256, rows=0))
            continue
        before = len(problems)
        found = _read_one(p, display, data, criteria, wanted, problems, notes, limits, quoted)
        if found and sum(_block_len(b) for b in found) == 0 and len(problems) == before:
            problems.append(Problem(slug="no-rows", where=Where(display),
                                    message="the file has a header row but no assessment rows",
                                    expected="one row per entrant and assessor under the header"))
        blocks += found
        inputs.append(InputInfo(path=display, sha256=sha256,
                                rows=sum(_block_len(b) for b in found)))
    frame, cells = _stack(blocks, criteria)
    return Assessment(frame=frame, cells=cells, inputs=tuple(inputs), problems=problems,
                      notes=notes, entrants=_entrants(blocks), assessors=_assessors(blocks))


def _given_once(paths: Sequence[str | Path]) -> None:
    """Refuse (exit 2) a file given twice, by any name (``a.csv ./a.csv``, a link to it)."""
    seen: dict[Path, str] = {}
    for path in paths:
        try:
            key = Path(path).resolve()
        except (OSError, RuntimeError):  # a name that cannot be resolved (a loop of links:
            continue  # RuntimeError before Python 3.13) is reported when it is read
        if key in seen:
            what = (f"{path} is given twice" if str(path) == seen[key] else
                    f"{seen[key]} and {path} are the same file")
            raise UsageError(what, code="input-twice", hint="give each input file once")
        seen[key] = str(path)


def _entrants(blocks: list[Block]) -> Entrants | None:
    """The id codes the reader made, as ``entrant_codes`` gives them, for a single block."""
    if len(blocks) != 1 or blocks[0].id_codes is None:
        return None
    import pandas as pd
    import pyarrow.compute as pc

    encoded = blocks[0].id_codes
    codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.intp)
    return codes, pd.Index(pd.array(encoded.dictionary, dtype="str"), name="id")


def _assessors(blocks: list[Block]) -> tuple[np.ndarray, pd.Index] | None:
    """The assessor codes the reader's dictionary gives, for a single block, as ``Codes.of``
    makes them by hashing the column: numbered by sorted name. Only the few names are sorted."""
    if len(blocks) != 1 or blocks[0].assessor_codes is None:
        return None
    import pandas as pd
    import pyarrow.compute as pc

    encoded = blocks[0].assessor_codes
    order = buffer_values(pc.array_sort_indices(encoded.dictionary), "uint64").astype(np.intp)
    number = np.empty(len(order), dtype=np.intp)
    number[order] = np.arange(len(order))
    who = number[buffer_values(encoded.indices, "int32")]
    return who, pd.Index(pd.array(encoded.dictionary.take(order), dtype="str"))


def _block_len(block: Block) -> int:
    return len(block.columns["id"])  # type: ignore[arg-type]


def _read_one(path: Path, display: str, data: bytes, criteria: Criteria, wanted: dict[str, str],
              problems: list[Problem], notes: list[str], limits: Limits,
              quoted: bool = True) -> list[Block]:
    """``data``: the file's bytes (for a CSV file, its head; ``quoted``: whether the whole file
    has a '"' anywhere)."""
    suffix = path.suffix.lower()
    where = Where(display)
    if not data:
        problems.append(Problem(slug="empty-file", message="the file is empty (0 bytes)",
                                where=where, expected="a workbook or CSV file with assessments"))
        return []
    if suffix not in SUFFIXES:
        problems.append(Problem(slug="unknown-format",
                                message=f"files ending in '{path.suffix}' cannot be read",
                                where=where, expected="a .xlsx, .xls, .ods, .csv or .parquet file"))
        return []
    if suffix in PARQUET_SUFFIXES:
        from .parquetfile import read_parquet_blocks

        if not data.startswith(b"PAR1"):
            problems.append(_mismatch(display, suffix, _magic_kind(data)))
            return []
        return read_parquet_blocks(path, display, data, criteria, wanted, problems, notes, limits)
    if suffix in CSV_SUFFIXES:
        from .csvfile import read_csv_blocks

        return read_csv_blocks(path, display, data, criteria, wanted, problems, notes, limits,
                               quoted=quoted)
    kind = _magic_kind(data)
    expected_kind = "ole" if suffix == ".xls" else "zip"
    if kind != expected_kind:
        problems.append(_mismatch(display, suffix, kind))
        return []
    if kind == "zip":
        found = inspect_zip(display, data, suffix, limits)
        problems += found
        if any(p.severity == "error" for p in found):
            return []
    return _read_workbook(path, display, data, criteria, wanted, problems, notes, limits)


def _magic_kind(data: bytes) -> str:
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        return "html"
    return "text"


def _mismatch(display: str, suffix: str, kind: str) -> Problem:
    where = Where(display)
    if kind == "ole" and suffix != ".xls":
        return Problem(slug="encrypted-workbook", where=where,
                       message="the workbook is password-protected (encrypted), or is an old "
                               ".xls saved under another name",
                       expected=f"an unprotected {suffix} file",
                       hint="open it in Excel, remove the password (File > Info > Protect "
                            "Workbook), and save it again")
    found = {"zip": "a zip-based workbook (.xlsx/.ods)", "ole": "an old Excel .xls file",
             "html": "a web page (HTML)", "text": "plain text"}[kind]
    return Problem(slug="wrong-format", where=where,
                   message=f"the file's content is {found}, not what its name ({suffix}) says",
                   expected=f"a real {suffix} file",
                   hint="open it in a spreadsheet program and save it as .xlsx"
                   if kind != "text" else "if it is a CSV file, name it .csv")


def _read_workbook(path: Path, display: str, data: bytes, criteria: Criteria,
                   wanted: dict[str, str], problems: list[Problem], notes: list[str],
                   limits: Limits) -> list[Block]:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(_bytes_io(data))
    except calamine.PasswordError:
        problems.append(_mismatch(display, path.suffix.lower(), "ole"))
        return []
    except Exception as exc:  # calamine raises several types for broken files
        problems.append(Problem(slug="broken-file", where=Where(display),
                                message=f"the workbook cannot be opened ({_short(exc)})",
                                expected="a workbook that opens in a spreadsheet program",
                                hint="it may be truncated or damaged: download or export it again"))
        return []
    blocks: list[Block] = []
    best_miss: tuple[str, list[str]] | None = None
    visible = [m.name for m in book.sheets_metadata
               if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")]
    preload_pandas()  # while calamine parses, without the GIL
    for name in visible:
        try:
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > limits.rows or sheet.total_width > limits.columns:
                problems.append(Problem(
                    slug="too-many-rows" if sheet.total_height > limits.rows else
                    "too-many-columns", where=Where(display, name),
                    message=f"the sheet spans {sheet.total_height:,} rows and "
                            f"{sheet.total_width:,} columns, more than the limits of "
                            f"{limits.rows:,} and {limits.columns:,}",
                    hint="if it is genuine, raise --max-rows or --max-columns"))
                continue
            head = sheet.to_python(skip_empty_area=False, nrows=SCAN_HEAD)
        except Exception as exc:
            entity = "entity" in str(exc)
            problems.append(Problem(
                slug="broken-file", where=Where(display, name),
                message=f"the sheet cannot be read ({_short(exc)})",
                expected="a sheet saved by a spreadsheet program",
                hint="its XML declares entities of its own, which spreadsheet programs never "
                     "write; bantar does not expand them" if entity else
                "open the file in a spreadsheet program and save it again"))
            continue
        layout = find_layout(head, wanted)
        if layout is None:
            if head and best_miss is None:
                best_miss = (name, [str(c) for r in head[:SCAN_HEAD] for c in r if c != ""])
            continue
        with gc_paused():
            grid = sheet.to_python(skip_empty_area=False)
            block = _grid_block(grid, layout, display, name, criteria, problems, notes,
                                several_sheets=len(visible) > 1)
            del grid
        if block is not None:
            blocks.append(block)
    if not blocks and not any(p.where and p.where.file == display for p in problems):
        problems.append(no_header(display, criteria, best_miss))
    if META_SHEET in book.sheet_names:
        problems += _made_from(book, display, criteria)
    return blocks


META_SHEET = "_bantar"


def _made_from(book, display: str, criteria: Criteria) -> list[Problem]:
    """A form made by ``bantar template`` records its criteria; warn when they differ."""
    try:
        rows = book.get_sheet_by_name(META_SHEET).to_python(nrows=20)
    except Exception:  # a damaged fingerprint is no reason to refuse the marks
        return []
    meta = {str(r[0]): str(r[1]) for r in rows if len(r) >= 2}
    made = meta.get("sha256")
    if not made or made == criteria.sha256:
        return []
    return [Problem(slug="criteria-mismatch", severity="warning", where=Where(display),
                    message=f"the form was made from criteria '{meta.get('criteria')}' version "
                            f"{meta.get('version')} (SHA-256 {made[:12]}…), but these are scored "
                            f"with '{criteria.name}' version {criteria.version} (SHA-256 "
                            f"{criteria.sha256[:12]}…)",
                    hint="make sure the criteria are the ones the assessors were given")]


SCAN_HEAD = 40


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def no_header(display: str, criteria: Criteria, best: tuple[str, list[str]] | None) -> Problem:
    where = Where(display, best[0] if best else None)
    hint = None
    if best:
        near = nearest(criteria.entrant.id, best[1])
        hint = (f"did you mean '{near}'? " if near else "") + (
            "the criteria say which columns to expect (-c CRITERIA.yaml)")
    return Problem(slug="no-header", where=where,
                   message=f"no sheet has a header row with the column '{criteria.entrant.id}' "
                           "and the indicator columns",
                   expected=f"a header row naming '{criteria.entrant.id}' and the indicators "
                            "of the criteria", hint=hint)


def check_columns(layout: Layout, display: str, sheet: str | None, criteria: Criteria,
                  problems: list[Problem], header_line: int) -> bool:
    """Report criteria columns the header lacks and columns named twice; False if unusable."""
    ok = True
    required = {r: c for r, c in criteria.entrant.roles().items() if r != "assessor"}
    required.update({i.key: i.column for i in criteria.indicators})
    for key, column in required.items():
        if key in layout.columns:
            continue
        near = nearest(column, layout.names)
        problems.append(Problem(
            slug="unknown-column", where=Where(display, sheet),
            message=f"the header (row {header_line}) has no column '{column}'",
            expected=f"a column headed '{column}' (from the criteria)",
            hint=f"did you mean '{near}'?" if near else
            "columns found: " + ", ".join(n for n in layout.names if n)[:300]))
        ok = False
    for cols in layout.duplicates.values():
        problems.append(Problem(
            slug="duplicate-column",
            where=Where(display, sheet, f"{column_letter(cols[1])}{header_line}"),
            message=f"column '{layout.names[cols[1]]}' appears twice (also in column "
                    f"{column_letter(cols[0])})", expected="each column once"))
        ok = False
    return ok


def _grid_block(grid: list[list[object]], layout: Layout, display: str, sheet: str,
                criteria: Criteria, problems: list[Problem], notes: list[str], *,
                several_sheets: bool) -> Block | None:
    header_line = layout.header_row + 1
    if not check_columns(layout, display, sheet, criteria, problems, header_line):
        return None
    data = grid[layout.header_row + 1:]
    n = len(data)
    rectangular = bool(data) and min(map(len, data)) > max(layout.columns.values())
    transposed: list[tuple[object, ...]] = []

    def column(j: int) -> Sequence[object]:
        if rectangular:
            return list(map(itemgetter(j), data))
        if not transposed and data:
            transposed.extend(zip_longest(*data, fillvalue=""))
        return transposed[j] if j < len(transposed) else ("",) * n

    keys = [i.key for i in criteria.indicators]
    texts = {role: text_column(column(j)) for role, j in layout.columns.items()
             if role in TEXT_ROLES}
    number_keys = [*keys, *([SHEET_TOTAL] if SHEET_TOTAL in layout.columns else [])]
    block = number_block(data, [layout.columns[k] for k in number_keys]) if rectangular else None
    if block is not None:  # every mark a number: one pass over the rows, no cell to report
        numbers = {k: (block[:, j], []) for j, k in enumerate(keys)}
        total = block[:, -1] if SHEET_TOTAL in layout.columns else None
    else:
        numbers = {k: to_numbers(column(layout.columns[k])) for k in keys}
        total = (to_numbers(column(layout.columns[SHEET_TOTAL]))[0]
                 if SHEET_TOTAL in layout.columns else None)
    has_id = valid(texts["id"])
    any_value = np.zeros(n, dtype=bool)
    parsed = np.zeros(n, dtype=bool)
    for values, bad in numbers.values():
        finite = ~np.isnan(values)
        parsed |= finite
        any_value |= finite
        any_value[[b[0] for b in bad]] = True
    keep = data_rows(has_id, any_value, parsed)
    idx = np.flatnonzero(keep)
    rows = np.arange(header_line + 1, header_line + 1 + n, dtype=np.int64)[idx]
    source = Source(file=display, sheet=sheet, columns=dict(layout.columns),
                    header_row=header_line, rows=rows)
    position = np.cumsum(keep) - 1
    whole = len(idx) == n
    columns: dict[str, object] = {role: vals if whole else vals.take(idx)
                                  for role, vals in texts.items()}
    for key, (values, bad) in numbers.items():
        columns[key] = values if whole else values[idx]
        column_name = next(i.column for i in criteria.indicators if i.key == key)
        for offset, slug, value, described in bad:
            if keep[offset]:
                problems.append(cell_problem(source, int(position[offset]), key, column_name, slug,
                                             value, described, criteria))
    if total is not None:
        columns[SHEET_TOTAL] = total if whole else total[idx]
    add_assessor(columns, len(idx), criteria, display, sheet if several_sheets else None, notes)
    return Block(columns=columns, source=source)


def data_rows(has_id: np.ndarray, any_value: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """Which rows hold data: an id or any indicator value. Rows right under the header with
    neither an id nor a number (units, column numbers in brackets) are part of the header."""
    keep = has_id | any_value
    for i in range(min(SUBHEADER_ROWS, len(keep))):
        if has_id[i] or numeric[i]:
            break
        keep[i] = False
    return keep


def cell_problem(source: Source, offset: int, key: str, column: str, slug: str, value: object,
                 described: str, criteria: Criteria) -> Problem:
    ind = next(i for i in criteria.indicators if i.key == key)
    rng = f"a number from {ind.range[0]:g} to {ind.range[1]:g}" if ind.range else "a number"
    if slug == "ambiguous-number":
        return Problem(slug=slug, where=source.where(offset, key), value=value, expected=rng,
                       message=f"'{column}' is {described}, which can be read two ways",
                       hint="write 1500 without a thousands separator, or 1,5 with only a "
                            "decimal comma")
    return Problem(slug=slug, where=source.where(offset, key), value=value, expected=rng,
                   message=f"'{column}' is {described}, not a number",
                   hint="type the number itself, with a comma or a dot for decimals: 8,5")


def add_assessor(columns: dict[str, object], n: int, criteria: Criteria, display: str,
                 sheet: str | None, notes: list[str]) -> None:
    """Without an assessor column, the file (and sheet) stands for one assessor."""
    if "assessor" in columns:
        return
    label = Path(display).stem + (f"/{sheet}" if sheet else "")
    columns["assessor"] = [label] * n
    if criteria.entrant.assessor:
        notes.append(f"{display}{': ' + sheet if sheet else ''} has no column "
                     f"'{criteria.entrant.assessor}': its rows count as assessor '{label}'")


def _text_data(values: object) -> object:
    """A reader's text column for the frame: an Arrow array becomes pandas' own ``str`` array
    (Arrow-backed: no copy); lists are left to pandas."""
    import pandas as pd
    import pyarrow as pa

    return pd.array(values, dtype="str") if isinstance(values, pa.Array) else values


def _stack(blocks: list[Block], criteria: Criteria) -> tuple[pd.DataFrame, CellMap]:
    """One frame: the text roles, then every mark in one float64 block filled in place (a
    million rows are not copied column by column again)."""
    import pandas as pd  # here, not above: it loads on another thread while the files are read

    keys = [i.key for i in criteria.indicators]
    roles = ["id", *[r for r in ("name", "group", "category") if getattr(criteria.entrant, r)],
             "assessor"]
    if not blocks:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in roles}
                             | {k: pd.Series(dtype="float64") for k in keys})
        return frame, CellMap(sources=[], source_of_row=np.zeros(0, np.int32),
                              offset_of_row=np.zeros(0, np.int64))
    with_total = any(SHEET_TOTAL in b.columns for b in blocks)
    number_keys = [*keys, *([SHEET_TOTAL] if with_total else [])]
    lengths = [_block_len(b) for b in blocks]
    if len(blocks) == 1 and blocks[0].marks is not None and not with_total:
        marks = blocks[0].marks
    else:
        marks = np.empty((sum(lengths), len(number_keys)), dtype="float64", order="F")
        start = 0
        for b, n in zip(blocks, lengths, strict=True):
            for j, k in enumerate(number_keys):
                marks[start:start + n, j] = (b.marks[:, j] if b.marks is not None and j < len(keys)
                                             else b.columns.get(k, np.nan))  # type: ignore[call-overload]
            start += n
    texts = [pd.DataFrame({c: _text_data(b.columns[c]) for c in roles}) for b in blocks]
    text = pd.concat(texts, ignore_index=True) if len(texts) > 1 else texts[0]
    frame = pd.concat([text, pd.DataFrame(marks, columns=number_keys, copy=False)], axis=1)
    cells = CellMap(sources=[b.source for b in blocks],
                    source_of_row=np.repeat(np.arange(len(blocks), dtype=np.int32), lengths),
                    offset_of_row=np.concatenate([np.arange(n, dtype=np.int64) for n in lengths]))
    return frame, cells
