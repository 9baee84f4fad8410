"""``bantar score``: rank the entrants of an assessment."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .edge import guard
from .options import CriteriaOpt, DebugOpt, Format, FormatOpt, InputsArg, Lang, LangOpt


@guard
def score(
    inputs: InputsArg,
    criteria: CriteriaOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, show_default=False,
        help="Write the award workbook (.xlsx) here.")] = None,
    fmt: FormatOpt = Format.table,
    top: Annotated[int | None, typer.Option(
        "--top", min=1, show_default=False, help="Show only the N best (table format).")] = None,
    lang: LangOpt = Lang.id,
    debug: DebugOpt = False,
) -> None:
    """Score and rank the entrants of INPUT files.

    Example: bantar score sample_data/penilaian_2024.xlsx --top 10
    """
    from ..core.score import score as run_score
    from ..render.formats import score_csv, score_document, to_json
    from .output import check_output_path, write_text
    from .pipeline import load_criteria_or_bundled, read_valid

    if output is not None:
        check_output_path(output, inputs, suffixes=(".xlsx",))
    crit = load_criteria_or_bundled(criteria)
    assessment = read_valid(inputs, crit)
    result = run_score(assessment.frame, crit, check=False)
    if output is not None:
        from ..io.atomic import write_atomic
        from ..render.award_book import write_award_book

        write_atomic(output, lambda tmp: write_award_book(
            tmp, result, assessment.inputs, lang=lang.value))
        from ..render.labels import label
        from .edge import note

        note(label("written", lang.value, path=output))
    if fmt is Format.json:
        write_text(to_json(score_document(result, assessment.inputs), pretty=sys.stdout.isatty()))
    elif fmt is Format.csv:
        write_text(score_csv(result))
    else:
        from ..render.console import ranking_table
        from .edge import stdout

        stdout().print(ranking_table(result, assessment.inputs, lang=lang.value, top=top))
