"""The assessment form of ``bantar template``: instructions, and a ``Penilaian`` sheet whose
headers are exactly the criteria's columns, with data validation on every mark cell.

The criteria's name, version and SHA-256 are stored in a hidden ``_bantar`` sheet (and in the
document's custom properties), so ``score`` can warn when a form was made from other criteria.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from .. import __version__
from ..io.entrants import Entrant
from ..model import Criteria, Indicator
from .cells import clean_text
from .labels import label

META_SHEET = "_bantar"
RUBRIC_SPAN = 10  # whole-number ranges up to this wide get a dropdown of their values


def _cell_text(value: str | None) -> str | None:
    return None if value is None else clean_text(value)[0]


def validation(ind: Indicator, lang: str) -> dict[str, object]:
    """xlsxwriter data validation for one indicator's mark cells."""
    lo, hi = ind.range if ind.range else (None, None)
    direction = label(ind.direction.value, lang).capitalize()
    unit = f" ({ind.unit})" if ind.unit else ""
    title = clean_text(ind.column)[0][:32]
    if lo is None:
        return {"validate": "decimal", "criteria": ">=", "value": -1e300,
                "input_title": title, "input_message": f"{direction}."[:255]}
    common = {"input_title": title,
              "input_message": label("input_message", lang, lo=f"{lo:g}", hi=f"{hi:g}", unit=unit,
                                     direction=direction)[:255],
              "error_title": title, "error_type": "stop",
              "error_message": label("input_error", lang, lo=f"{lo:g}", hi=f"{hi:g}")[:255]}
    if float(lo).is_integer() and float(hi).is_integer() and hi - lo <= RUBRIC_SPAN:
        return {"validate": "list", "source": [int(v) for v in range(int(lo), int(hi) + 1)],
                **common}
    return {"validate": "decimal", "criteria": "between", "minimum": lo, "maximum": hi, **common}


def write_form(path: Path, criteria: Criteria, rows: Sequence[Entrant], *, lang: str = "id",
               blank_rows: int = 50) -> None:
    """Write one form holding ``rows`` (entrant and assessor prefilled) plus ``blank_rows``."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                            "valign": "vcenter", "align": "center", "locked": True})
    open_cell = book.add_format({"locked": False})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})
    _guide(book, criteria, lang, head, wrap, bold)
    ws = book.add_worksheet(label("form_sheet", lang))
    roles = criteria.entrant.roles()
    role_keys = list(roles)
    headers = [*roles.values(), *(i.column for i in criteria.indicators)]
    for j, h in enumerate(headers):
        ws.write_string(0, j, clean_text(h)[0], head)
    last = len(rows) + blank_rows
    for r, e in enumerate(rows, start=1):
        for j, role in enumerate(role_keys):
            value = _cell_text(getattr(e, role))
            if value is not None:
                ws.write_string(r, j, value, open_cell)
    n_roles = len(role_keys)
    ws.set_column(0, n_roles - 1, 20, open_cell)
    for j, ind in enumerate(criteria.indicators, start=n_roles):
        ws.set_column(j, j, 14, open_cell)
        ws.data_validation(1, j, last, j, validation(ind, lang))
    ws.set_row(0, 45)
    ws.freeze_panes(1, min(2, n_roles))
    ws.protect("", {"insert_rows": True, "delete_rows": True, "sort": True, "autofilter": True,
                    "format_columns": True, "format_rows": True})
    ws.activate()
    meta = book.add_worksheet(META_SHEET)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    for r, (k, v) in enumerate((("criteria", criteria.name), ("version", criteria.version),
                                ("sha256", criteria.sha256), ("bantar", __version__),
                                ("made", stamp))):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, clean_text(v)[0])
    meta.very_hidden()
    book.set_custom_property("bantar_criteria", criteria.name)
    book.set_custom_property("bantar_criteria_version", criteria.version or "-")
    book.set_custom_property("bantar_criteria_sha256", criteria.sha256 or "-")
    book.close()


def _guide(book, criteria: Criteria, lang: str, head, wrap, bold) -> None:
    ws = book.add_worksheet(label("guide_sheet", lang))
    ws.write_string(0, 0, label("guide_title", lang), book.add_format({"bold": True,
                                                                        "font_size": 14}))
    ws.write_string(1, 0, f"{label('made_from', lang)}: {criteria.name} {criteria.version} "
                          f"(SHA-256 {criteria.sha256[:16]}…)")
    steps = label("guide_steps", lang).splitlines()
    for r, step in enumerate(steps, start=3):
        ws.write_string(r, 0, step)
    r0 = 4 + len(steps)
    headers = [label("pillar", lang), label("column", lang), label("indicator", lang),
               label("description", lang), label("unit", lang), label("range", lang),
               label("direction", lang), label("effective_weight", lang)]
    for j, h in enumerate(headers):
        ws.write_string(r0, j, h, head)
    weights = criteria.effective_weights()
    pct = book.add_format({"num_format": "0.0%", "valign": "top"})
    r = r0
    for p in criteria.pillars:
        for i in p.indicators:
            r += 1
            ws.write_string(r, 0, p.title(lang), wrap)
            ws.write_string(r, 1, clean_text(i.column)[0], book.add_format(
                {"bold": True, "text_wrap": True, "valign": "top"}))
            ws.write_string(r, 2, clean_text(i.title(lang))[0], wrap)
            ws.write_string(r, 3, clean_text(i.description or "")[0], wrap)
            ws.write_string(r, 4, clean_text(i.unit or "")[0], wrap)
            ws.write_string(r, 5, f"{i.range[0]:g} – {i.range[1]:g}" if i.range else "", wrap)
            ws.write_string(r, 6, label(i.direction.value, lang), wrap)
            ws.write_number(r, 7, weights[i.key], pct)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 2, 30)
    ws.set_column(3, 3, 40)
    ws.set_column(4, 6, 16)
    ws.set_column(7, 7, 10)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    del bold
