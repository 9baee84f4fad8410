"""``bantar validate``: every problem at once."""

import json

from tests.conftest import small_rows, write_sheet


def test_clean_file_exits_0(run, small_xlsx, small_criteria_path):
    r = run("validate", small_xlsx, "-c", small_criteria_path, "--lang", "en")
    assert r.exit_code == 0
    assert "No problems: 6 rows, 3 entrants" in r.stdout


def test_all_problems_with_cells_and_slugs(run, tmp_path, small_criteria_path):
    rows = small_rows()
    rows[1][4] = 9            # E2 out of range
    rows[2][5] = "abc"        # F3 not a number
    rows[3][6] = None         # G4 missing
    rows[5][5] = "1.500"      # F6 ambiguous
    path = write_sheet(tmp_path / "n.xlsx", rows)
    r = run("validate", path, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    got = {(p["problem"], p["sheet"], p["cell"]) for p in doc["problems"]}
    assert got == {("out-of-range", "Penilaian", "E2"), ("not-a-number", "Penilaian", "F3"),
                   ("missing-value", "Penilaian", "G4"), ("ambiguous-number", "Penilaian", "F6")}
    assert doc["valid"] is False and doc["errors"] == 4
