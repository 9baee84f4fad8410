"""Cell values -> typed columns: text for entrant columns, float64 for indicators.

Numbers stored as numbers pass through; numbers typed as text go through ``parse_number``;
anything else becomes a problem with its place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter

import numpy as np

from .arrowbuf import text_ends, values
from .numbers import NOT_A_NUMBER, parse_number

_NUMERIC = {float, int}


def text_column(values: Sequence[object]):
    """``to_text`` as an Arrow string array (null for blanks). The usual column, text only, is
    trimmed by Arrow in one call instead of a Python string per cell."""
    import pyarrow as pa

    if values and set(map(type, values)) == {str}:
        return clean_text(pa.array(values, pa.string()))
    return pa.array(to_text(values), pa.string())


# bytes that may start or end a text Arrow trims: ASCII controls and space, and any byte of a
# multi-byte character (Unicode spaces such as U+00A0 among them)
_MAY_TRIM = np.zeros(256, dtype=bool)
_MAY_TRIM[:0x21] = _MAY_TRIM[0x7F:] = True


def clean_text(arr):
    """An Arrow string array trimmed, its blanks null. Each step copies the column, so a step
    it needs not is skipped: a million ids or names are rarely padded or blank, which their
    first and last bytes and their lengths show."""
    import pyarrow.compute as pc

    start, end, data = text_ends(arr)
    filled = end > start
    every = bool(filled.all())  # no empty text (and no null): nothing to pick out, nothing blank
    first, last = (start, end) if every else (start[filled], end[filled])
    if _MAY_TRIM[data[first]].any() or _MAY_TRIM[data[last - 1]].any():
        return blank_to_null(pc.utf8_trim_whitespace(arr))
    return arr if every else blank_to_null(arr)


def coded_text(column, *, in_order: bool):
    """A dictionary column of text as the frame holds text (``large_string``, trimmed, blanks
    null), and as codes (a ``DictionaryArray`` with int32 indices) when its dictionary is what
    hashing the trimmed column would give, else ``None``: its texts unchanged by trimming (a
    trim could merge two of them, a blank vanish), none missing, and with ``in_order`` each
    listed in order of first appearance and used, as ``pc.dictionary_encode`` lists them (what
    the core needs of the ids; the assessors are numbered by sorted name, in any order given).

    A reader that has the column as a dictionary anyway (CSV's chunks merged; Parquet read
    with ``read_dictionary``) so spares hashing a million texts after reading it: for the ids
    of a million rows, the long pole of both readers."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = pc.cast(column.dictionary, pa.large_string())
    cleaned = clean_text(words)
    text = pc.take(cleaned, column.indices)
    if (column.null_count or not pa.types.is_integer(column.indices.type)
            or not (cleaned is words or cleaned.equals(words))):
        return text, None
    indices = pc.cast(column.indices, pa.int32())
    codes = values(indices, "int32")
    if in_order and len(codes):
        seen = np.maximum.accumulate(codes)  # each new code one above all before it
        if codes[0] != 0 or seen[-1] != len(words) - 1 or (np.diff(seen) > 1).any():
            return text, None
    return text, pa.DictionaryArray.from_arrays(indices, words)


def blank_to_null(arr):
    """An Arrow string array with its empty strings as nulls (every reader's missing text);
    the array itself when it has none. No Python value goes to Arrow: pyarrow converts one by
    way of pandas (see ``arrowbuf``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    start, end, _ = text_ends(arr)
    if not (end == start).any():  # a null's slot may count too: then Arrow decides
        return arr
    blank = pc.invert(pc.cast(pc.binary_length(arr), pa.bool_()))  # 0 bytes long
    return pc.if_else(blank, pa.nulls(1, arr.type)[0], arr)


def to_text(values: Sequence[object]) -> list[str | None]:
    """Entrant ids, names, groups: whole numbers lose their '.0'; blanks become None."""
    out: list[str | None] = []
    for v in values:
        if v is None or v == "":
            out.append(None)
        elif type(v) is str:
            s = v.strip()
            out.append(s or None)
        elif type(v) is float and v.is_integer():
            out.append(str(int(v)))
        elif isinstance(v, (dt.date, dt.datetime, dt.time)):
            out.append(v.isoformat())
        else:
            out.append(str(v).strip() or None)
    return out


def _describe(v: object) -> str:
    if isinstance(v, bool):
        return "a yes/no value"
    if isinstance(v, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(v, (dt.time, dt.timedelta)):
        return "a time"
    return f"'{v}'"


def number_block(rows: Sequence[Sequence[object]], columns: list[int]) -> np.ndarray | None:
    """The given columns of every row as one float64 array (rows × columns), when every cell
    there is a number; None otherwise (then ``to_numbers``, column by column, says which are
    not). One pass over the rows instead of a transpose and a type test per column."""
    if not columns:
        return None
    pick = itemgetter(*columns) if len(columns) > 1 else (lambda r: (r[columns[0]],))
    picked = list(map(pick, rows))
    if not set(map(type, chain.from_iterable(picked))) <= _NUMERIC:
        return None
    return np.array(picked, dtype="float64").reshape(len(rows), len(columns))


def to_numbers(values: Sequence[object]) -> tuple[np.ndarray, list[tuple[int, str, object, str]]]:
    """(float64 array with NaN for blanks, [(offset, slug, value, description)] for bad cells)."""
    types = set(map(type, values))
    if types <= _NUMERIC:  # fromiter: no intermediate object array, about twice as fast
        return np.fromiter(values, dtype="float64", count=len(values)), []
    out = np.empty(len(values), dtype="float64")
    bad: list[tuple[int, str, object, str]] = []
    for n, v in enumerate(values):
        t = type(v)
        if t is float or t is int:
            out[n] = v
        elif v is None or v == "":
            out[n] = np.nan
        elif t is str:
            x, slug = parse_number(v)
            out[n] = np.nan if x is None else x
            if slug:
                bad.append((n, slug, v, _describe(v)))
        else:
            out[n] = np.nan
            bad.append((n, NOT_A_NUMBER, v, _describe(v)))
    return out, bad


def parse_distinct(texts: list[str | None]) -> tuple[np.ndarray, list[str | None]]:
    """Parse each distinct text once: (values, slug or None) per text; for dictionary columns."""
    vals = np.empty(len(texts), dtype="float64")
    slugs: list[str | None] = []
    for n, t in enumerate(texts):
        if t is None or not t.strip():
            vals[n] = np.nan
            slugs.append(None)
            continue
        x, slug = parse_number(t)
        vals[n] = np.nan if x is None else x
        slugs.append(slug)
    return vals, slugs
