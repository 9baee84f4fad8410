"""The ``bantar`` command. Start-up stays light: no pandas until a command runs."""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn

import typer

from .. import __version__
from ..errors import EXIT_USAGE
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
    if sys.stdout is None:  # started with its standard output closed (``>&-``)
        if sys.stderr is not None:
            sys.stderr.write("error: standard output is closed: bantar writes its results there "
                             "(hint: redirect it to a file, or to /dev/null)\n")
        leave(EXIT_USAGE)
    try:
        app()
    except SystemExit as exc:
        leave(exc.code)
    leave(0)


def leave(code: object) -> NoReturn:
    """End the process with ``code`` once standard output and error are flushed, without
    tearing the interpreter down. After scoring a million rows the process ended 31-37 ms
    after its last output, freeing its arrays and modules one by one; it now ends 15-19 ms
    after it, the kernel dropping the whole address space at once.

    By now every output file is complete and closed (they are written atomically) and every
    worker thread has finished; after an early error the preload thread may still be
    importing pandas, which matters only to an interpreter shutting down. A code that is not
    a number, or output that cannot be flushed, takes the usual exit."""
    code = 0 if code is None else code
    if not isinstance(code, int):
        raise SystemExit(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: closed when the process started
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code)
