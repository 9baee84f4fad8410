"""The ``bantar`` command. Start-up stays light: no pandas until a command runs."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .. import __version__
from . import criteria as criteria_cmd
from .assessors import assessors
from .diff import diff
from .edge import STATE
from .explain import explain
from .score import score
from .template import template
from .validate import validate

app = typer.Typer(
    name="bantar",
    help="Score and rank Kampung Bantar entrants from spreadsheet assessments.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bantar {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    STATE.debug = debug


app.command("score")(score)
app.command("validate")(validate)
app.command("template")(template)
app.command("diff")(diff)
app.command("assessors")(assessors)
app.command("explain")(explain)
app.add_typer(criteria_cmd.app, name="criteria")


def main() -> None:
    # OpenBLAS's idle threads spin for 2**28 cycles after numpy loads and after every matrix
    # product, taking a core from bantar's own threads; 2**4 puts them to sleep at once (read
    # when numpy loads, so set here, before any command imports it; a user's value stands)
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
    app()
