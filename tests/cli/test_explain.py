"""``bantar explain`` and ``score --sensitivity`` through the CLI."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from tests.conftest import SAMPLE_2024


def test_explain_json_follows_the_contract(run, small_xlsx, small_criteria_path):
    r = run("explain", small_xlsx, "-c", small_criteria_path, "--id", "B", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert {"id", "name", "group", "rank", "score", "indicators"} <= set(doc)
    assert doc["rank"] == 2 and doc["group"] == "Telanaipura"
    first = doc["indicators"][0]
    assert {"key", "pillar", "raw", "normalized", "weight", "contribution"} <= set(first)
    assert abs(sum(i["contribution"] for i in doc["indicators"]) - doc["score"]) < 1e-9
    assert abs(sum(i["weight"] for i in doc["indicators"]) - 1) < 1e-12


def test_explain_table_and_errors(run, small_xlsx, small_criteria_path, tmp_path):
    r = run("explain", small_xlsx, "-c", small_criteria_path, "--id", "B", "--lang", "en")
    assert "RT 002 (B): rank 2" in r.stdout and "To rank 1 (A): 39.00 points short" in r.stdout
    r = run("explain", small_xlsx, "-c", small_criteria_path, "--id", "Z")
    assert r.exit_code == 1 and "no entrant has the id 'Z'" in r.stderr
    assert run("explain", small_xlsx, "-c", small_criteria_path).exit_code == 2
    assert run("explain", small_xlsx, "-c", small_criteria_path, "--all").exit_code == 2


def test_feedback_workbook_for_everyone(run, small_xlsx, small_criteria_path, tmp_path):
    out = tmp_path / "umpan.xlsx"
    r = run("explain", small_xlsx, "-c", small_criteria_path, "--all", "-o", out)
    assert r.exit_code == 0, r.stderr
    book = load_workbook(out)
    titles = {ws.title: [c.value for c in ws["A"] if c.value and "): peringkat" in str(c.value)]
              for ws in book.worksheets}
    assert [(name, [t.split(":")[0] for t in ts]) for name, ts in titles.items()] == [
        ("Jelutung", ["RT 003 (C)"]), ("Telanaipura", ["RT 001 (A)", "RT 002 (B)"])]
    assert titles["Telanaipura"][0].startswith("RT 001 (A): peringkat 1")
    # a page per entrant: a break before every section but each sheet's first
    assert all(len(book[name].row_breaks.brk) == len(ts) - 1 for name, ts in titles.items())


def test_feedback_workbook_gives_every_sample_entrant_its_own_page(run, tmp_path):
    """1,651 entrants: more than the 1,023 page breaks Excel keeps on one sheet."""
    out = tmp_path / "umpan.xlsx"
    r = run("explain", SAMPLE_2024, "--all", "-o", out)
    assert r.exit_code == 0, r.stderr
    results = json.loads(run("score", SAMPLE_2024, "--format", "json").stdout)["results"]
    groups = {x["id"]: x["group"] for x in results}
    seen = []
    book = load_workbook(out)
    assert book.sheetnames == sorted(set(groups.values()))
    for ws in book.worksheets:
        starts = [c.row for c in ws["A"] if c.value and "): peringkat" in str(c.value)]
        ids = [str(ws.cell(row, 1).value).split("(")[-1].split(")")[0] for row in starts]
        assert {groups[i] for i in ids} == {ws.title}
        # every section but the first starts a page (a break is stored under the row before)
        assert [b.id + 1 for b in ws.row_breaks.brk] == starts[1:]
        seen += ids
    assert sorted(seen) == sorted(groups)


def test_sensitivity_in_json_and_workbook(run, tmp_path):
    out = tmp_path / "hasil.xlsx"
    args = ("score", SAMPLE_2024, "--sensitivity", "200", "--seed", "5", "--format", "json")
    one = run(*args, "-o", out)
    assert one.exit_code == 0, one.stderr
    two = run(*args)
    a, b = json.loads(one.stdout), json.loads(two.stdout)
    assert a["sensitivity"] == {"runs": 200, "seed": 5, "weight_spread": 0.25,
                                "methods": ["mean", "median", "trimmed_mean"]}
    assert [r["sensitivity"] for r in a["results"]] == [r["sensitivity"] for r in b["results"]]
    first = a["results"][0]["sensitivity"]
    assert first["p05"] <= first["median"] <= first["p95"]
    assert all(0 <= x["stability"] <= 1 for x in a["awards"])
    # the sheet: every entrant's ranks (A–F) beside every award's stability (H–K), as in JSON
    rows = [tuple(r) for r in load_workbook(out, read_only=True)["Kepekaan"].iter_rows(
        min_row=4, values_only=True)]
    results, awards = a["results"], a["awards"]
    assert len(rows) == max(len(results), len(awards)) and len(awards) < len(results)
    assert [r[:6] for r in rows] == [(x["rank"], x["id"], x["name"], *(
        x["sensitivity"][k] for k in ("median", "p05", "p95"))) for x in results]
    assert [r[7:11] for r in rows[:len(awards)]] == [
        (x["award"], x["scope"], x["id"], x["stability"]) for x in awards]
    assert {r[6:] for r in rows[len(awards):]} == {(None,) * 5}


def test_feedback_workbook_says_when_a_text_was_cut(run, small_criteria_path, tmp_path):
    """A name longer than an Excel cell holds is cut, and the command says where."""
    import csv

    from tests.conftest import small_rows

    rows = small_rows()
    rows[1][1] = rows[2][1] = "RT " + "x" * 40_000
    src = tmp_path / "penilaian.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "umpan.xlsx"
    r = run("explain", src, "-c", small_criteria_path, "--all", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "Telanaipura!A1: text cut to Excel's limit of 32767 characters" in r.stderr
    title = load_workbook(out)["Telanaipura"]["A1"].value
    assert len(title) == 32767 and title.startswith("RT xxx")


def test_sensitivity_standardized_from_the_marks_and_assessors_alone(run, tmp_path, small_xlsx):
    """Without -o the runs get the marks (and, to standardize, the assessors) without the rows'
    text; they give what they give with every row kept for the workbook."""
    from tests.conftest import SMALL_CRITERIA

    crit = tmp_path / "std.yaml"
    crit.write_text(SMALL_CRITERIA + "assessors:\n  combine: standardized\n")
    args = ("score", small_xlsx, "-c", crit, "--sensitivity", "50", "--seed", "1", "--format", "json")
    one, two = run(*args, "-o", tmp_path / "hasil.xlsx"), run(*args)
    assert one.exit_code == 0 and two.exit_code == 0, one.stderr + two.stderr
    a, b = json.loads(one.stdout), json.loads(two.stdout)
    assert a["sensitivity"]["methods"] == ["standardized", "mean", "median", "trimmed_mean"]
    assert [r["sensitivity"] for r in a["results"]] == [r["sensitivity"] for r in b["results"]]
    assert [x["stability"] for x in a.get("awards", [])] == [x["stability"] for x in b.get("awards", [])]
