"""``bantar diff``: one year's results against another's."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .edge import guard
from .options import CriteriaOpt, DebugOpt, Format, FormatOpt, Lang, LangOpt

if TYPE_CHECKING:
    from ..core.diff import Side
    from ..model import Criteria

SIDE_BY_SIDE_BYTES = 16 << 20  # two years' files up to this size together are read at once

YearArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         show_default=False)]
YearCriteriaOpt = Annotated[Path | None, typer.Option(exists=True, dir_okay=False, readable=True,
                                                      show_default=False)]


@guard
def diff(
    old: YearArg,
    new: YearArg,
    criteria: CriteriaOpt = None,
    old_criteria: Annotated[Path | None, typer.Option(
        "--old-criteria", exists=True, dir_okay=False, show_default=False,
        help="Criteria of the OLD year, when the years differ (default: -c).")] = None,
    new_criteria: Annotated[Path | None, typer.Option(
        "--new-criteria", exists=True, dir_okay=False, show_default=False,
        help="Criteria of the NEW year (default: -c).")] = None,
    id_map: Annotated[Path | None, typer.Option(
        "--map", exists=True, dir_okay=False, show_default=False,
        help="File of OLD_ID=NEW_ID lines for renamed, split or merged entrants.")] = None,
    common: Annotated[bool, typer.Option(
        "--common", help="Rescore both years on the indicators they share, with the NEW "
                         "criteria's weights.")] = False,
    fmt: FormatOpt = Format.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, show_default=False,
        help="Write the comparison workbook (.xlsx) here.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Risers and fallers shown.")] = 10,
    lang: LangOpt = Lang.id,
    debug: DebugOpt = False,
) -> None:
    """Compare two years. OLD and NEW are assessments (scored here) or results saved with
    `bantar score --format json`.

    Example: bantar diff sample_data/penilaian_2023.xlsx sample_data/penilaian_2024.xlsx
    """
    from ..errors import UsageError
    from ..io.idmap import read_id_map
    from ..render.labels import label
    from .edge import note, stdout, warn
    from .output import check_output_path, write_chunks, write_text

    if output is not None:
        check_output_path(output, [old, new], suffixes=(".xlsx",))
    if common and (old.suffix.lower() == ".json" or new.suffix.lower() == ".json"):
        raise UsageError("--common rescores the assessments themselves: give OLD and NEW as "
                         "assessment files, not saved results", code="common-needs-assessments")
    mapping = read_id_map(id_map) if id_map is not None else None  # before the long part
    sides = _sides(old, new, old_criteria or criteria, new_criteria or criteria, common)
    from ..core.diff import diff as run_diff  # after reading: see ..preload
    from ..render.diff_formats import diff_csv, diff_json, diff_tables, dl
    from ..render.formats import indented

    d = run_diff(*sides, mapping, moved=fmt is Format.json)
    del sides  # their points: the comparison keeps what its outputs need
    if not d.comparable:
        warn(dl("not_comparable", lang.value))
    if output is not None:
        from ..io.atomic import write_atomic
        from ..render.diff_book import write_diff_book

        warnings: list[str] = []
        write_atomic(output, lambda tmp: warnings.extend(write_diff_book(tmp, d, lang=lang.value)))
        for text in warnings:
            warn(text)
        note(label("written", lang.value, path=output))
    if fmt is Format.json:
        chunks = diff_json(d)
        write_chunks([indented(chunks)] if sys.stdout.isatty() else chunks)
    elif fmt is Format.csv:
        for text in diff_csv(d):
            write_text(text)
    else:
        stdout().print(diff_tables(d, lang=lang.value, top=top))


def _sides(old: Path, new: Path, old_crit_path: Path | None, new_crit_path: Path | None,
           common: bool):
    """Score (or load) both years; with ``common``, on the indicators they share. Small files
    side by side (the workbook reader lets go of the GIL while it parses); larger ones one
    after the other, each year's rows let go once it is scored, so that two million-row years
    are never held at once."""
    from ..errors import BantarError
    from .pipeline import load_criteria_or_bundled

    crits = {}
    sides = {}
    for name, path, crit_path in (("old", old, old_crit_path), ("new", new, new_crit_path)):
        if path.suffix.lower() == ".json":
            from ..io.results_json import read_result_side

            sides[name] = read_result_side(path)
        else:
            crits[name] = load_criteria_or_bundled(crit_path)
    scoring = dict(crits)
    if common:
        try:
            shared = crits["new"].shared_with(crits["old"])
        except ValueError as exc:
            raise BantarError(str(exc), code="nothing-in-common") from exc
        scoring = {"old": shared, "new": shared}
    todo = [(name, path) for name, path in (("old", old), ("new", new)) if name in crits]
    from concurrent.futures import ThreadPoolExecutor

    # each year checked against its own criteria and scored with ``scoring``'s
    with ThreadPoolExecutor(_workers([path for _, path in todo])) as pool:
        scored = pool.map(lambda item: _scored_side(item[1], crits[item[0]], scoring[item[0]]),
                          todo)
        sides.update(zip((name for name, _ in todo), scored, strict=True))
    return sides["old"], sides["new"]


def _workers(paths: list[Path]) -> int:
    """2 (side by side) when the files are small together, else 1 (one after the other). A
    file gone meanwhile counts as small: its reader says what happened to it."""
    total = 0
    for p in paths:
        with contextlib.suppress(OSError):
            total += p.stat().st_size
    return 2 if total <= SIDE_BY_SIDE_BYTES else 1


def _scored_side(path: Path, crit: Criteria, scoring: Criteria) -> Side:
    """One year scored; of its scores only what the comparison needs outlives this call."""
    from .pipeline import read_scored

    a, result = read_scored([path], crit, keep_rows=False, scoring=scoring)
    from ..core.diff import Side  # after reading: see ..preload
    from ..render.formats import inputs_info

    return Side.of(result, inputs_info(a.inputs))
