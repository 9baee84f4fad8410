"""The only place exit codes live: errors become messages on stderr and contract exit codes.

Every command is wrapped in ``guard`` (not only ``main``), because CliRunner calls the app
directly and typer would re-raise foreign exceptions as exit 1 with a traceback.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from ..errors import EXIT_INTERNAL, ISSUES_URL, BantarError

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    debug = False


STATE = _State()


def stderr() -> Console:
    """A rich console on stderr; it never wraps lines, so messages stay greppable."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def stdout() -> Console:
    """The data console; a wide page when writing to a file or pipe, not 80 columns."""
    from rich.console import Console

    con = Console(soft_wrap=False, highlight=False)
    if not con.is_terminal:
        con = Console(soft_wrap=False, highlight=False, width=200)
    return con


def _plain_stderr() -> bool:
    """Whether stderr gets plain text anyway: not a terminal, and no colour forced. Then a
    message skips rich, whose first import costs ~70 ms (a million-row run's budget warning)."""
    import os

    forced = os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1"
    return not forced and not sys.stderr.isatty()


def note(message: str) -> None:
    """A message for the person running the command (stderr)."""
    if _plain_stderr():
        sys.stderr.write(message + "\n")
        return
    from rich.markup import escape

    stderr().print(f"[dim]{escape(message)}[/dim]")


def warn(message: str) -> None:
    if _plain_stderr():
        sys.stderr.write(f"warning: {message}\n")
        return
    from rich.markup import escape

    stderr().print(f"[yellow]warning:[/yellow] {escape(message)}")


def report_error(exc: BantarError) -> None:
    from rich.markup import escape

    con = stderr()
    lines = str(exc).splitlines() or [exc.code]
    con.print(f"[bold red]error:[/bold red] {escape(lines[0])}")
    for line in lines[1:]:
        con.print(f"  {escape(line)}")
    if exc.hint:
        con.print(f"[cyan]hint:[/cyan] {escape(exc.hint)}")


def report_internal(exc: BaseException, debug: bool) -> None:
    from rich.markup import escape

    con = stderr()
    con.print(f"[bold red]internal error:[/bold red] {escape(type(exc).__name__)}: "
              f"{escape(str(exc))}")
    con.print("This is a bug in bantar, not in your files. Please report it at "
              f"{ISSUES_URL} with the command you ran"
              + (" and the traceback above." if debug else
                 "; run it again with --debug to add the traceback."))


def guard(fn: F) -> F:
    """Map errors to the contract's exit codes (1 invalid input, 2 usage, 3 internal)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug")) or STATE.debug
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BantarError as exc:
            if debug:
                traceback.print_exc(file=sys.stderr)
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            stderr().print("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            if debug:
                traceback.print_exc(file=sys.stderr)
            report_internal(exc, debug)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _silence_stdout() -> None:
    """After a closed pipe (``bantar score … | head``), do not fail again on exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
