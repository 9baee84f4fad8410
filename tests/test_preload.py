"""pandas loads on a second thread while a reader works outside the GIL (see bantar_cli.preload)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, SAMPLE_2024


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT).stdout


def test_readers_do_not_import_pandas_and_preload_does():
    out = _python(
        "import sys, threading\n"
        "import bantar_cli.io.workbook, bantar_cli.io.csvfile, bantar_cli.io.parquetfile\n"
        "print('BEFORE', 'pandas' in sys.modules)\n"
        "from bantar_cli.preload import preload_pandas\n"
        "preload_pandas()\n"
        "[t.join() for t in threading.enumerate() if t.name == 'bantar-preload']\n"
        "print('AFTER', 'pandas' in sys.modules)\n"
        "import gc\n"
        "print('GC', gc.isenabled(), gc.get_freeze_count() > 20_000)\n")
    # a reader importing pandas at the top would load it before the GIL-free parse starts
    assert "BEFORE False" in out and "AFTER True" in out, out
    # what the import built is frozen, out of every later collection; the collector is back on
    assert "GC True True" in out, out


def test_a_whole_process_scores_the_same_as_in_process(run):
    """The threaded import path (only a fresh process takes it) gives the same document."""
    fresh = json.loads(subprocess.run(
        [sys.executable, "-m", "bantar_cli", "score", str(SAMPLE_2024), "--format", "json"],
        capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    here = json.loads(run("score", str(SAMPLE_2024), "--format", "json").stdout)
    assert fresh["results"] == here["results"] and len(fresh["results"]) > 1000
