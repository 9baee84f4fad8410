"""``bantar assessors`` and ``score --compare-combine`` through the CLI."""

from __future__ import annotations

import json

from tests.conftest import SAMPLE_2024, small_rows, write_sheet


def test_report_on_the_sample(run):
    r = run("assessors", SAMPLE_2024, "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert len(doc["assessors"]) == 18 and len(doc["teams"]) == 6
    assert all(t["note"] is None and 0 < t["icc_a1"] <= 1 for t in doc["teams"])
    assert len(doc["second_visit"]) == 10
    table = run("assessors", SAMPLE_2024, "--lang", "en").stdout
    assert "Reliability per team" in table and "second visit" in table


def test_csv_is_refused_before_the_inputs_are_read(run, tmp_path, small_xlsx,
                                                   small_criteria_path):
    r = run("assessors", small_xlsx, "-c", small_criteria_path, "--format", "csv")
    assert r.exit_code == 2 and "writes a table or JSON" in r.stderr
    rows = small_rows()
    rows[1][4] = 99  # out of range: reading it would stop with exit 1
    bad = write_sheet(tmp_path / "salah.xlsx", rows)
    r = run("assessors", bad, "-c", small_criteria_path, "--format", "csv")
    assert r.exit_code == 2 and "writes a table or JSON" in r.stderr


def test_compare_combine(run, tmp_path, small_criteria_path):
    rows = small_rows()
    rows.append(["A", "RT 001", "Telanaipura", "P3", 1, 10, 4])  # an outlier third mark for A
    rows.append(["B", "RT 002", "Telanaipura", "P3", 3, 65, 2])
    rows.append(["C", "RT 003", "Jelutung", "P3", 1, 45, 4])
    path = write_sheet(tmp_path / "n.xlsx", rows)
    r = run("score", path, "-c", small_criteria_path, "--compare-combine", "--format", "json")
    assert r.exit_code == 0, r.stderr
    cmp = json.loads(r.stdout)["combine_comparison"]
    assert cmp["method"] == "mean"
    methods = {a["method"]: a for a in cmp["alternatives"]}
    assert set(methods) == {"median", "trimmed_mean", "standardized"}
    assert methods["standardized"]["available"] is True  # one team: a connected design
    assert all(isinstance(a["top_unchanged"], bool) for a in cmp["alternatives"])
    table = run("score", path, "-c", small_criteria_path, "--compare-combine", "--lang", "en")
    assert "If assessors were combined another way (now: mean)" in table.stdout


def test_min_count_as_error_or_warning(run, tmp_path, small_xlsx, small_criteria_path):
    text = small_criteria_path.read_text().replace("  assessor: Penilai\n",
                                                   "  assessor: Penilai\nassessors:\n  min_count: 3\n")
    strict = tmp_path / "strict.yaml"
    strict.write_text(text)
    r = run("score", small_xlsx, "-c", strict)
    assert r.exit_code == 1 and "was assessed by 2 assessor(s) — expected at least 3" in r.stderr
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text(text.replace("  min_count: 3\n", "  min_count: 3\n  below_min: warning\n"))
    r = run("score", small_xlsx, "-c", lenient, "--format", "json")
    assert r.exit_code == 0 and "warning:" in r.stderr


def test_missing_values_are_reported_per_entrant(run, tmp_path, small_criteria_path):
    rows = small_rows()
    rows[5][5] = rows[6][5] = None  # C has no 'Air bersih' from either assessor
    text = small_criteria_path.read_text() + "missing: reweight\n"
    crit = tmp_path / "k.yaml"
    crit.write_text(text)
    r = run("score", write_sheet(tmp_path / "n.xlsx", rows), "-c", crit, "--format", "json")
    assert r.exit_code == 0, r.stderr
    by_id = {x["id"]: x for x in json.loads(r.stdout)["results"]}
    assert by_id["C"]["missing"] == [{"key": "air", "action": "reweight"}]
    assert "missing" not in by_id["A"]
