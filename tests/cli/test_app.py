"""Start-up: help without pandas, the version, every command documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from bantar_cli import __version__
from tests.conftest import ROOT

COMMANDS = ["score", "validate", "template", "diff", "assessors", "explain", "criteria check"]


def test_help_does_not_import_pandas():
    code = ("import sys\n"
            "sys.argv = ['bantar', '--help']\n"
            "from bantar_cli.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'numpy', 'openpyxl', 'pyarrow', 'python_calamine')"
            " if m in sys.modules]\n"
            "print('LOADED', heavy)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in r.stdout, r.stdout


@pytest.mark.parametrize("given", [None, "12"])
def test_openblas_threads_sleep_when_idle_unless_the_user_says(given):
    """Set before numpy loads (OpenBLAS reads it then); a value the user set stands."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    if given is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = given
    code = ("import os, sys\n"
            "sys.argv = ['bantar', '--version']\n"
            "from bantar_cli.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('NUMPY', 'numpy' in sys.modules, os.environ.get('OPENBLAS_THREAD_TIMEOUT'))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env=env)
    assert f"NUMPY False {given or '4'}" in r.stdout, r.stdout


def test_version(run):
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"bantar {__version__}"


def test_every_command_has_help_and_is_in_the_readme(run):
    readme = (ROOT / "README.md").read_text()
    for cmd in COMMANDS:
        r = run(*cmd.split(), "--help")
        assert r.exit_code == 0 and "Example: bantar" in r.stdout, cmd
        assert re.search(rf"bantar {cmd}\b", readme), f"README does not show `bantar {cmd}`"


def _warned(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = ("import sys\nfrom bantar_cli.cli.edge import note, warn\n"
            "warn('over [budget] :x:'); note('written')\n"
            "print('rich.console' in sys.modules)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env=env, check=True)


def test_messages_to_a_pipe_are_plain_text_without_rich():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    plain = _warned(env)
    assert plain.stderr == "warning: over [budget] :x:\nwritten\n"  # text as given, no markup
    assert plain.stdout.strip() == "False"
    forced = _warned({**env, "FORCE_COLOR": "1"})  # colour asked for: rich writes it
    assert "\x1b[" in forced.stderr and "over [budget]" in forced.stderr
    assert forced.stdout.strip() == "True"
