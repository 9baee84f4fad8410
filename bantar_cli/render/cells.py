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


EXCEL_MAX_SHEET_NAME = 31  # UTF-16 code units
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _utf16_cut(text: str, units: int) -> str:
    """The longest start of ``text`` that is at most ``units`` UTF-16 code units long."""
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def sheet_names(titles: list[str], fallback: str) -> list[str]:
    """Valid, distinct sheet names for ``titles`` (user text, such as group names): Excel's
    forbidden characters become '_', names are cut to 31 characters and may not start or end
    with an apostrophe, 'History' is Excel's own, and a name already taken (ignoring case)
    gets ' (2)', ' (3)', ...; an empty title becomes ``fallback``."""
    taken: set[str] = set()
    out = []
    for title in titles:
        base = _SHEET_FORBIDDEN.sub("_", title).strip().strip("'").strip() or fallback
        if base.lower() == "history":
            base = f"{base}_"
        name, n = _utf16_cut(base, EXCEL_MAX_SHEET_NAME).strip().strip("'"), 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = _utf16_cut(base, EXCEL_MAX_SHEET_NAME - len(suffix)).rstrip().rstrip("'") + suffix
        taken.add(name.lower())
        out.append(name)
    return out
