"""``bantar template``: an assessment form made from the criteria."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from .edge import guard
from .options import CriteriaOpt, DebugOpt, Lang, LangOpt


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "penilai"


@guard
def template(
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False, show_default=False,
                                         help="The form to write (.xlsx).")],
    criteria: CriteriaOpt = None,
    entrants: Annotated[Path | None, typer.Option(
        "--entrants", exists=True, dir_okay=False, readable=True, show_default=False,
        help="CSV of entrants, headed with the criteria's entrant columns.")] = None,
    assessors: Annotated[str | None, typer.Option(
        "--assessors", show_default=False,
        help="Assessor names, comma-separated: each gets a block of rows for every entrant.")] = None,
    split: Annotated[bool, typer.Option(
        "--split", help="One workbook per assessor (FORM_<name>.xlsx) instead of one.")] = False,
    blank_rows: Annotated[int, typer.Option(
        "--blank-rows", min=0, help="Empty rows to leave for entrants not listed.")] = 50,
    lang: LangOpt = Lang.id,
    debug: DebugOpt = False,
) -> None:
    """Write an assessment form: headers exactly as the criteria expect, validation on every
    mark, instructions, and the criteria's fingerprint so `score` can tell which criteria it
    was made from.

    Example: bantar template --entrants rt.csv --assessors "Siti,Budi,Dewi" -o penilaian.xlsx
    """
    from ..errors import UsageError
    from ..io.atomic import write_atomic
    from ..io.entrants import Entrant, read_entrants
    from ..render.form_book import write_form
    from ..render.labels import label
    from ..render.xlsx_bulk import EXCEL_ROWS
    from .edge import note
    from .output import check_output_path
    from .pipeline import load_criteria_or_bundled

    sources = [p for p in (criteria, entrants) if p is not None]
    check_output_path(output, sources, suffixes=(".xlsx",))
    crit = load_criteria_or_bundled(criteria)
    listed = read_entrants(entrants, crit) if entrants is not None else []
    names = [a.strip() for a in (assessors or "").split(",") if a.strip()]
    if names and any(e.assessor for e in listed):
        raise UsageError("the entrants file already names assessors; leave out --assessors, or "
                         "the assessor column", code="assessors-twice")
    if len(set(names)) != len(names):
        raise UsageError("--assessors names someone twice", code="assessors-twice")
    if split and not names and not any(e.assessor for e in listed):
        raise UsageError("--split needs assessors (--assessors, or an assessor column in the "
                         "entrants file)", code="split-without-assessors")
    if names:
        listed = [Entrant(id=e.id, name=e.name, group=e.group, category=e.category, assessor=a)
                  for a in names for e in (listed or [Entrant(id="")])]
        listed = [e for e in listed if e.id] or [Entrant(id="", assessor=a) for a in names]
    per_form = Counter(e.assessor if split else None for e in listed if e.id)
    longest = max(per_form.values(), default=0) + blank_rows + 1  # and the header row
    if longest > EXCEL_ROWS:  # xlsxwriter would leave the rest out, silently
        raise UsageError(f"the form would have {longest:,} rows, more than the "
                         f"{EXCEL_ROWS:,} an Excel sheet holds", code="form-too-long",
                         hint="one form per assessor (--split), or an entrants file per "
                              "kecamatan")
    if not split:
        rows = [e for e in listed if e.id or e.assessor]
        write_atomic(output, lambda tmp: write_form(tmp, crit, [e for e in rows if e.id],
                                                    lang=lang.value, blank_rows=blank_rows))
        note(label("written", lang.value, path=output))
        return
    order = list(dict.fromkeys(e.assessor for e in listed if e.assessor))
    for who in order:
        path = output.with_name(f"{output.stem}_{_slug(who)}{output.suffix}")
        check_output_path(path, sources, suffixes=(".xlsx",))
        mine = [e for e in listed if e.assessor == who and e.id]
        write_atomic(path, lambda tmp, mine=mine: write_form(tmp, crit, mine, lang=lang.value,
                                                            blank_rows=blank_rows))
        note(label("written", lang.value, path=path))
