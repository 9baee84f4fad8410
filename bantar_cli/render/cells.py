"""Safe cell text for workbooks: never a formula, no characters Excel cannot store."""

from __future__ import annotations

import re

EXCEL_MAX_TEXT = 32767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value: str) -> tuple[str, bool]:
    """(text Excel can store, whether it had to be cut to Excel's limit)."""
    text = _ILLEGAL.sub("", value)
    if len(text) > EXCEL_MAX_TEXT:
        return text[:EXCEL_MAX_TEXT], True
    return text, False


def put_text(ws, row: int, col: int, value: str | None):
    """Write ``value`` as a plain string cell, whatever character it starts with."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    text, _ = clean_text(str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store '=...' as a formula
    return cell
