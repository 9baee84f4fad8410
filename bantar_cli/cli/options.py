"""Options shared by several commands, defined once. Signatures use only stdlib types."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(StrEnum):
    id = "id"
    en = "en"


InputsArg = Annotated[list[Path], typer.Argument(
    exists=True, dir_okay=False, readable=True, show_default=False, metavar="INPUT...",
    help="Assessment files (.xlsx, .xls, .ods, .csv, .parquet); several are stacked into one "
         "assessment.")]
CriteriaOpt = Annotated[Path | None, typer.Option(
    "--criteria", "-c", exists=True, dir_okay=False, readable=True, show_default=False,
    help="Criteria YAML file. Default: the bundled criteria/bantar.yaml.")]
FormatOpt = Annotated[Format, typer.Option(
    "--format", "-f", case_sensitive=False,
    help="table for people; json or csv for scripts (data only, on stdout).")]
LangOpt = Annotated[Lang, typer.Option(
    "--lang", case_sensitive=False, help="Language of output labels: id (Indonesian) or en.")]
DebugOpt = Annotated[bool, typer.Option(
    "--debug", help="Show the Python traceback of an error.")]
MaxFileOpt = Annotated[int, typer.Option(
    "--max-file-mb", min=1, help="Refuse an INPUT larger than this (MB).")]
MaxInflatedOpt = Annotated[int, typer.Option(
    "--max-inflated-mb", min=1, help="Refuse a workbook that unzips to more than this (MB).")]
MaxRowsOpt = Annotated[int, typer.Option(
    "--max-rows", min=1, help="Refuse a sheet or CSV with more rows than this.")]
MaxColumnsOpt = Annotated[int, typer.Option(
    "--max-columns", min=1, help="Refuse a sheet or CSV with more columns than this.")]
# defaults, kept equal to bantar_cli.io.guard.Limits (a test checks it) without importing it here
MAX_FILE_MB, MAX_INFLATED_MB, MAX_ROWS, MAX_COLUMNS = 512, 512, 2_000_000, 1_000
