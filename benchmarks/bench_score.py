"""How fast is `bantar score`, against merely reading the same file with pandas?

For each input — the bundled 4,953-row sample, and generated files of 5,000 and 100,000 rows as
.xlsx and 1,000,000 rows as .csv and .parquet (cached in benchmarks/.cache) — it times whole processes, run
alternately so that the shared machine's noise hits both alike:

- `bantar score FILE --format json`
- `python -c "import pandas; pandas.read_...(FILE)"` with the fastest pandas reader for the format
  (calamine for workbooks; for CSV the faster of the C and pyarrow engines)

and prints the median wall time of each, the ratio of the medians, and bantar's peak memory.
bantar_cli's bytecode is compiled first (what changed only), as pip compiles an installed wheel's.

With ``sensitivity``, it measures what --sensitivity 1000 and 10000 add to scoring the sample.
With ``assessors``, it compares `bantar assessors SAMPLE` with reading the sample.
With ``diff``, it compares `bantar diff` of the two sample years with scoring one of them.
With ``table``, it compares the default table format with --format json on the sample.
With ``validate``, it compares `bantar validate SAMPLE` with `bantar score SAMPLE`. With ``book``
among the inputs (the default), it also times `bantar score SAMPLE --format json`
with and without `-o hasil.xlsx` and prints what writing the award workbook adds.

This machine is a virtual machine whose kernel hands freed memory back to the host in 8 MB
blocks a few seconds after a process lets it go; memory filled from such a block (numpy's and
Arrow's large arrays, in 2 MB huge pages) costs about ten times as much as memory another process
has just freed. So the state the previous process leaves matters, and back to back each command
runs in what the other left. ``--before pause`` times each run as a first run (4 s of quiet
before it), ``--before primer`` as a repeated one (right after a process that filled and freed
1 GiB): the same state for every command. ``--before warm:MIB`` pauses, then fills and frees MIB
MiB: how much just-freed memory a command needs before it runs as fast as a repeated run.

Run: .venv/bin/python benchmarks/bench_score.py [--runs 5] [--only NAMES] [--before WHAT]
(NAMES: sample, book, table, validate, diff, assessors, sensitivity, 5k, 100k, 1m, 1m-parquet;
default all; and 1m-national, only when named: see ``make_national``)
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".cache"
BANTAR = [sys.executable, "-m", "bantar_cli"]
SAMPLE = ROOT / "sample_data" / "penilaian_2024.xlsx"


def indicators() -> list:
    sys.path.insert(0, str(ROOT))
    from bantar_cli.io.bundled import bundled_criteria

    return list(bundled_criteria().indicators)


def synthetic_rows(n_rows: int, seed: int = 7) -> tuple[list[str], dict[str, np.ndarray]]:
    """n_rows assessment rows: entrants with 3 assessors each, values inside each range."""
    rng = np.random.default_rng(seed)
    n_entrants = -(-n_rows // 3)
    ent = np.repeat(np.arange(n_entrants), 3)[:n_rows]
    kec = ent % 11 + 1
    kel = 1001 + ent % 9
    ids = np.char.add(np.char.add(np.char.add("15.71.", np.char.zfill(kec.astype(str), 2)),
                                  np.char.add(".", kel.astype(str))),
                      np.char.add("-RT", np.char.zfill((ent // 99 % 1000).astype(str), 3)))
    ids = np.char.add(ids, np.char.add("-", ent.astype(str)))
    cols: dict[str, np.ndarray] = {
        "Kode RT": ids, "Nama RT": np.char.add("RT ", ent.astype(str)),
        "Kecamatan": np.char.add("Kecamatan ", kec.astype(str)),
        "Kategori": np.array(["kecil", "sedang", "besar"])[ent % 3],
        "Penilai": np.char.add("Penilai ", (np.arange(n_rows) % 3).astype(str)),
    }
    quality = rng.normal(0, 1, n_entrants)[ent]
    for ind in indicators():
        lo, hi = ind.range
        if hi - lo <= 4:
            x = np.clip(np.rint(3 + quality + rng.normal(0, 0.5, n_rows)), lo, hi)
        elif hi == 100:
            x = np.clip(np.round(60 + 15 * quality + rng.normal(0, 5, n_rows), 1), lo, hi)
        else:
            x = np.clip(rng.poisson(30, n_rows), lo, hi).astype(float)
        cols[ind.column] = x
    return list(cols), cols


def make_xlsx(path: Path, n_rows: int) -> None:
    from openpyxl import Workbook

    header, cols = synthetic_rows(n_rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Penilaian")
    ws.append(header)
    data = [cols[h].tolist() for h in header]
    for row in zip(*data, strict=True):
        ws.append(row)
    wb.save(path)


def make_csv(path: Path, n_rows: int) -> None:
    import pandas as pd

    header, cols = synthetic_rows(n_rows)
    pd.DataFrame({h: cols[h] for h in header}).to_csv(path, index=False)


def make_parquet(path: Path, n_rows: int) -> None:
    import pandas as pd

    header, cols = synthetic_rows(n_rows)
    pd.DataFrame({h: cols[h] for h in header}).to_parquet(path, index=False)


def make_national(path: Path, n_rows: int) -> None:
    """The 1M Parquet file with a nation's design: a team of three assessors for each 100
    entrants (10,002 assessors, 3,334 teams) and a group for each 47 (7,093 kecamatan), where
    the benchmark's file has three assessors and eleven groups in all."""
    import pandas as pd

    header, cols = synthetic_rows(n_rows)
    ent = np.repeat(np.arange(-(-n_rows // 3)), 3)[:n_rows]
    cols["Penilai"] = np.char.add(np.char.add("Penilai ", (ent // 100).astype(str)),
                                  np.char.add("-", (np.arange(n_rows) % 3).astype(str)))
    cols["Kecamatan"] = np.char.add("Kecamatan ", (ent // 47).astype(str))
    pd.DataFrame({h: cols[h] for h in header}).to_parquet(path, index=False)


def ensure_inputs(only: set[str], *, here: bool = False) -> list[tuple[str, Path]]:
    """The inputs, generated when missing — in a child process unless ``here``, so that this
    process stays small: a child's peak memory counts what it inherited before exec."""
    CACHE.mkdir(exist_ok=True)
    if not here:
        subprocess.run([sys.executable, __file__, "--generate", "--only", ",".join(sorted(only))],
                       check=True)
    out = []
    specs = [("sample", SAMPLE, None), ("5k", CACHE / "bench_5000.xlsx", make_xlsx),
             ("100k", CACHE / "bench_100000.xlsx", make_xlsx),
             ("1m", CACHE / "bench_1000000.csv", make_csv),
             ("1m-parquet", CACHE / "bench_1000000.parquet", make_parquet),
             ("1m-national", CACHE / "bench_1000000_national.parquet", make_national)]
    sizes = {"5k": 5000, "100k": 100_000, "1m": 1_000_000, "1m-parquet": 1_000_000,
             "1m-national": 1_000_000}
    for name, path, make in specs:
        if name not in only:
            continue
        if make is not None and not path.exists():
            print(f"generating {path.name} …", file=sys.stderr)
            make(path, sizes[name])
        out.append((name, path))
    return out


BEFORE = "nothing"  # what happens before each timed run: see --before
PAUSE_S = 4


def filler(mib: int) -> list[str]:
    """A process that fills and frees ``mib`` MiB (in 2 MB huge pages, as numpy asks for)."""
    return [sys.executable, "-c", f"import numpy as np; a = np.ones({mib} << 17); a += 1"]


def settle() -> None:
    """Put the machine's memory in the same state before every timed run (--before)."""
    if BEFORE == "pause":
        time.sleep(PAUSE_S)
    elif BEFORE == "primer":
        subprocess.run(filler(1024), check=True)
    elif BEFORE.startswith("warm:"):  # a first run, but with this much memory just freed
        time.sleep(PAUSE_S)
        subprocess.run(filler(int(BEFORE.removeprefix("warm:"))), check=True)


def _before(text: str) -> str:
    if text in ("nothing", "pause", "primer"):
        return text
    if text.startswith("warm:") and text.removeprefix("warm:").isdigit():
        return text
    raise argparse.ArgumentTypeError(f"not nothing, pause, primer or warm:MIB: {text!r}")


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one whole process."""
    settle()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-500:]}")
    return wall, usage.ru_maxrss


def readers(path: Path) -> dict[str, list[str]]:
    p = str(path)
    if path.suffix == ".parquet":
        return {"read_parquet": [sys.executable, "-c",
                                 f"import pandas as pd; pd.read_parquet({p!r})"]}
    if path.suffix == ".csv":
        return {"read_csv(engine='c')": [sys.executable, "-c",
                                        f"import pandas as pd; pd.read_csv({p!r}, engine='c')"],
                "read_csv(engine='pyarrow')": [sys.executable, "-c",
                                              f"import pandas as pd; pd.read_csv({p!r}, engine='pyarrow')"]}
    return {"read_excel(engine='calamine')": [
        sys.executable, "-c", f"import pandas as pd; pd.read_excel({p!r}, engine='calamine')"]}


def alternate(cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, running them in turn ``runs`` times."""
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            walls[name].append(timed(cmd)[0])
    return {k: statistics.median(v) for k, v in walls.items()}


def bench(path: Path, runs: int, extra: list[str]) -> dict[str, object]:
    cmds = {"bantar": [*BANTAR, "score", str(path), "--format", "json", *extra], **readers(path)}
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    peak: dict[str, int] = dict.fromkeys(cmds, 0)
    for _ in range(runs):
        for name, cmd in cmds.items():  # alternate, so noise hits every command alike
            wall, rss = timed(cmd)
            walls[name].append(wall)
            peak[name] = max(peak[name], rss)
    med = {k: statistics.median(v) for k, v in walls.items()}
    base = min((k for k in cmds if k != "bantar"), key=lambda k: med[k])
    return {"bantar": med["bantar"], "reader": base, "read": med[base],
            "ratio": med["bantar"] / med[base], "peak_mib": peak["bantar"] / 1024,
            "reader_peak_mib": peak[base] / 1024}


def bench_book(runs: int) -> None:
    """What `-o hasil.xlsx` adds to scoring the sample (whole processes, alternating)."""
    import tempfile

    out = Path(tempfile.mkdtemp()) / "hasil.xlsx"
    plain = [*BANTAR, "score", str(SAMPLE), "--format", "json"]
    cmds = {"json": plain, "json + -o": [*plain, "-o", str(out)]}
    med = alternate(cmds, runs)
    print(f"award workbook: score --format json {med['json']:.2f} s, with -o {med['json + -o']:.2f} s"
          f" -> adds {med['json + -o'] - med['json']:.2f} s (median of {runs})", flush=True)


def bench_table(runs: int) -> None:
    """The terminal table (the default format) against --format json, on the sample."""
    cmds = {"json": [*BANTAR, "score", str(SAMPLE), "--format", "json"],
            "table": [*BANTAR, "score", str(SAMPLE)]}
    med = alternate(cmds, runs)
    print(f"table: {med['table']:.2f} s against json {med['json']:.2f} s -> adds "
          f"{med['table'] - med['json']:+.2f} s (median of {runs})", flush=True)


def bench_validate(runs: int) -> None:
    """`bantar validate` against `bantar score --format json` on the sample."""
    cmds = {"score": [*BANTAR, "score", str(SAMPLE), "--format", "json"],
            "validate": [*BANTAR, "validate", str(SAMPLE), "--format", "json"]}
    med = alternate(cmds, runs)
    print(f"validate: {med['validate']:.2f} s against score {med['score']:.2f} s -> ratio "
          f"{med['validate'] / med['score']:.2f} (median of {runs})", flush=True)


def bench_diff(runs: int) -> None:
    """`bantar diff` of the two sample years against `bantar score` of one of them."""
    old = ROOT / "sample_data" / "penilaian_2023.xlsx"
    cmds = {"score": [*BANTAR, "score", str(SAMPLE), "--format", "json"],
            "diff": [*BANTAR, "diff", str(old), str(SAMPLE), "--format", "json"]}
    med = alternate(cmds, runs)
    print(f"diff: {med['diff']:.2f} s against score {med['score']:.2f} s -> ratio "
          f"{med['diff'] / med['score']:.2f} (median of {runs})", flush=True)


def bench_assessors(runs: int) -> None:
    """`bantar assessors` on the sample against merely reading it with pandas."""
    cmds = {"read": readers(SAMPLE)["read_excel(engine='calamine')"],
            "assessors": [*BANTAR, "assessors", str(SAMPLE), "--format", "json"]}
    med = alternate(cmds, runs)
    print(f"assessors: {med['assessors']:.2f} s against reading {med['read']:.2f} s -> "
          f"{med['assessors'] - med['read']:+.2f} s (median of {runs})", flush=True)


def bench_sensitivity(runs: int) -> None:
    """What --sensitivity 1000 and 10000 add to scoring the sample."""
    plain = [*BANTAR, "score", str(SAMPLE), "--format", "json"]
    cmds = {"plain": plain, "1000": [*plain, "--sensitivity", "1000"],
            "10000": [*plain, "--sensitivity", "10000"]}
    med = alternate(cmds, runs)
    print(f"sensitivity: score {med['plain']:.2f} s; --sensitivity 1000 adds "
          f"{med['1000'] - med['plain']:.2f} s, 10000 adds {med['10000'] - med['plain']:.2f} s "
          f"(median of {runs})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only",
                    default="sample,book,table,validate,diff,assessors,sensitivity,5k,100k,1m,1m-parquet")
    ap.add_argument("--extra", default="", help="extra options for bantar score")
    ap.add_argument("--before", type=_before, default="nothing",
                    help="before each timed run: nothing (back to back), pause (4 s: a first "
                         "run, the kernel has handed freed memory back to the host), primer (a "
                         "process that fills and frees 1 GiB: a repeated run), or warm:MIB (the "
                         "pause, then a process that fills and frees MIB MiB)")
    ap.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    global BEFORE
    BEFORE = args.before
    if args.generate:
        ensure_inputs(set(args.only.split(",")), here=True)
        return
    only = set(args.only.split(","))
    # bantar's bytecode, current, as an installed wheel has it (pandas' is compiled by pip):
    # where PYTHONDONTWRITEBYTECODE is set, each run would otherwise compile bantar_cli again
    compileall.compile_dir(ROOT / "bantar_cli", quiet=1)
    if "book" in only:
        bench_book(args.runs)
    if "table" in only:
        bench_table(args.runs)
    if "validate" in only:
        bench_validate(args.runs)
    if "diff" in only:
        bench_diff(args.runs)
    if "assessors" in only:
        bench_assessors(args.runs)
    if "sensitivity" in only:
        bench_sensitivity(args.runs)
    inputs = ensure_inputs(only - {"book", "table", "validate", "diff", "assessors", "sensitivity"})
    if inputs:
        print(f"{'input':<24} {'rows':>9} {'bantar s':>9} {'pandas s':>9} {'ratio':>6} "
              f"{'peak MiB':>9}  reader")
    for name, path in inputs:
        runs = args.runs if not name.startswith("1m") else max(5, args.runs // 2)  # noisy: >= 5
        r = bench(path, runs, args.extra.split())
        rows = {"sample": 4953, "5k": 5000, "100k": 100_000, "1m": 1_000_000,
                "1m-parquet": 1_000_000, "1m-national": 1_000_000}[name]
        print(f"{path.name:<24} {rows:>9,} {r['bantar']:>9.2f} {r['read']:>9.2f} "
              f"{r['ratio']:>6.2f} {r['peak_mib']:>9.0f}  {r['reader']} "
              f"(peak {r['reader_peak_mib']:.0f} MiB), median of {runs}", flush=True)


if __name__ == "__main__":
    main()
