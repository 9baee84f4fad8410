"""``bantar score``: rank the entrants of an assessment."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .edge import guard
from .options import (
    MAX_COLUMNS,
    MAX_FILE_MB,
    MAX_INFLATED_MB,
    MAX_ROWS,
    CriteriaOpt,
    DebugOpt,
    Format,
    FormatOpt,
    InputsArg,
    Lang,
    LangOpt,
    MaxColumnsOpt,
    MaxFileOpt,
    MaxInflatedOpt,
    MaxRowsOpt,
)


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
    sensitivity: Annotated[int | None, typer.Option(
        "--sensitivity", min=1, show_default=False,
        help="Score N more times with randomly perturbed weights (and, with several assessors, "
             "combination methods): median and 5–95% rank of every entrant, how often each "
             "award stays with its winner.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of --sensitivity.")] = 0,
    weight_spread: Annotated[float, typer.Option(
        "--weight-spread", min=0.0, max=0.99,
        help="How far --sensitivity moves each weight: a factor in [1 - x, 1 + x].")] = 0.25,
    compare_combine: Annotated[bool, typer.Option(
        "--compare-combine", help="Also score with every other way of combining assessors and "
                                  "show whether the top and the awards change.")] = False,
    history: Annotated[list[Path] | None, typer.Option(
        "--history", exists=True, dir_okay=False, readable=True, show_default=False,
        help="Earlier years' results (score --format json), oldest first, for streak awards "
             "and exclusions. Repeat for each year.")] = None,
    max_file_mb: MaxFileOpt = MAX_FILE_MB,
    max_inflated_mb: MaxInflatedOpt = MAX_INFLATED_MB,
    max_rows: MaxRowsOpt = MAX_ROWS,
    max_columns: MaxColumnsOpt = MAX_COLUMNS,
    debug: DebugOpt = False,
) -> None:
    """Score and rank the entrants of INPUT files.

    Example: bantar score sample_data/penilaian_2024.xlsx --top 10
    """
    from ..io.freed import hand_back
    from ..render.labels import label, rupiah
    from .edge import note, warn
    from .output import check_output_path, write_chunks, write_text
    from .pipeline import limits_of, load_criteria_or_bundled, read_scored

    if output is not None:
        check_output_path(output, [*inputs, *(history or [])], suffixes=(".xlsx",))
    crit = load_criteria_or_bundled(criteria)
    past = None
    if history:
        from ..io.results_json import read_award_history

        past = read_award_history(history)
    # the rows, for what needs them after scoring; a million rows: otherwise they go at once
    keep_rows = bool(sensitivity or output is not None or compare_combine)
    assessment, result = read_scored(inputs, crit, limits_of(max_file_mb, max_inflated_mb, max_rows,
                                                              max_columns), keep_rows=keep_rows)
    from ..render.formats import award_names, indented, score_csv, score_json

    sources = assessment.inputs
    rows = assessment if keep_rows else None
    del assessment
    if rows is None:
        hand_back()  # the rows' text, if the scoring let them go after the checks
    from ..core.awards import assign_awards  # after reading: see ..preload

    awards = assign_awards(result, history=past)
    if awards.over_budget:
        warn(label("over_budget", lang.value, total=rupiah(awards.total),
                   budget=rupiah(awards.budget or 0)))
    sens = None
    if sensitivity and rows is not None:
        from ..core.sensitivity import prepare
        from ..model import Combine

        frame, codes = rows.frame, rows.codes
        if output is None and not compare_combine:  # the runs are the rows' last use: of the
            # rows they need only the marks (and the assessors, to standardize), so the text
            # columns go before the runs' combinations are made beside the marks
            standardize = crit.combine is Combine.STANDARDIZED
            frame = frame[[*(i.key for i in crit.indicators), *(["assessor"] if standardize else [])]]
            rows = None
            hand_back()
        ready = prepare(frame, result, codes)
        del frame, codes
        sens = _run_sensitivity(ready, result, awards, runs=sensitivity, seed=seed,
                                spread=weight_spread, history=past)
        del ready  # not beside the report and the workbook
    comparison = None
    if compare_combine and rows is not None:
        from ..core.compare_combine import compare_combine as run_compare

        comparison = run_compare(rows.frame, crit, result, top=top or 10, history=past)
    info = None
    if output is not None and rows is not None:
        from ..core.assessors import assessor_report, unit_marks
        from ..render.award_book import BookInfo

        info = BookInfo(inputs=sources, rows=len(rows.frame),
                        assessors=int(rows.frame["assessor"].nunique()),
                        command=" ".join(["bantar", *sys.argv[1:]]))
        # the report is the rows' last use: their marks go once put on the report's scale
        marks = unit_marks(rows.frame, crit)
        texts, codes = rows.frame.drop(columns=list(marks.columns)), rows.codes
        rows = None
        hand_back(heap=True)
        info.report = assessor_report(texts, crit, codes, marks=marks)
        del texts, codes, marks
    if rows is not None:  # their last use was above: the workbook and the output need them not
        del rows
        hand_back()
    if info is not None:
        from ..io.atomic import write_atomic
        from ..render.award_book import write_award_book

        warnings: list[str] = []
        write_atomic(output, lambda tmp: warnings.extend(
            write_award_book(tmp, result, awards, info, lang=lang.value, sensitivity=sens)))
        for text in warnings:
            warn(text)
        note(label("written", lang.value, path=output))
    if fmt is Format.json:
        extra = None
        if comparison is not None:
            from ..render.compare import comparison_records

            extra = {"combine_comparison": comparison_records(comparison, crit.combine.value)}
        chunks = score_json(result, sources, awards, lang=lang.value, sensitivity=sens,
                            extra=extra)
        write_chunks([indented(chunks)] if sys.stdout.isatty() else chunks)
    elif fmt is Format.csv:
        for text in score_csv(result, awards, lang=lang.value):
            write_text(text)
    else:
        from ..render.console import ranking_lines
        from .edge import stdout
        from .output import write_lines

        names = award_names(awards, lang.value) if crit.awards is not None else None
        con = stdout()
        write_lines(ranking_lines(result, sources, lang=lang.value, top=top, awards=names,
                                  sensitivity=sens, room=con.width if con.is_terminal else None,
                                  color=con.color_system is not None, no_color=con.no_color))
        if comparison is not None:
            from ..render.compare import comparison_table

            stdout().print(comparison_table(comparison, crit.combine.value, lang=lang.value,
                                            top=top or 10))


def _run_sensitivity(ready, result, awards, *, runs: int, seed: int, spread: float, history):
    """The sensitivity runs (``ready``: ``core.sensitivity.prepare``'s), with a progress bar on a
    terminal's stderr when they take a while."""
    import time

    from ..core.sensitivity import sensitivity

    if not sys.stderr.isatty() or runs < 2000:
        return sensitivity(ready, result, awards, runs=runs, seed=seed, spread=spread,
                           history=history)
    from rich.progress import Progress

    with Progress(transient=True, console=__import__("rich.console").console.Console(
            stderr=True)) as bar:
        task = bar.add_task("sensitivity", total=runs)
        start = time.perf_counter()
        return sensitivity(ready, result, awards, runs=runs, seed=seed, spread=spread,
                           history=history,
                           progress=lambda done: bar.update(task, completed=done)
                           if time.perf_counter() - start > 0.3 else None)
