"""Parquet assessments (large ones, from a data system): one table, its column names the
header. Typed numbers are taken as they are; text in a mark column is parsed like a text cell.
Places are given as if the table were a sheet with its header on row 1 (``file: F12``)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np

from ..errors import Problem, Where
from ..model import Criteria
from ..preload import preload_pandas
from .arrowbuf import one_array, valid, values
from .cellmap import Source
from .cells import clean_text, coded_text, parse_distinct
from .freed import hand_back
from .guard import Limits
from .layout import find_layout
from .workbook import TEXT_ROLES, Block, add_assessor, cell_problem, check_columns, no_header

CODED = ("id", "assessor")  # the text columns the core needs as codes


def _coded_columns(schema, names: list[str], layout) -> list[str]:
    """The names of the id and assessor columns, when they hold text: read as dictionaries,
    Arrow encodes them as it decodes the file (in parallel, and without decoding a text twice
    where the file stores them as a dictionary already), instead of a reader's thread hashing
    a million decoded ids after (1M rows: 0.085 against 0.111 s for decoding and coding them,
    medians of 6)."""
    return [names[j] for key in CODED
            if (j := layout.columns.get(key)) is not None and _is_text(schema.types[j])]


def _is_text(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _is_text_dictionary(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_dictionary(kind) and _is_text(kind.value_type)


def read_parquet_blocks(path: Path, display: str, data: bytes, criteria: Criteria,
                        wanted: dict[str, str], problems: list[Problem], notes: list[str],
                        limits: Limits) -> list[Block]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    preload_pandas()  # while pyarrow reads, without the GIL
    try:
        file = pq.ParquetFile(pa.BufferReader(data))  # read by Arrow, without the GIL
        names = file.schema_arrow.names
        layout = find_layout([names], wanted)
        unique = layout is not None and len(set(names)) == len(names)
        # only the columns bantar uses are decoded (all at once: pyarrow decodes them in parallel)
        wanted_names = [names[j] for j in layout.columns.values()] if unique else None
        coded = _coded_columns(file.schema_arrow, names, layout) if unique else []
        table = None
        if coded:  # the file once more, only its footer: these columns come as dictionaries
            with contextlib.suppress(Exception):  # should Arrow refuse: read them as text
                table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=coded).read(
                    columns=wanted_names)
        if table is None:
            table = file.read(columns=wanted_names)
    except Exception as exc:  # pyarrow raises several types for damaged files
        problems.append(Problem(slug="broken-file", where=Where(display),
                                message=f"the Parquet file cannot be read ({str(exc)[:160]})",
                                expected="a complete Parquet file",
                                hint="it may be truncated: export it again"))
        return []
    if layout is None:
        problems.append(no_header(display, criteria, None))
        return []
    if not check_columns(layout, display, None, criteria, problems, 1):
        return []
    n = table.num_rows
    # each column let go once it is in the frame's block: the table is not held beside it
    whole = table.num_columns == len(names)  # read whole only when names repeat
    read = {j: table.column(j if whole else names[j]) for j in layout.columns.values()}
    del table
    if n > limits.rows:
        problems.append(Problem(slug="too-many-rows", where=Where(display),
                                message=f"the file has {n:,} rows, more than the limit of "
                                        f"{limits.rows:,}", hint="if it is genuine, raise --max-rows"))
        return []
    source = Source(file=display, sheet=None, columns=dict(layout.columns), header_row=1,
                    rows=np.arange(2, n + 2, dtype=np.int64))
    columns: dict[str, object] = {}
    keys = [i.key for i in criteria.indicators]
    marks = np.empty((n, len(keys)), dtype="float64", order="F")  # the frame's block, filled here
    hashed: dict[str, pa.DictionaryArray] = {}

    def fill(item: tuple[str, int]) -> list[Problem]:
        """Put one column in the frame; its cell problems (run on two threads: Arrow's
        kernels and numpy's copies work without the GIL)."""
        key, j = item
        hand_back()  # the columns filled so far: their pages serve the next columns' marks
        col = one_array(read.pop(j))
        if key in TEXT_ROLES:  # as pandas holds text (large_string): the frame takes it as it is
            if key in CODED and _is_text_dictionary(col.type):
                columns[key], hashed[key] = coded_text(col, in_order=key == "id")
            else:
                columns[key] = clean_text(pc.cast(col, pa.large_string()))
            if key in CODED and hashed.get(key) is None:  # hashed here, beside the other
                # columns (for the ids, the core's costliest step), not by the core later
                hashed[key] = pc.dictionary_encode(columns[key])
            return []
        out = marks[:, keys.index(key)] if key in keys else np.empty(n)
        if key not in keys:
            columns[key] = out
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
            col = col if col.type == pa.float64() else pc.cast(col, pa.float64(), safe=False)
            out[:] = values(col, "float64")
            if col.null_count:
                out[~valid(col)] = np.nan
            return []
        enc = pc.cast(col, pa.large_string()).dictionary_encode()
        distinct = enc.dictionary.to_pylist()
        parsed, slugs = parse_distinct(distinct)
        codes = values(enc.indices, "int32")  # a null's slot is masked below
        nulls = ~valid(enc.indices)
        out[:] = np.where(nulls, np.nan, parsed[np.where(nulls, 0, codes)] if len(parsed) else
                          np.nan)
        if key not in keys:
            return []
        column = criteria.indicators[keys.index(key)].column
        return [cell_problem(source, int(offset), key, column, slug, distinct[d],
                             f"'{distinct[d]}'", criteria)
                for d, slug in enumerate(slugs) if slug is not None
                for offset in np.flatnonzero((codes == d) & ~nulls)]

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        for found in pool.map(fill, layout.columns.items()):  # in column order
            problems += found
    columns = {key: columns[key] for key in layout.columns if key in columns}  # column order
    add_assessor(columns, n, criteria, display, None, notes)
    hand_back()  # the decoded columns' pages
    who = hashed.get("assessor")
    return [Block(columns=columns, source=source, marks=marks, id_codes=hashed.get("id"),
                  assessor_codes=who if who is not None and not who.null_count else None)]
