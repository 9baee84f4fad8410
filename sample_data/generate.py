"""Deterministic generator of the sample assessments ``penilaian_2023.xlsx`` and ``_2024.xlsx``.

Run: ``python sample_data/generate.py [OUT_DIR]``. The same code gives the same cell values.

What it models (invented numbers on real places):
- RT entrants (id like ``15.71.01.1001-RT005``) in the 68 real kelurahan and 11 kecamatan of Kota
  Jambi (``wilayah/kota_jambi_wilayah.csv``, see its README for provenance); 1,651 in 2024.
  Some 2023 entrants dropped out in 2024 and some 2024 entrants are new.
- a size class (``kecil``, ``sedang``, ``besar``) from the number of households;
- 6 assessment teams of 3 assessors, each team covering its own kecamatan; every member of a
  team scores every RT of the team, so each RT has 3 rows;
- a latent quality per RT, persistent between the years, so better RTs score better across
  pillars; each assessor adds a little noise and a personal leniency;
- the sheet as committees make it: a title row, a two-row merged header (pillar names above the
  indicator names, entrant columns merged downwards), the committee's own total column, and a few
  percentages typed as text with a decimal comma (``85,5``).
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
WILAYAH = HERE / "wilayah" / "kota_jambi_wilayah.csv"
SEED = 20140817  # the programme started in 2014
ENTRANTS_2024 = 1651
UNIVERSE = 1712  # RTs that took part in at least one of the two years

TEAMS = {  # team -> kecamatan codes it assesses
    1: ("15.71.01", "15.71.10"),
    2: ("15.71.02", "15.71.11"),
    3: ("15.71.03", "15.71.04"),
    4: ("15.71.05", "15.71.06"),
    5: ("15.71.07", "15.71.09"),
    6: ("15.71.08",),
}
ASSESSORS = {
    1: ("Siti Rahmawati", "Ahmad Fauzi", "Dewi Lestari"),
    2: ("Budi Santoso", "Nurhayati", "Rizki Pratama"),
    3: ("Yuliana Sari", "Hendra Gunawan", "Fitri Handayani"),
    4: ("M. Ridwan", "Sri Wahyuni", "Agus Salim"),
    5: ("Rina Marlina", "Joko Susilo", "Lilis Suryani"),
    6: ("Indra Kurniawan", "Maya Anggraini", "Taufik Hidayat"),
}

# (column, pillar, kind, params) in sheet order; kinds: rubric 1-5, pct 0-100, count
INDICATORS = [
    ("Pemilahan sampah", "BERSIH", "rubric", 1.0),
    ("Nasabah bank sampah (%)", "BERSIH", "pct", (45, 20)),
    ("Kondisi drainase", "BERSIH", "rubric", 0.9),
    ("Jamban sehat (%)", "BERSIH", "pct", (82, 10)),
    ("Akses air bersih (%)", "BERSIH", "pct", (85, 9)),
    ("Jadwal ronda malam", "AMAN", "rubric", 1.0),
    ("Pos kamling", "AMAN", "rubric", 0.8),
    ("Penerangan jalan", "AMAN", "rubric", 0.9),
    ("Kejadian kriminal (kasus)", "AMAN", "incidents", 2.5),
    ("Siaga kebakaran & banjir", "AMAN", "rubric", 1.0),
    ("Pojok baca", "PINTAR", "rubric", 1.0),
    ("Partisipasi PAUD (%)", "PINTAR", "pct", (62, 15)),
    ("Partisipasi sekolah (%)", "PINTAR", "pct", (90, 6)),
    ("Keaktifan posyandu", "PINTAR", "rubric", 0.9),
    ("Literasi digital", "PINTAR", "rubric", 1.0),
    ("Rumah dengan TOGA (%)", "HIJAU", "pct", (40, 18)),
    ("Jumlah pohon", "HIJAU", "count", 45),
    ("Ruang terbuka hijau", "HIJAU", "rubric", 0.9),
    ("Lubang biopori", "HIJAU", "count", 22),
    ("Pertanian perkotaan", "HIJAU", "rubric", 1.0),
]
ENTRANT_HEADERS = ["No", "Kode RT", "Nama RT", "Kelurahan", "Kecamatan", "Kategori", "Penilai"]


def read_wilayah() -> list[dict[str, str]]:
    with WILAYAH.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build_universe(rng: np.random.Generator) -> list[dict]:
    """Every RT that entered in 2023 or 2024, with its lasting traits."""
    kel = read_wilayah()
    weights = rng.uniform(0.6, 1.4, len(kel))
    counts = np.floor(weights / weights.sum() * UNIVERSE).astype(int)
    counts[np.argsort(-weights)[: UNIVERSE - counts.sum()]] += 1
    kec_effect = {k: rng.normal(0, 0.35) for k in sorted({r["kode_kecamatan"] for r in kel})}
    rts = []
    for row, n in zip(kel, counts, strict=True):
        numbers = np.sort(rng.choice(np.arange(1, 45), size=n, replace=False))
        for num in numbers:
            households = int(rng.gamma(4.0, 22.0)) + 15
            rts.append({
                "id": f"{row['kode_kelurahan']}-RT{num:03d}",
                "name": f"RT {num:03d} {row['kelurahan']}",
                "kelurahan": row["kelurahan"],
                "kecamatan": row["kecamatan"],
                "kode_kecamatan": row["kode_kecamatan"],
                "category": ("kecil" if households < 60 else
                             "sedang" if households < 120 else "besar"),
                "quality": kec_effect[row["kode_kecamatan"]] + rng.normal(0, 1),
            })
    return rts


def entrants_by_year(rng: np.random.Generator, rts: list[dict]) -> dict[int, list[dict]]:
    """2024: 1,651 entrants; 2023: most of them, plus some that dropped out in 2024."""
    n = len(rts)
    order = rng.permutation(n)
    new_2024 = set(order[:48].tolist())            # entered first in 2024
    dropped = set(order[48:48 + n - ENTRANTS_2024].tolist())  # took part in 2023 only
    years = {2023: [], 2024: []}
    for i, rt in enumerate(rts):
        if i not in new_2024:
            years[2023].append(rt)
        if i not in dropped:
            years[2024].append(rt)
    return years


def team_of(kode_kecamatan: str) -> int:
    return next(t for t, kecs in TEAMS.items() if kode_kecamatan in kecs)


def marks(rng: np.random.Generator, quality: float, leniency: float, kind: str, p) -> float:
    """One assessor's raw mark on one indicator."""
    z = quality + rng.normal(0, 0.55)
    if kind == "rubric":
        return float(np.clip(np.rint(2.9 + 0.75 * p * z + leniency + rng.normal(0, 0.4)), 1, 5))
    if kind == "pct":
        mean, sd = p
        x = mean + 0.8 * sd * z + 6 * leniency + rng.normal(0, 2)
        return float(np.clip(np.round(x, 1), 0, 100))
    if kind == "incidents":
        return float(rng.poisson(max(0.2, p * np.exp(-0.6 * quality))))
    return float(rng.poisson(max(1.0, p * np.exp(0.5 * z))))


def assessment_rows(rng: np.random.Generator, entrants: list[dict], year: int) -> list[list]:
    year_q = {2023: 0.0, 2024: 0.15}[year]
    drift = np.random.default_rng(SEED + year)
    leniency = {name: rng.normal(0, 0.25) for names in ASSESSORS.values() for name in names}
    rows = []
    for rt in sorted(entrants, key=lambda r: r["id"]):
        q = rt["quality"] + year_q + (drift.normal(0, 0.45) if year == 2024 else 0.0)
        for assessor in ASSESSORS[team_of(rt["kode_kecamatan"])]:
            values = [marks(rng, q, leniency[assessor], kind, p) for _, _, kind, p in INDICATORS]
            rows.append([rt["id"], rt["name"], rt["kelurahan"], rt["kecamatan"], rt["category"],
                         assessor, *values])
    return rows


def write_workbook(path: Path, rows: list[list], year: int, rng: np.random.Generator) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Penilaian"
    ncols = len(ENTRANT_HEADERS) + len(INDICATORS) + 1
    ws.cell(1, 1, f"PENILAIAN LOMBA KAMPUNG BANTAR (BERSIH, AMAN, PINTAR) KOTA JAMBI TAHUN {year}")
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for j, name in enumerate(ENTRANT_HEADERS, start=1):
        ws.cell(3, j, name)
        ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    col = len(ENTRANT_HEADERS) + 1
    for pillar in ("BERSIH", "AMAN", "PINTAR", "HIJAU"):
        members = [c for c, p, _, _ in INDICATORS if p == pillar]
        ws.cell(3, col, pillar)
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(members) - 1)
        for k, name in enumerate(members):
            ws.cell(4, col + k, name)
        col += len(members)
    ws.cell(3, ncols, "Jumlah")  # the committee's own total: bantar ignores it
    ws.merge_cells(start_row=3, start_column=ncols, end_row=4, end_column=ncols)
    for r in (3, 4):
        for j in range(1, ncols + 1):
            c = ws.cell(r, j)
            c.font, c.fill, c.alignment = bold, fill, center
    pct_cols = [k for k, (_, _, kind, _) in enumerate(INDICATORS) if kind == "pct"]
    as_text = set(rng.choice(len(rows), size=40, replace=False).tolist())
    for n, row in enumerate(rows):
        r = 5 + n
        ident, name, kel, kec, cat, assessor, *values = row
        out = [n + 1, ident, name, kel, kec, cat, assessor, *values, round(sum(values), 1)]
        if n in as_text:  # typed as text with a decimal comma, as happens in real sheets
            k = pct_cols[n % len(pct_cols)]
            out[len(ENTRANT_HEADERS) + k] = f"{values[k]:.1f}".replace(".", ",")
        for j, v in enumerate(out, start=1):
            ws.cell(r, j, v)
    widths = [5, 22, 30, 18, 15, 10, 18] + [13] * len(INDICATORS) + [9]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "H5"
    info = wb.create_sheet("Petunjuk")
    info["A1"] = "Petunjuk pengisian"
    info["A2"] = "Isi satu baris per RT dan per penilai. Nilai rubrik 1–5; persen 0–100."
    stamp = dt.datetime(year, 8, 17, 9, 0, 0)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "Tim Penilai Kampung Bantar (sampel bantar)"
    wb.save(path)


def generate(out_dir: Path = HERE) -> list[Path]:
    rng = np.random.default_rng(SEED)
    rts = build_universe(rng)
    years = entrants_by_year(rng, rts)
    paths = []
    for year in (2023, 2024):
        yr_rng = np.random.default_rng(SEED * 10 + year)
        rows = assessment_rows(yr_rng, years[year], year)
        path = out_dir / f"penilaian_{year}.xlsx"
        write_workbook(path, rows, year, yr_rng)
        paths.append(path)
    return paths


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for p in generate(out):
        print(p)
