"""The steps commands share: load the criteria, read the inputs, stop on problems."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BantarError, Problem
from .edge import note

if TYPE_CHECKING:
    from ..io.guard import Limits
    from ..io.workbook import Assessment
    from ..model import Criteria, Scores


def load_criteria_or_bundled(path: Path | None) -> Criteria:
    if path is None:
        from ..io.bundled import bundled_criteria

        return bundled_criteria()
    from ..io.criteria import load_criteria

    return load_criteria(path)


def limits_of(max_file_mb: int, max_inflated_mb: int, max_rows: int, max_columns: int) -> Limits:
    from ..io.guard import MB, Limits

    return Limits(file_bytes=max_file_mb * MB, inflated_bytes=max_inflated_mb * MB, rows=max_rows,
                  columns=max_columns)


def read_checked(inputs: Sequence[Path], criteria: Criteria,
                 limits: Limits | None = None) -> tuple[Assessment, list[Problem]]:
    """Read every input and run every check; return the assessment and all its problems."""
    assessment = _read(inputs, criteria, limits)
    return assessment, _problems(assessment, criteria)


def read_valid(inputs: Sequence[Path], criteria: Criteria, limits: Limits | None = None) -> Assessment:
    """Read the inputs; raise ``BantarError`` (exit 1) naming the first problems' cells.
    Warnings (legal but suspicious) are printed and do not stop."""
    assessment, problems = read_checked(inputs, criteria, limits)
    _report(assessment, problems)
    return assessment


def read_scored(inputs: Sequence[Path], criteria: Criteria, limits: Limits | None = None, *,
                keep_rows: bool = True, scoring: Criteria | None = None) -> tuple[Assessment, Scores]:
    """``read_valid``, and the scoring run on a second thread while the checks run: both are
    mostly numpy and Arrow, which release the GIL. The scoring sees a frame that may have
    problems; what it gives or raises counts only when they hold no error.

    With ``keep_rows=False`` the assessment comes back ``without_rows``, and the rows go as
    soon as both the checks and the scoring's first step are done with them: the rest of the
    scoring then takes memory the process has just freed, not more (1M Parquet runs: 0.98 ->
    0.91 s median, median peak 732 -> 711 MiB). ``scoring``: criteria to score with other than
    those the inputs are checked against (a subset of them, for ``diff --common``)."""
    from concurrent.futures import ThreadPoolExecutor

    assessment = _read(inputs, criteria, limits)
    from ..core.score import score

    # handed over through a dict, so that the pool's task holds no reference of its own
    rows = {"frame": assessment.frame, "codes": assessment.codes}
    with ThreadPoolExecutor(1, thread_name_prefix="bantar-score") as pool:
        pending = pool.submit(lambda: score(rows.pop("frame"), scoring or criteria, check=False,
                                            codes=rows.pop("codes")))
        problems = _problems(assessment, criteria)
        if not keep_rows:
            assessment = assessment.without_rows()
            from ..io.freed import hand_back

            hand_back()  # the rows' text, if the scoring is done with them already
    _report(assessment, problems)
    return assessment, pending.result()


def _read(inputs: Sequence[Path], criteria: Criteria, limits: Limits | None) -> Assessment:
    """The inputs as one assessment, with its codes."""
    from ..io.guard import DEFAULT_LIMITS
    from ..io.workbook import read_assessment

    assessment = read_assessment(inputs, criteria, limits=limits or DEFAULT_LIMITS)
    from ..core.combine import Codes  # after reading: see ..preload

    assessment.codes = Codes.of(assessment.frame, assessment.entrants, assessment.assessors)
    from ..io.freed import hand_back

    hand_back()  # hashing's scratch
    return assessment


def _problems(assessment: Assessment, criteria: Criteria) -> list[Problem]:
    from ..core.checks import check_assessment, suspicious

    codes = assessment.codes
    problems = list(assessment.problems)
    seen = {p.where for p in problems}
    # a cell the reader could not read is NaN in the frame: report it once, not also as missing
    reader_failed = any(p.severity == "error" for p in problems)
    problems += [p for p in assessment.locate(check_assessment(assessment.frame, criteria, codes))
                 if not (p.slug == "missing-value" and p.where in seen)
                 and not (p.slug == "no-entrants" and reader_failed)]
    if not any(p.severity == "error" for p in problems):
        problems += assessment.locate(suspicious(assessment.frame, criteria, codes))
    return problems


def _report(assessment: Assessment, problems: list[Problem]) -> None:
    """Print the notes and warnings; raise ``BantarError`` on any error."""
    from .edge import warn

    for text in assessment.notes:
        note(text)
    for p in problems:  # before any error: a warning may explain it (formulas without values)
        if p.severity != "error":
            warn(str(p))
    if any(p.severity == "error" for p in problems):
        raise BantarError.from_problems(problems)
