"""``bantar score -o``: the workbook, read back cell by cell, and the safety of writing it."""

from __future__ import annotations

import hashlib
import json

from openpyxl import load_workbook

from tests.conftest import small_rows, write_sheet


def test_workbook_holds_the_same_ranking_as_json(run, small_xlsx, small_criteria_path, tmp_path):
    out = tmp_path / "hasil.xlsx"
    r = run("score", small_xlsx, "-c", small_criteria_path, "-o", out, "--format", "json")
    assert r.exit_code == 0, r.stderr
    results = json.loads(r.stdout)["results"]
    wb = load_workbook(out)
    assert wb.sheetnames == ["Ringkasan", "Peringkat", "Pemenang", "Rincian", "Penilai",
                             "Kriteria", "Metadata"]
    ws = wb["Peringkat"]
    assert [c.value for c in ws[1]][:7] == ["Peringkat", "Peringkat kelompok", "Kode", "Nama",
                                            "Kecamatan", "Kategori", "Nilai"]
    for n, res in enumerate(results, start=2):
        assert ws.cell(n, 1).value == res["rank"]
        assert ws.cell(n, 3).value == res["id"]
        assert abs(ws.cell(n, 7).value - res["score"]) < 1e-12
    assert ws.freeze_panes == "D2" and "Peringkat" in ws.tables
    meta = {row[0].value: row[1].value for row in wb["Metadata"].iter_rows()}
    assert meta["input 1 sha256"] == hashlib.sha256(small_xlsx.read_bytes()).hexdigest()
    assert meta["criteria sha256"] == hashlib.sha256(small_criteria_path.read_bytes()).hexdigest()


def test_english_sheet_names(run, small_xlsx, small_criteria_path, tmp_path):
    out = tmp_path / "result.xlsx"
    assert run("score", small_xlsx, "-c", small_criteria_path, "-o", out, "--lang", "en").exit_code == 0
    assert load_workbook(out).sheetnames == ["Summary", "Ranking", "Awards", "Breakdown",
                                             "Assessors", "Criteria", "Metadata"]


def test_names_stay_text(run, tmp_path, small_criteria_path):
    rows = small_rows()
    for r in rows[1:3]:
        r[1] = '=HYPERLINK("http://x","y")'
    out = tmp_path / "hasil.xlsx"
    run("score", write_sheet(tmp_path / "n.xlsx", rows), "-c", small_criteria_path, "-o", out)
    cell = load_workbook(out)["Peringkat"]["D2"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


def test_output_that_is_an_input_is_refused(run, small_xlsx, small_criteria_path):
    before = small_xlsx.read_bytes()
    r = run("score", small_xlsx, "-c", small_criteria_path, "-o", small_xlsx)
    assert r.exit_code == 2
    assert "is one of the inputs" in r.stderr
    assert small_xlsx.read_bytes() == before


def test_failed_run_writes_nothing(run, tmp_path, small_criteria_path):
    rows = small_rows()
    rows[2][4] = "x"
    out = tmp_path / "hasil.xlsx"
    r = run("score", write_sheet(tmp_path / "n.xlsx", rows), "-c", small_criteria_path, "-o", out)
    assert r.exit_code == 1 and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kriteria.yaml", "n.xlsx"]


def test_failed_run_keeps_the_previous_output(run, tmp_path, small_criteria_path, small_xlsx):
    out = tmp_path / "hasil.xlsx"
    assert run("score", small_xlsx, "-c", small_criteria_path, "-o", out).exit_code == 0
    before = out.read_bytes()
    rows = small_rows()
    rows[2][4] = "x"
    bad = write_sheet(tmp_path / "bad.xlsx", rows)
    assert run("score", bad, "-c", small_criteria_path, "-o", out).exit_code == 1
    assert out.read_bytes() == before


def test_unstorable_characters_are_dropped_and_long_text_cut(run, tmp_path, small_criteria_path):
    rows = small_rows()
    rows[1][1] = rows[2][1] = "RT\x01 001\x1f"
    rows[3][1] = rows[4][1] = "x" * 40_000
    data = tmp_path / "n.csv"
    data.write_text("\n".join(",".join(str(v) for v in row) for row in rows) + "\n")
    out = tmp_path / "hasil.xlsx"
    r = run("score", data, "-c", small_criteria_path, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "cut to Excel's limit of 32767 characters" in r.stderr
    ws = load_workbook(out)["Peringkat"]
    names = [ws.cell(n, 4).value for n in (2, 3)]
    assert names[0] == "RT 001" and len(names[1]) == 32767
