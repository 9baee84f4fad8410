"""Finding the header row of a committee sheet and which column holds what.

Committee sheets often have a title above the header, or a two-row header whose entrant
columns are merged downwards while the indicator names sit in the lower row. The header row
is the row (among the first ``SCAN_ROWS``) that names the most expected columns, counting an
empty cell as the nearest non-empty cell up to two rows above it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Criteria
from .criteria import fold

SCAN_ROWS = 30
MERGE_DEPTH = 2
# a committee's own total column: bantar ignores it, but validate compares it with the marks
TOTAL_NAMES = {"jumlah", "total", "jumlah nilai", "total nilai", "nilai total", "skor total",
               "total skor", "jumlah skor"}
SHEET_TOTAL = "sheet_total"


def wanted_columns(criteria: Criteria) -> dict[str, str]:
    """Folded column name -> key (an entrant role or an indicator key)."""
    out = {fold(col): role for role, col in criteria.entrant.roles().items()}
    out.update({fold(i.column): i.key for i in criteria.indicators})
    return out


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


@dataclass(frozen=True)
class Layout:
    header_row: int                    # 0-based index in the grid
    columns: dict[str, int]            # key -> 0-based column index
    duplicates: dict[str, list[int]]   # key -> every column that carries its name
    names: list[str]                   # the header text of every column, as combined


def header_names(grid: Sequence[Sequence[object]], r: int) -> list[str]:
    """The header text of each column if row ``r`` is the header (merged cells filled upwards)."""
    row = grid[r]
    names = []
    for j in range(len(row)):
        name = _text(row[j])
        up = r - 1
        while not name and up >= max(0, r - MERGE_DEPTH):
            above = grid[up]
            name = _text(above[j]) if j < len(above) else ""
            up -= 1
        names.append(name)
    return names


def find_layout(grid: Sequence[Sequence[object]], wanted: dict[str, str]) -> Layout | None:
    """The best header row, or None when no row names the id column and another column."""
    best: Layout | None = None
    best_count = 1
    for r in range(min(SCAN_ROWS, len(grid))):
        names = header_names(grid, r)
        hits: dict[str, list[int]] = {}
        for j, name in enumerate(names):
            key = wanted.get(fold(name)) if name else None
            if key is not None:
                hits.setdefault(key, []).append(j)
        if "id" in hits and len(hits) > best_count:
            best_count = len(hits)
            columns = {k: v[0] for k, v in hits.items()}
            total = [j for j, name in enumerate(names) if fold(name) in TOTAL_NAMES]
            if total and SHEET_TOTAL not in wanted.values():
                columns[SHEET_TOTAL] = total[0]
            best = Layout(header_row=r, columns=columns,
                          duplicates={k: v for k, v in hits.items() if len(v) > 1}, names=names)
    return best


def nearest(name: str, names: Sequence[str]) -> str | None:
    """The header in ``names`` closest to ``name``, for 'did you mean' hints."""
    folded = {fold(n): n for n in names if n}
    hit = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=0.6)
    return folded[hit[0]] if hit else None
