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
    code = ("import os, sys\n"
            "sys.argv = ['bantar', '--help']\n"
            "os._exit = sys.exit  # main's way out, made one this code can go on after\n"
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
            "os._exit = sys.exit\n"
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


class _Left(Exception):
    """What the stand-in for ``os._exit`` raises: the code, and what stdout held by then."""


def _leaving(monkeypatch, out):
    from bantar_cli.cli import app as app_module

    def fake_exit(code):
        raise _Left(code, out.buffer.getvalue())

    monkeypatch.setattr(app_module.os, "_exit", fake_exit)
    return app_module


def test_the_process_ends_with_the_code_once_its_output_is_flushed(monkeypatch):
    import io

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # holds text until flushed
    app_module = _leaving(monkeypatch, out)
    monkeypatch.setattr(sys, "stdout", out)
    out.write("not yet flushed")
    with pytest.raises(_Left) as left:
        app_module.leave(3)
    assert left.value.args == (3, b"not yet flushed")
    with pytest.raises(_Left) as left:
        app_module.leave(None)  # sys.exit() without a code: success
    assert left.value.args[0] == 0
    with pytest.raises(SystemExit) as usual:  # a message for a code: the usual exit prints it
        app_module.leave("fatal")
    assert usual.value.code == "fatal"


def test_main_leaves_with_the_commands_exit_code(monkeypatch, tmp_path):
    import io

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    app_module = _leaving(monkeypatch, out)
    monkeypatch.setattr(sys, "stdout", out)
    for argv, code in ([["--version"], 0], [["score", str(tmp_path / "none.xlsx")], 2]):
        monkeypatch.setattr(sys, "argv", ["bantar", *argv])
        with pytest.raises(_Left) as left:
            app_module.main()
        assert left.value.args[0] == code
    assert f"bantar {__version__}".encode() in left.value.args[1]


def test_output_that_cannot_be_flushed_takes_the_usual_exit(monkeypatch):
    from bantar_cli.cli import app as app_module

    class Closed:
        def flush(self):
            raise BrokenPipeError

    monkeypatch.setattr(app_module.os, "_exit", lambda code: pytest.fail("left without flushing"))
    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(SystemExit) as usual:
        app_module.leave(0)
    assert usual.value.code == 0


def test_a_whole_process_reader_that_stops_early_leaves_no_noise():
    """``bantar score … | head``: the closed pipe ends the run quietly, with code 0."""
    from tests.conftest import SAMPLE_2024

    proc = subprocess.Popen([sys.executable, "-m", "bantar_cli", "score", str(SAMPLE_2024),
                             "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT)
    first = proc.stdout.read(40)
    proc.stdout.close()  # the reader goes away before the rest is written
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err
    assert first.startswith(b"rank,") and err == b"", err


def test_a_closed_standard_output_is_a_usage_error_not_a_crash():
    """``bantar score … >&-``: nowhere to write the results; exit 2, said plainly."""
    from tests.conftest import SAMPLE_2024

    r = subprocess.run([sys.executable, "-m", "bantar_cli", "score", str(SAMPLE_2024)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                       preexec_fn=lambda: os.close(1))  # the child starts without a stdout
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: standard output is closed") and "Traceback" not in r.stderr
