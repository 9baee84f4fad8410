"""``bantar assessors``: how the assessors marked, before the results are published."""

from __future__ import annotations

import sys

from .edge import guard
from .options import CriteriaOpt, DebugOpt, Format, FormatOpt, InputsArg, Lang, LangOpt


@guard
def assessors(
    inputs: InputsArg,
    criteria: CriteriaOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.id,
    debug: DebugOpt = False,
) -> None:
    """Report per assessor (leniency, agreement with co-assessors), per team (ICC, Kendall's W)
    and the entrants whose assessors disagree most. Thresholds: assessors.flags in the criteria.

    Example: bantar assessors sample_data/penilaian_2024.xlsx
    """
    from ..errors import UsageError
    from .edge import stdout
    from .output import write_lines, write_text
    from .pipeline import load_criteria_or_bundled, read_valid

    crit = load_criteria_or_bundled(criteria)
    if fmt is Format.csv:
        raise UsageError("bantar assessors writes a table or JSON (--format table|json)",
                         code="bad-format")
    assessment = read_valid(inputs, crit)
    from ..core.assessors import assessor_report, unit_marks  # after reading: see ..preload
    from ..io.freed import hand_back
    from ..render.assessors import assessors_document, assessors_lines
    from ..render.formats import to_json

    # the frame's marks go once put on the report's scale, as for score -o's workbook
    marks = unit_marks(assessment.frame, crit)
    texts, codes = assessment.frame.drop(columns=list(marks.columns)), assessment.codes
    del assessment
    hand_back(heap=True)
    report = assessor_report(texts, crit, codes, marks=marks)
    del texts, codes, marks
    if fmt is Format.json:
        write_text(to_json(assessors_document(report), pretty=sys.stdout.isatty()))
    else:
        con = stdout()
        write_lines(assessors_lines(report, lang=lang.value,
                                    room=con.width if con.is_terminal else None,
                                    color=con.color_system is not None, no_color=con.no_color))
