"""``bantar validate``: every problem of an assessment at once, with its cell."""

from __future__ import annotations

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
def validate(
    inputs: InputsArg,
    criteria: CriteriaOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.id,
    max_file_mb: MaxFileOpt = MAX_FILE_MB,
    max_inflated_mb: MaxInflatedOpt = MAX_INFLATED_MB,
    max_rows: MaxRowsOpt = MAX_ROWS,
    max_columns: MaxColumnsOpt = MAX_COLUMNS,
    debug: DebugOpt = False,
) -> None:
    """List every problem in INPUT files (file, sheet, cell, what was found and expected).

    Exits 0 when the files can be scored, 1 when they cannot.

    Example: bantar validate sample_data/penilaian_2024.xlsx
    """
    import typer

    from ..errors import EXIT_INVALID
    from .edge import note, stdout
    from .output import write_lines, write_text
    from .pipeline import limits_of, load_criteria_or_bundled, read_checked

    crit = load_criteria_or_bundled(criteria)
    assessment, problems = read_checked(inputs, crit, limits_of(
        max_file_mb, max_inflated_mb, max_rows, max_columns))
    from ..render.problems import problems_csv, problems_json, problems_lines  # see ..preload

    for text in assessment.notes:
        note(text)
    if fmt is Format.json:
        write_text(problems_json(problems, assessment))
    elif fmt is Format.csv:
        write_text(problems_csv(problems))
    else:
        con = stdout()
        write_lines(problems_lines(problems, assessment, lang=lang.value,
                                   room=con.width if con.is_terminal else None,
                                   color=con.color_system is not None))
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(EXIT_INVALID)
