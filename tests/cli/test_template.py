"""``bantar template``: a form made from the criteria, filled by a script, validated and scored."""

from __future__ import annotations

import json
import random

import pytest
from openpyxl import load_workbook

from bantar_cli.io.bundled import bundled_criteria
from tests.conftest import BUNDLED, write_text

ENTRANTS = """\
Kode RT;Nama RT;Kecamatan;Kategori;Kelurahan
15.71.01.1001-RT001;RT 001 Simpang IV Sipin;Telanaipura;kecil;Simpang IV Sipin
15.71.01.1001-RT002;RT 002 Simpang IV Sipin;Telanaipura;besar;Simpang IV Sipin
15.71.08.1003-RT010;RT 010 Kebun Handil;Jelutung;sedang;Kebun Handil
15.71.08.1003-RT011;RT 011 Kebun Handil;Jelutung;kecil;Kebun Handil
"""
ASSESSORS = "Siti Rahmawati,Budi Santoso,Dewi Lestari"


@pytest.fixture
def form(run, tmp_path):
    entrants = write_text(tmp_path / "rt.csv", ENTRANTS)
    out = tmp_path / "penilaian.xlsx"
    r = run("template", "--entrants", entrants, "--assessors", ASSESSORS, "-o", out)
    assert r.exit_code == 0, r.stderr
    return out


def fill(path, seed: int = 1, blank_last: bool = True):
    """Fill every mark with a random valid value, as an assessor would."""
    rng = random.Random(seed)
    crit = bundled_criteria()
    wb = load_workbook(path)
    ws = wb["Penilaian"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value is None:
            continue
        for ind in crit.indicators:
            lo, hi = ind.range
            col = header.index(ind.column)
            row[col].value = rng.randint(int(lo), int(hi)) if hi - lo <= 10 else round(
                rng.uniform(lo, hi), 1)
    wb.save(path)
    return path


def test_form_layout(form):
    crit = bundled_criteria()
    wb = load_workbook(form)
    assert wb.sheetnames[:2] == ["Petunjuk", "Penilaian"]
    ws = wb["Penilaian"]
    header = [c.value for c in ws[1]]
    assert header == ["Kode RT", "Nama RT", "Kecamatan", "Kategori", "Penilai",
                      *(i.column for i in crit.indicators)]
    assert ws.max_row >= 1 + 4 * 3
    assert [ws.cell(r, 5).value for r in (2, 6, 10)] == ASSESSORS.split(",")
    assert ws.freeze_panes == "C2"
    assert ws.protection.sheet and ws["A1"].protection.locked and not ws["A2"].protection.locked
    rules = {str(dv.sqref)[:1]: dv for dv in ws.data_validations.dataValidation}
    assert rules["F"].type == "list" and rules["F"].formula1 == '"1,2,3,4,5"'
    assert rules["G"].type == "decimal"
    assert float(rules["G"].formula1) == 0 and float(rules["G"].formula2) == 100
    assert "0 sampai 100" in rules["G"].prompt
    meta = {r[0]: r[1] for r in wb["_bantar"].iter_rows(values_only=True)}
    assert wb["_bantar"].sheet_state == "veryHidden"
    assert meta["sha256"] == crit.sha256
    guide = [c.value for row in wb["Petunjuk"].iter_rows() for c in row if c.value]
    assert any(v == "Pemilahan sampah" for v in guide)


def test_filled_form_validates_and_scores_unchanged(run, form):
    fill(form)
    r = run("validate", form)
    assert r.exit_code == 0, r.stdout + r.stderr
    r = run("score", form, "--format", "json")
    assert r.exit_code == 0, r.stderr
    results = json.loads(r.stdout)["results"]
    assert sorted(x["id"] for x in results) == sorted(
        line.split(";")[0] for line in ENTRANTS.splitlines()[1:])
    assert all(x["assessors"] == 3 for x in results)


def test_split_gives_one_workbook_per_assessor(run, tmp_path):
    entrants = write_text(tmp_path / "rt.csv", ENTRANTS)
    r = run("template", "--entrants", entrants, "--assessors", ASSESSORS, "--split", "-o",
            tmp_path / "form.xlsx")
    assert r.exit_code == 0, r.stderr
    made = sorted(p.name for p in tmp_path.glob("form_*.xlsx"))
    assert made == ["form_Budi_Santoso.xlsx", "form_Dewi_Lestari.xlsx", "form_Siti_Rahmawati.xlsx"]
    files = [fill(tmp_path / m, seed=n) for n, m in enumerate(made)]
    r = run("score", *files, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert {x["assessors"] for x in json.loads(r.stdout)["results"]} == {3}


def test_form_from_other_criteria_warns(run, form, tmp_path):
    fill(form)
    other = tmp_path / "lain.yaml"
    other.write_text(BUNDLED.read_text().replace('version: "2024"', 'version: "2025"'))
    r = run("score", form, "-c", other, "--format", "json")
    assert r.exit_code == 0
    assert "the form was made from criteria 'Kampung Bantar' version 2024" in r.stderr


@pytest.mark.parametrize("text,line,words", [
    ("Kode;Nama\nA;B\n", 1, "no column 'Kode RT'"),
    ("Kode RT;Nama RT\nA;x\n;y\n", 3, "has no Kode RT"),
    ("Kode RT,Nama RT\nA,x\nB,y\nA,z\n", 4, "listed twice (first on line 2)"),
])
def test_bad_entrants_file(run, tmp_path, text, line, words):
    path = write_text(tmp_path / "rt.csv", text)
    r = run("template", "--entrants", path, "-o", tmp_path / "f.xlsx")
    assert r.exit_code == 1
    assert f"{path}:{line}: " in r.stderr and words in r.stderr
    assert not (tmp_path / "f.xlsx").exists()


def test_usage_errors(run, tmp_path):
    entrants = write_text(tmp_path / "rt.csv", ENTRANTS)
    assert run("template", "--split", "-o", tmp_path / "f.xlsx").exit_code == 2
    assert run("template", "--entrants", entrants, "-o", entrants).exit_code == 2
    assert run("template", "-o", tmp_path / "f.csv").exit_code == 2
    assert run("template", "--assessors", "A,A", "-o", tmp_path / "f.xlsx").exit_code == 2


def test_blank_form_without_entrants(run, tmp_path):
    out = tmp_path / "kosong.xlsx"
    assert run("template", "-o", out, "--blank-rows", "10").exit_code == 0
    ws = load_workbook(out)["Penilaian"]
    assert ws["A2"].value is None and ws.data_validations.dataValidation


PLANTED = {  # cell: (value, slug)
    "F2": (7, "out-of-range"),
    "G3": ("banyak", "not-a-number"),
    "H4": (None, "missing-value"),
    "I5": ("1.500", "ambiguous-number"),
    "J6": (-5, "out-of-range"),
    "K7": ("tiga", "not-a-number"),
    "L9": (True, "not-a-number"),
    "M10": ("2,5,1", "not-a-number"),
    "N11": (101, "out-of-range"),
    "C12": ("Jambi Timur", "conflicting-entrant"),
    "A13": (None, "missing-value"),
}


def test_a_dozen_planted_mistakes_are_each_named(run, form, tmp_path):
    fill(form)
    wb = load_workbook(form)
    ws = wb["Penilaian"]
    for cell, (value, _) in PLANTED.items():
        ws[cell].value = value
    for col in "ABCDE":  # row 8 repeats row 7's entrant and assessor
        ws[f"{col}8"].value = ws[f"{col}7"].value
    wb.save(form)
    renamed = tmp_path / "tim2.xlsx"
    other = load_workbook(form)
    other["Penilaian"]["F1"].value = "Pemilahan sampahh"
    other.save(renamed)
    r = run("validate", form, renamed, "--format", "json")
    assert r.exit_code == 1
    got = {(p["cell"], p["problem"]) for p in json.loads(r.stdout)["problems"]
           if p["severity"] == "error" and p["file"] == str(form)}
    expected = {(cell, slug) for cell, (_, slug) in PLANTED.items()} | {
        ("A8", "duplicate-assessment")}
    assert got == expected
    (unknown,) = [p for p in json.loads(r.stdout)["problems"] if p["file"] == str(renamed)]
    assert unknown["problem"] == "unknown-column" and unknown["sheet"] == "Penilaian"
    assert "did you mean 'Pemilahan sampahh'?" in unknown["hint"]
    assert len(expected) + 1 >= 12


def test_a_form_longer_than_a_sheet_is_refused_not_cut(run, tmp_path, monkeypatch):
    """xlsxwriter leaves out, without a word, rows beyond what a sheet holds: a form that long
    is refused (exit 2) with what to do instead, and one per assessor that fits is written."""
    from bantar_cli.render import xlsx_bulk

    entrants = write_text(tmp_path / "rt.csv", ENTRANTS)
    n = len(ENTRANTS.strip().splitlines()) - 1  # entrants listed
    monkeypatch.setattr(xlsx_bulk, "EXCEL_ROWS", 2 * n + 10)  # a row short of the form of both
    out = tmp_path / "f.xlsx"
    args = ["template", "--entrants", entrants, "--assessors", "A,B", "--blank-rows", "10"]
    r = run(*args, "-o", out)
    assert r.exit_code == 2 and "an Excel sheet holds" in r.stderr and "--split" in r.stderr
    assert not out.exists()
    assert run(*args, "--split", "-o", out).exit_code == 0
    assert (tmp_path / "f_A.xlsx").exists() and (tmp_path / "f_B.xlsx").exists()
