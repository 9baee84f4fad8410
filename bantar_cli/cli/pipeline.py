"""The steps commands share: load the criteria, read the inputs, stop on problems."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BantarError, Problem
from .edge import note

if TYPE_CHECKING:
    from ..io.workbook import Assessment
    from ..model import Criteria


def load_criteria_or_bundled(path: Path | None) -> Criteria:
    if path is None:
        from ..io.bundled import bundled_criteria

        return bundled_criteria()
    from ..io.criteria import load_criteria

    return load_criteria(path)


def read_checked(inputs: Sequence[Path], criteria: Criteria) -> tuple[Assessment, list[Problem]]:
    """Read every input and run every check; return the assessment and all its problems."""
    from ..core.checks import check_assessment
    from ..io.workbook import read_assessment

    assessment = read_assessment(inputs, criteria)
    problems = list(assessment.problems)
    seen = {p.where for p in problems}
    # a cell the reader could not read is NaN in the frame: report it once, not also as missing
    reader_failed = any(p.severity == "error" for p in problems)
    problems += [p for p in assessment.locate(check_assessment(assessment.frame, criteria))
                 if not (p.slug == "missing-value" and p.where in seen)
                 and not (p.slug == "no-entrants" and reader_failed)]
    return assessment, problems


def read_valid(inputs: Sequence[Path], criteria: Criteria) -> Assessment:
    """Read the inputs; raise ``BantarError`` (exit 1) naming the first problems' cells."""
    assessment, problems = read_checked(inputs, criteria)
    for text in assessment.notes:
        note(text)
    if any(p.severity == "error" for p in problems):
        raise BantarError.from_problems(problems)
    return assessment
