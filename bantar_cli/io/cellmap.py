"""Turns (frame row, key) into a place a person can open: ``penilaian.xlsx: Penilaian!F17``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..errors import Problem, Where


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Source:
    """One block of rows: a sheet of a workbook, or a CSV file.

    ``columns``: key (indicator key or entrant role) -> 0-based column index.
    ``rows``: the 1-based sheet row (or CSV line) of each frame row of this block; for CSV it
    is computed only when a problem needs it (``lazy_rows``).
    """

    file: str
    sheet: str | None
    columns: dict[str, int]
    header_row: int
    rows: np.ndarray | None = None
    lazy_rows: Callable[[], np.ndarray] | None = None

    def row_numbers(self) -> np.ndarray:
        if self.rows is None:
            assert self.lazy_rows is not None
            self.rows = self.lazy_rows()
        return self.rows

    def where(self, offset: int | None, key: str | None) -> Where:
        col = self.columns.get(key) if key else None
        if offset is None:
            cell = f"{column_letter(col)}{self.header_row}" if col is not None else None
            return Where(self.file, self.sheet, cell)
        row = int(self.row_numbers()[offset])
        cell = f"{column_letter(col)}{row}" if col is not None else f"{row}:{row}"
        return Where(self.file, self.sheet, cell)


@dataclass
class CellMap:
    """Where each row of the stacked frame came from."""

    sources: list[Source] = field(default_factory=list)
    source_of_row: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    offset_of_row: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def where(self, row: int, key: str | None) -> Where:
        src = self.sources[int(self.source_of_row[row])]
        return src.where(int(self.offset_of_row[row]), key)

    def locate(self, problem: Problem) -> Problem:
        """The same problem with ``where`` (and ``also``, for its earlier twin) filled in."""
        if problem.where is not None or problem.row is None:
            return problem
        also = self.where(problem.other_row, problem.key) if problem.other_row is not None else None
        return Problem(**{**_fields(problem), "where": self.where(problem.row, problem.key),
                          "also": also})


def _fields(p: Problem) -> dict:
    return {f: getattr(p, f) for f in p.__dataclass_fields__}
