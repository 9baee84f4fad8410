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
        "import sys, threading, gc\n"
        "real_freeze, frozen_with_collector_on = gc.freeze, []\n"
        "gc.freeze = lambda: (frozen_with_collector_on.append(gc.isenabled()), real_freeze())\n"
        "import bantar_cli.io.workbook, bantar_cli.io.csvfile, bantar_cli.io.parquetfile\n"
        "print('BEFORE', 'pandas' in sys.modules)\n"
        "from bantar_cli.preload import preload_pandas\n"
        "preload_pandas()\n"
        "[t.join() for t in threading.enumerate() if t.name == 'bantar-preload']\n"
        "print('AFTER', 'pandas' in sys.modules)\n"
        "print('GC', gc.isenabled(), gc.get_freeze_count() > 20_000)\n"
        "print('FROZEN', frozen_with_collector_on)\n")
    # a reader importing pandas at the top would load it before the GIL-free parse starts
    assert "BEFORE False" in out and "AFTER True" in out, out
    # what the import built is frozen, out of every later collection; the collector is back on
    assert "GC True True" in out, out
    # frozen before the collector resumed: its first collection would have walked it all
    assert "FROZEN [False]" in out, out


def test_a_whole_process_scores_the_same_as_in_process(run):
    """The threaded import path (only a fresh process takes it) gives the same document."""
    fresh = json.loads(subprocess.run(
        [sys.executable, "-m", "bantar_cli", "score", str(SAMPLE_2024), "--format", "json"],
        capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    here = json.loads(run("score", str(SAMPLE_2024), "--format", "json").stdout)
    assert fresh["results"] == here["results"] and len(fresh["results"]) > 1000


def test_the_csv_and_parquet_readers_do_not_wait_for_pandas(tmp_path):
    """pyarrow imports pandas lazily when it converts a value either way (``to_numpy``, a Python
    scalar); a reader doing so would wait on its thread for the preload's whole import."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from bantar_cli.io.bundled import bundled_criteria

    header = "Kode RT,Nama RT,Kecamatan,Kategori,Penilai"
    marks = [i.column for i in bundled_criteria().indicators]
    lines = [",".join([header, *marks])]
    for n in range(30):
        lines.append(",".join([f"15.71.01.1001-RT{n:03d}", f"RT {n}", " Telanaipura ", "kecil",
                               f"P{n % 3}", *(["", *["3"] * (len(marks) - 1)] if n == 4 else
                                              ["3"] * len(marks))]))
    csv = tmp_path / "a.csv"
    csv.write_text("\n".join(lines) + "\n")
    pq.write_table(pcsv.read_csv(csv), tmp_path / "a.parquet")  # the blank mark: a null
    out = _python(
        "import sys\n"
        "from pathlib import Path\n"
        "import bantar_cli.preload\n"
        "bantar_cli.preload.preload_pandas = lambda: None\n"
        "from bantar_cli.io import csvfile, parquetfile, workbook\n"
        "for m in (csvfile, parquetfile, workbook):\n"
        "    m.preload_pandas = lambda: None\n"
        "from bantar_cli.io.bundled import bundled_criteria\n"
        "from bantar_cli.io.guard import DEFAULT_LIMITS\n"
        "crit = bundled_criteria()\n"
        "wanted = workbook.wanted_columns(crit)\n"
        f"tmp = Path({str(tmp_path)!r})\n"
        "data, _, quoted = csvfile.scan(tmp / 'a.csv')\n"
        "a = csvfile.read_csv_blocks(tmp / 'a.csv', 'a.csv', data, crit, wanted, [], [],\n"
        "                            DEFAULT_LIMITS, quoted=quoted)\n"
        "b = parquetfile.read_parquet_blocks(tmp / 'a.parquet', 'a.parquet',\n"
        "    (tmp / 'a.parquet').read_bytes(), crit, wanted, [], [], DEFAULT_LIMITS)\n"
        "print('READ', len(a[0].marks), len(b[0].marks), 'pandas' in sys.modules)\n"
        "print('NULLS', b[0].columns['group'].null_count, int(sum(b[0].marks[4] != b[0].marks[4])))\n")
    assert "READ 30 30 False" in out, out
    assert "NULLS 0 1" in out, out
