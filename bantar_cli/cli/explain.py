"""``bantar explain``: why an entrant has its rank, and what would raise it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .edge import guard
from .options import CriteriaOpt, DebugOpt, Format, FormatOpt, InputsArg, Lang, LangOpt


@guard
def explain(
    inputs: InputsArg,
    ident: Annotated[str | None, typer.Option("--id", show_default=False,
                                              help="The entrant to explain.")] = None,
    all_entrants: Annotated[bool, typer.Option(
        "--all", help="Explain every entrant into the feedback workbook of -o.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, show_default=False,
        help="With --all: the feedback workbook (.xlsx), one printable section per entrant.")] = None,
    criteria: CriteriaOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.id,
    debug: DebugOpt = False,
) -> None:
    """Explain an entrant's rank: each indicator's raw value, normalised value, weight and points,
    the points lost against a perfect score, the gap to the next rank, to the next award and to
    its group's leader, and where the same raw improvement would gain most.

    Example: bantar explain sample_data/penilaian_2024.xlsx --id 15.71.01.1001-RT005
    """
    from ..errors import UsageError
    from .edge import note, stdout, warn
    from .output import check_output_path, write_text
    from .pipeline import load_criteria_or_bundled, read_scored

    if all_entrants == (ident is not None):
        raise UsageError("give either --id ENTRANT or --all -o FEEDBACK.xlsx", code="usage")
    if all_entrants and output is None:
        raise UsageError("--all writes a workbook: add -o FEEDBACK.xlsx", code="usage")
    if output is not None:
        check_output_path(output, inputs, suffixes=(".xlsx",))
    crit = load_criteria_or_bundled(criteria)
    _, result = read_scored(inputs, crit, keep_rows=False)
    from ..core.awards import assign_awards  # after reading: see ..preload
    from ..core.explain import explain as run_explain
    from ..render.explain import explain_document, explain_table
    from ..render.formats import to_json

    awards = assign_awards(result)
    if all_entrants:
        from ..core.explain import Explainer
        from ..io.atomic import write_atomic
        from ..render.explain import write_feedback_book
        from ..render.labels import label

        helper = Explainer(result, awards)
        warnings: list[str] = []
        write_atomic(output, lambda tmp: warnings.extend(write_feedback_book(
            tmp, helper.text["group"], lambda n: helper.explain(helper.ids[n], lang=lang.value),
            lang=lang.value)))
        for text in warnings:  # text cut to Excel's limit
            warn(text)
        note(label("written", lang.value, path=output))
        return
    e = run_explain(result, ident, awards, lang=lang.value)
    if fmt is Format.json:
        write_text(to_json(explain_document(e), pretty=sys.stdout.isatty()))
    elif fmt is Format.csv:
        raise UsageError("bantar explain writes a table or JSON", code="bad-format")
    else:
        stdout().print(explain_table(e, lang=lang.value))
