"""Shared fixtures: small criteria, workbook writers, a CLI runner that keeps stdout and stderr apart."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bantar_cli.cli.app import app
from bantar_cli.io.criteria import load_criteria

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_2024 = ROOT / "sample_data" / "penilaian_2024.xlsx"
SAMPLE_2023 = ROOT / "sample_data" / "penilaian_2023.xlsx"
BUNDLED = ROOT / "criteria" / "bantar.yaml"

SMALL_CRITERIA = """\
name: Lomba Kecil
version: "1"
entrant:
  id: Kode
  name: Nama
  group: Kecamatan
  assessor: Penilai
pillars:
  - key: bersih
    label: {id: Bersih, en: Clean}
    weight: 60
    indicators:
      - key: sampah
        column: Pemilahan sampah
        weight: 2
        range: [1, 5]
      - key: air
        column: Air bersih (%)
        weight: 1
        range: [0, 100]
  - key: aman
    label: {id: Aman, en: Safe}
    weight: 40
    indicators:
      - key: kejadian
        column: Kejadian
        weight: 1
        direction: lower
        normalize: minmax
"""


def write_text(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def small_criteria_path(tmp_path: Path) -> Path:
    return write_text(tmp_path / "kriteria.yaml", SMALL_CRITERIA)


@pytest.fixture
def small_criteria(small_criteria_path: Path):
    return load_criteria(small_criteria_path)


def write_sheet(path: Path, rows: Sequence[Sequence[object]], *, sheet: str = "Penilaian",
                extra_sheets: dict[str, list[list[object]]] | None = None) -> Path:
    """An .xlsx whose first sheet holds ``rows`` from A1 (None leaves a cell empty)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                cell = ws.cell(r, c, v)
                if isinstance(v, str):
                    cell.data_type = "s"  # '=...' typed as text, never a formula
    for name, data in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for r, row in enumerate(data, start=1):
            for c, v in enumerate(row, start=1):
                other.cell(r, c, v)
    wb.save(path)
    return path


SMALL_HEADER = ["Kode", "Nama", "Kecamatan", "Penilai", "Pemilahan sampah", "Air bersih (%)",
                "Kejadian"]


def small_rows() -> list[list[object]]:
    """Three entrants, two assessors each."""
    return [
        list(SMALL_HEADER),
        ["A", "RT 001", "Telanaipura", "P1", 5, 90, 0],
        ["A", "RT 001", "Telanaipura", "P2", 4, 80, 0],
        ["B", "RT 002", "Telanaipura", "P1", 3, 60, 2],
        ["B", "RT 002", "Telanaipura", "P2", 3, 70, 2],
        ["C", "RT 003", "Jelutung", "P1", 1, 50, 4],
        ["C", "RT 003", "Jelutung", "P2", 2, 40, 4],
    ]


@pytest.fixture
def small_xlsx(tmp_path: Path) -> Path:
    return write_sheet(tmp_path / "penilaian.xlsx", small_rows())


def frame_of(rows: list[list[object]]) -> pd.DataFrame:
    """An assessment frame as the reader returns it, from header + rows of SMALL_HEADER."""
    keys = {"Kode": "id", "Nama": "name", "Kecamatan": "group", "Penilai": "assessor",
            "Pemilahan sampah": "sampah", "Air bersih (%)": "air", "Kejadian": "kejadian"}
    df = pd.DataFrame(rows[1:], columns=[keys[h] for h in rows[0]])
    for k in ("sampah", "air", "kejadian"):
        df[k] = df[k].astype("float64")
    return df


class Runner:
    """Runs the CLI in-process; ``stdout`` is only data, ``stderr`` only messages."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: object):
        return self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def run() -> Runner:
    return Runner()
