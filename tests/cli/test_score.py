"""``bantar score``: exit codes, the contract's JSON, CSV, the table, and what goes where."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys

import pytest

from bantar_cli.core.score import score
from bantar_cli.io.bundled import bundled_criteria
from bantar_cli.io.workbook import read_assessment
from bantar_cli.render.formats import score_json
from tests.conftest import SAMPLE_2024, small_rows, write_sheet


def test_json_follows_the_contract(run, small_xlsx, small_criteria_path):
    r = run("score", small_xlsx, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert set(doc) >= {"criteria", "inputs", "results"}
    assert doc["criteria"]["name"] == "Lomba Kecil" and doc["criteria"]["version"] == "1"
    assert doc["criteria"]["sha256"] == hashlib.sha256(small_criteria_path.read_bytes()).hexdigest()
    assert doc["inputs"] == [{"path": str(small_xlsx), "rows": 6,
                              "sha256": hashlib.sha256(small_xlsx.read_bytes()).hexdigest()}]
    first = doc["results"][0]
    assert {"rank", "id", "name", "group", "category", "score", "pillars"} <= set(first)
    assert first == {**first, "rank": 1, "id": "A", "name": "RT 001", "group": "Telanaipura",
                     "category": None}
    assert first["score"] == pytest.approx(92.0, abs=1e-12)  # unrounded, see tests/core
    assert set(first["pillars"]) == {"bersih", "aman"}
    assert [x["rank"] for x in doc["results"]] == [1, 2, 3]


def test_json_agrees_with_the_python_api(run, small_xlsx, small_criteria_path, small_criteria):
    r = run("score", small_xlsx, "-c", small_criteria_path, "--format", "json")
    a = read_assessment([small_xlsx], small_criteria)
    api = b"".join(score_json(score(a.frame, small_criteria), a.inputs))
    assert json.loads(r.stdout) == json.loads(api)


def test_csv_has_the_same_fields(run, small_xlsx, small_criteria_path):
    r = run("score", small_xlsx, "-c", small_criteria_path, "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["rank", "group_rank", "id", "name", "group", "category", "score",
                             "bersih", "aman", "assessors"]
    assert [x["id"] for x in rows] == ["A", "B", "C"]
    assert float(rows[1]["score"]) == pytest.approx(53.0, abs=1e-12)
    assert r.stderr == ""


def test_csv_text_never_becomes_a_formula(run, tmp_path, small_criteria_path):
    rows = small_rows()
    for r in rows[1:3]:
        r[1] = '=HYPERLINK("http://x","y")'
    for r in rows[3:5]:
        r[1] = "@SUM(1)"
    path = write_sheet(tmp_path / "n.xlsx", rows)
    out = run("score", path, "-c", small_criteria_path, "--format", "csv").stdout
    names = [x["name"] for x in csv.DictReader(io.StringIO(out))]
    assert names == ["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)", "RT 003"]


def test_table_in_indonesian_and_english(run, small_xlsx, small_criteria_path):
    r = run("score", small_xlsx, "-c", small_criteria_path)
    assert r.exit_code == 0
    assert "Peringkat" in r.stdout and "Bersih" in r.stdout and "92,00" in r.stdout
    r = run("score", small_xlsx, "-c", small_criteria_path, "--lang", "en", "--top", "2")
    assert "Rank" in r.stdout and "Clean" in r.stdout and "92.00" in r.stdout
    assert "RT 003" not in r.stdout and "showing the top 2 of 3" in r.stdout


def test_bad_cell_exits_1_naming_the_cell_without_traceback(run, tmp_path, small_criteria_path):
    rows = small_rows()
    rows[3][4] = "tiga"
    path = write_sheet(tmp_path / "nilai.xlsx", rows)
    r = run("score", path, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert f"{path}: Penilaian!E4: 'Pemilahan sampah' is 'tiga', not a number" in r.stderr
    assert "Traceback" not in r.stderr


def test_several_problems_are_listed(run, tmp_path, small_criteria_path):
    rows = small_rows()
    rows[1][4] = 9
    rows[2][5] = -1
    path = write_sheet(tmp_path / "nilai.xlsx", rows)
    r = run("score", path, "-c", small_criteria_path)
    assert r.exit_code == 1
    assert "Penilaian!E2: 'Pemilahan sampah' is 9 — expected a number from 1 to 5" in r.stderr
    assert "Penilaian!F3: 'Air bersih (%)' is -1 — expected a number from 0 to 100" in r.stderr


def test_invalid_criteria_exit_1_with_line(run, small_xlsx, tmp_path):
    bad = tmp_path / "k.yaml"
    bad.write_text("name: x\nentrant: {id: Kode}\npillars: []\n")
    r = run("score", small_xlsx, "-c", bad)
    assert r.exit_code == 1
    assert f"{bad}:3: 'pillars' is a list" in r.stderr


def test_usage_errors_exit_2(run, small_xlsx, tmp_path):
    assert run("score", tmp_path / "missing.xlsx").exit_code == 2
    assert run("score", small_xlsx, "--bogus").exit_code == 2
    assert run("score", small_xlsx, "--format", "xml").exit_code == 2
    assert run("score", small_xlsx, "-c", tmp_path / "none.yaml").exit_code == 2
    assert run("score").exit_code == 2


def test_internal_error_exits_3_and_asks_for_a_report(run, small_xlsx, small_criteria_path,
                                                       monkeypatch):
    import bantar_cli.core.score as core_score

    def boom(*a, **k):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(core_score, "score", boom)
    r = run("score", small_xlsx, "-c", small_criteria_path)
    assert r.exit_code == 3
    assert "internal error" in r.stderr and "please report" in r.stderr.lower()
    assert "Traceback" not in r.stderr
    r = run("score", small_xlsx, "-c", small_criteria_path, "--debug")
    assert r.exit_code == 3 and "Traceback" in r.stderr and "planted" in r.stderr


def test_a_scoring_failure_on_a_frame_with_problems_leaves_the_problems_to_speak(
        run, tmp_path, small_criteria_path, monkeypatch):
    """The scoring runs beside the checks, on a frame that may be bad: its failure must not
    hide the cell the user has to mend (nor turn exit 1 into an internal error)."""
    import bantar_cli.core.score as core_score

    def boom(*a, **k):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(core_score, "score", boom)
    rows = small_rows()
    rows[3][4] = "tiga"
    path = write_sheet(tmp_path / "nilai.xlsx", rows)
    r = run("score", path, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 1 and r.stdout == ""
    assert "Penilaian!E4: 'Pemilahan sampah' is 'tiga', not a number" in r.stderr
    assert "internal error" not in r.stderr


def test_scoring_runs_beside_the_checks(run, small_xlsx, small_criteria_path, monkeypatch):
    """The checks wait for the scoring to start: run one after the other, they never would."""
    import threading

    import bantar_cli.core.checks as checks
    import bantar_cli.core.score as core_score

    started = threading.Event()
    real_score, real_check = core_score.score, checks.check_assessment

    def scoring(*a, **k):
        started.set()
        return real_score(*a, **k)

    def checking(*a, **k):
        assert started.wait(timeout=30), "the scoring did not start while the checks ran"
        return real_check(*a, **k)

    monkeypatch.setattr(core_score, "score", scoring)
    monkeypatch.setattr(checks, "check_assessment", checking)
    r = run("score", small_xlsx, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [e["rank"] for e in json.loads(r.stdout)["results"]] == [1, 2, 3]


def test_inputs_are_never_modified(run, small_xlsx, small_criteria_path):
    before = small_xlsx.read_bytes()
    run("score", small_xlsx, "-c", small_criteria_path, "--format", "json")
    assert small_xlsx.read_bytes() == before


def test_a_file_given_twice_is_a_usage_error(run, small_xlsx, small_criteria_path, tmp_path):
    """By any name: every row would be an entrant assessed twice (the 1M file given twice took
    48 s to list a million such rows)."""
    r = run("score", small_xlsx, small_xlsx, "-c", small_criteria_path)
    assert r.exit_code == 2 and f"{small_xlsx} is given twice" in r.stderr
    link = tmp_path / "tautan.xlsx"
    link.symlink_to(small_xlsx)
    r = run("validate", small_xlsx, link, "-c", small_criteria_path)
    assert r.exit_code == 2 and f"{small_xlsx} and {link} are the same file" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_copy_of_an_input_is_refused_without_reading_it(run, small_xlsx, small_criteria_path,
                                                          tmp_path):
    import shutil

    copy = shutil.copy(small_xlsx, tmp_path / "salinan.xlsx")
    r = run("validate", small_xlsx, copy, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert [(p["problem"], p["file"]) for p in doc["problems"]] == [
        ("same-file-content", str(copy))]
    assert [i["rows"] for i in doc["inputs"]] == [6, 0]
    assert f"the file has the same content as {small_xlsx}" in doc["problems"][0]["message"]


def test_sample_scores_with_bundled_criteria_in_a_real_process():
    r = subprocess.run([sys.executable, "-m", "bantar_cli", "score", str(SAMPLE_2024), "--format",
                        "json"], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert len(doc["results"]) == 1651
    assert doc["inputs"][0]["rows"] == 4953
    assert doc["criteria"]["sha256"] == bundled_criteria().sha256


def test_awards_in_json_and_a_budget_warning(run, tmp_path):
    from tests.core.test_awards import CRITERIA, ROWS

    crit = tmp_path / "k.yaml"
    crit.write_text(CRITERIA.replace("BUDGET", "20000000").replace("TIEBREAK", "[]"))
    data = tmp_path / "n.csv"
    data.write_text("Kode,Kecamatan,Kategori,B,A\n" + "\n".join(
        ",".join(str(v) for v in row) for row in ROWS) + "\n")
    r = run("score", data, "-c", crit, "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert "exceed the budget (Rp20.000.000)" in r.stderr
    assert doc["award_totals"] == {"awarded": 28_000_000.0, "budget": 20_000_000.0,
                                   "over_budget": True}
    by_id = {x["id"]: x for x in doc["results"]}
    assert by_id["Q"]["award"] == ["Bantar title", "Second (Utara)"]
    assert by_id["T"]["award"] == ["Second (Selatan)"]
    shared = [a for a in doc["awards"] if a["id"] == "R" and a["rule"] == "juara"]
    assert shared == [{"award": "Second", "rule": "juara", "place": 2, "scope": "Utara", "id": "R",
                       "prize": 2_000_000.0, "tied_with": ["Q"], "tied_count": 1,
                       "tie_broken_by": None}]
    table = run("score", data, "-c", crit, "--lang", "en").stdout
    assert "★ Bantar title; Second (Utara)" in table


def test_an_entrant_without_a_group_is_scored_without_a_group_rank(run, tmp_path,
                                                                  small_criteria_path):
    rows = small_rows()
    rows[5][2] = rows[6][2] = None  # C has no kecamatan (it crashed with exit 3 before)
    path = write_sheet(tmp_path / "g.xlsx", rows)
    r = run("score", path, "-c", small_criteria_path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    got = {x["id"]: (x["group"], x["group_rank"]) for x in json.loads(r.stdout)["results"]}
    assert got == {"A": ("Telanaipura", 1), "B": ("Telanaipura", 2), "C": (None, None)}
    for fmt in ("table", "csv"):
        assert run("score", path, "-c", small_criteria_path, "--format", fmt).exit_code == 0
    out = tmp_path / "hasil.xlsx"
    assert run("score", path, "-c", small_criteria_path, "-o", out).exit_code == 0
