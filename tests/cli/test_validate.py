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
    table = run("validate", path, "-c", small_criteria_path, "--lang", "en").stdout.splitlines()
    assert table[0].strip() == "4 problems found"
    listed = [[c.strip() for c in line.split("│")[1:-1]] for line in table if line.startswith("│")]
    assert [(row[1], row[2]) for row in listed] == [
        (f"{p['sheet']}!{p['cell']}", p["problem"]) for p in doc["problems"]]
    assert listed[[r[1] for r in listed].index(
        "Penilaian!F3")][1:4] == ["Penilaian!F3", "not-a-number", "abc"]


def _rows_with_total():
    rows = small_rows()
    rows[0].append("Jumlah")
    for r in rows[1:]:
        r.append(sum(r[4:7]))
    return rows


def test_suspicious_but_legal_gives_warnings_and_exit_0(run, tmp_path, small_criteria_path):
    rows = _rows_with_total()
    rows += [["D", "RT 004", "Jelutung", "P1", 2, 50, 1, 53],
             ["D", "RT 004", "Jelutung", "P2", 2, 55, 1, 58]]
    for r in rows[1:]:
        if r[3] == "P1":
            r[6] = 3  # P1 gave every entrant the same 'Kejadian'
            r[7] = sum(r[4:7])
    rows[2][7] = 999  # P2's total for A disagrees with the marks
    path = write_sheet(tmp_path / "n.xlsx", rows)
    r = run("validate", path, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 0, r.stdout
    warnings = {(p["problem"], p["cell"]) for p in json.loads(r.stdout)["problems"]}
    assert warnings == {("same-mark", "G2"), ("total-mismatch", "H3")}
    assert "gave all 4 entrants the same mark (3)" in r.stdout


def test_constant_column_and_a_total_that_is_not_a_sum(run, tmp_path, small_criteria_path):
    rows = _rows_with_total()
    for r in rows[1:]:
        r[5] = 80
        r[7] = 1  # 'Jumlah' is something else entirely
    path = write_sheet(tmp_path / "n.xlsx", rows)
    r = run("validate", path, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 0
    slugs = {p["problem"] for p in json.loads(r.stdout)["problems"]}
    assert slugs == {"constant-column", "total-not-sum"}


def test_warnings_also_reach_score_on_stderr(run, tmp_path, small_criteria_path):
    rows = small_rows()
    for r in rows[1:]:
        r[5] = 80
    path = write_sheet(tmp_path / "n.xlsx", rows)
    r = run("score", path, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 0
    assert "warning:" in r.stderr and "'Air bersih (%)' is 80 in every row" in r.stderr
    json.loads(r.stdout)


def test_limit_defaults_agree():
    from bantar_cli.cli import options
    from bantar_cli.io.guard import MB, Limits

    d = Limits()
    assert d.file_bytes == options.MAX_FILE_MB * MB
    assert d.inflated_bytes == options.MAX_INFLATED_MB * MB
    assert (d.rows, d.columns) == (options.MAX_ROWS, options.MAX_COLUMNS)
