"""``bantar diff`` on the two sample years, checked against each year scored on its own."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from scipy.stats import kendalltau, spearmanr
from typer.testing import CliRunner

from bantar_cli.cli.app import app
from tests.conftest import BUNDLED, SAMPLE_2023, SAMPLE_2024


def invoke(*args):
    r = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return r


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    folder = tmp_path_factory.mktemp("years")
    out = {}
    for year, path in ((2023, SAMPLE_2023), (2024, SAMPLE_2024)):
        r = invoke("score", path, "--format", "json")
        assert r.exit_code == 0, r.stderr
        (folder / f"{year}.json").write_text(r.stdout)
        out[year] = {x["id"]: x for x in json.loads(r.stdout)["results"]}
    r = invoke("diff", SAMPLE_2023, SAMPLE_2024, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return out, json.loads(r.stdout), folder


def test_riser_faller_new_and_dropped_agree_with_each_year(years):
    by_year, doc, _ = years
    entrants = {e["id"]: e for e in doc["entrants"]}
    riser = max(doc["entrants"], key=lambda e: e["rank_change"])
    faller = min(doc["entrants"], key=lambda e: e["rank_change"])
    for e in (riser, faller):
        old, new = by_year[2023][e["id"]], by_year[2024][e["id"]]
        assert (e["old_rank"], e["new_rank"]) == (old["rank"], new["rank"])
        assert e["rank_change"] == old["rank"] - new["rank"]
        assert e["score_change"] == pytest.approx(new["score"] - old["score"], abs=1e-12)
        assert e["pillars"]["hijau"]["change"] == pytest.approx(
            new["pillars"]["hijau"] - old["pillars"]["hijau"], abs=1e-12)
        assert len(e["indicators_moved"]) == 3
    assert riser["rank_change"] > 0 > faller["rank_change"]
    assert doc["risers"][0] == riser["id"] and doc["fallers"][0] == faller["id"]
    new_only = set(by_year[2024]) - set(by_year[2023])
    dropped = set(by_year[2023]) - set(by_year[2024])
    assert {x["id"] for x in doc["only_new"]} == new_only and new_only
    assert {x["id"] for x in doc["only_old"]} == dropped and dropped
    assert set(entrants) == set(by_year[2023]) & set(by_year[2024])
    assert [e["new_rank"] for e in doc["entrants"]] == sorted(e["new_rank"] for e in doc["entrants"])


def test_correlation_agrees_with_scipy(years):
    _, doc, _ = years
    old = [e["old_score"] for e in doc["entrants"]]
    new = [e["new_score"] for e in doc["entrants"]]
    assert doc["correlation"]["spearman"] == pytest.approx(spearmanr(old, new).statistic, abs=1e-12)
    assert doc["correlation"]["kendall"] == pytest.approx(kendalltau(old, new).statistic, abs=1e-12)
    assert doc["comparable"] is True and doc["criteria_changes"] == []


def test_saved_results_give_the_same_comparison(years):
    _, doc, folder = years
    r = invoke("diff", folder / "2023.json", folder / "2024.json", "--format", "json")
    assert r.exit_code == 0, r.stderr
    saved = json.loads(r.stdout)
    strip = [{k: v for k, v in e.items() if k != "indicators_moved"} for e in doc["entrants"]]
    assert saved["entrants"] == strip
    assert saved["correlation"] == doc["correlation"]


def test_a_renamed_rt_through_the_map(years, tmp_path):
    by_year, _, folder = years
    dropped = sorted(set(by_year[2023]) - set(by_year[2024]))[0]
    new_only = sorted(set(by_year[2024]) - set(by_year[2023]))[0]
    mapping = tmp_path / "map.txt"
    mapping.write_text(f"# renamed RT\n{dropped}={new_only}\n")
    r = invoke("diff", folder / "2023.json", folder / "2024.json", "--map", mapping, "--format",
               "json")
    doc = json.loads(r.stdout)
    (e,) = [x for x in doc["entrants"] if x["id"] == new_only]
    assert e["old_id"] == dropped
    assert e["old_rank"] == by_year[2023][dropped]["rank"]
    assert dropped not in {x["id"] for x in doc["only_old"]}


def test_groups_and_gap(years):
    by_year, doc, _ = years
    kec = {g["group"]: g for g in doc["groups"]}
    assert len(kec) == 11
    means = {}
    for year in (2023, 2024):
        per = {}
        for x in by_year[year].values():
            per.setdefault(x["group"], []).append(x["score"])
        means[year] = {k: sum(v) / len(v) for k, v in per.items()}
    gap = {y: max(m.values()) - min(m.values()) for y, m in means.items()}
    assert doc["group_gap"]["old"] == pytest.approx(gap[2023])
    assert doc["group_gap"]["new"] == pytest.approx(gap[2024])
    assert doc["group_gap"]["closing"] == (gap[2024] < gap[2023])


def test_changed_criteria_are_reported_and_common_rescores(years, tmp_path):
    text = BUNDLED.read_text()
    changed = tmp_path / "2024.yaml"
    changed.write_text(text.replace("      - key: literasi_digital", "      - key: literasi").replace(
        'version: "2024"', 'version: "2024b"').replace("    weight: 30\n", "    weight: 40\n", 1))
    r = invoke("diff", SAMPLE_2023, SAMPLE_2024, "--new-criteria", changed, "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    kinds = {(c["kind"], c["key"]) for c in doc["criteria_changes"]}
    assert ("renamed", "literasi") in kinds and ("share", "bersih") in kinds
    assert doc["comparable"] is False
    assert "tidak dapat dibandingkan langsung" in r.stderr
    r = invoke("diff", SAMPLE_2023, SAMPLE_2024, "--new-criteria", changed, "--common",
               "--format", "json")
    assert r.exit_code == 0
    common = json.loads(r.stdout)
    assert common["comparable"] is True  # both years scored with the same shared criteria
    from bantar_cli.core.score import score
    from bantar_cli.io.criteria import load_criteria
    from bantar_cli.io.workbook import read_assessment

    old_c, new_c = load_criteria(BUNDLED), load_criteria(changed)
    shared = new_c.shared_with(old_c)
    assert "literasi" not in {i.key for i in shared.indicators}
    for side, path in (("old", SAMPLE_2023), ("new", SAMPLE_2024)):
        alone = score(read_assessment([path], old_c if side == "old" else new_c).frame, shared)
        expected = dict(zip(alone.table["id"], alone.table["score"], strict=True))
        got = {e["id"]: e[f"{side}_score"] for e in common["entrants"]}
        assert got == pytest.approx({i: expected[i] for i in got})


def test_csv_table_and_workbook(years, tmp_path):
    out = tmp_path / "diff.xlsx"
    r = invoke("diff", SAMPLE_2023, SAMPLE_2024, "--format", "csv", "-o", out, "--lang", "en")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(years[1]["entrants"])
    assert {"id", "old_rank", "new_rank", "rank_change", "bersih_change"} <= set(rows[0])
    wb = load_workbook(out)
    assert wb.sheetnames == ["Changes", "Groups", "One year only", "Criteria changes"]
    assert len(wb["Groups"]._charts) == 1
    table = invoke("diff", SAMPLE_2023, SAMPLE_2024, "--lang", "en", "--top", "3").stdout
    assert "Biggest risers" in table and "penilaian_2023.xlsx compared with" in table


def test_usage_errors(years, tmp_path):
    _, _, folder = years
    assert invoke("diff", folder / "2023.json", SAMPLE_2024, "--common").exit_code == 2
    bad = tmp_path / "map.txt"
    bad.write_text("A=B\njust-one-id\n")
    r = invoke("diff", folder / "2023.json", folder / "2024.json", "--map", bad)
    assert r.exit_code == 1 and f"{bad}:2: 'just-one-id' is not a pair of ids" in r.stderr
    notjson = tmp_path / "x.json"
    notjson.write_text("{not json")
    r = invoke("diff", notjson, folder / "2024.json")
    assert r.exit_code == 1 and f"{notjson}:1: not valid JSON" in r.stderr
    odd = tmp_path / "odd.json"
    for doc in ({"criteria": {}, "results": [["not", "a", "dict"]]},
                {"criteria": {"pillars": [{"weight": 1}]},
                 "results": [{"id": "A", "rank": 1, "score": 50.0, "pillars": {"p": 50.0}}]},
                {"criteria": {}, "results": [{"id": "A", "rank": 1, "score": 5, "pillars": [1]}]}):
        odd.write_text(json.dumps(doc))
        r = invoke("diff", odd, folder / "2024.json")
        assert r.exit_code == 1 and str(odd) in r.stderr and "Traceback" not in r.stderr


def test_an_unpaired_surrogate_escape_is_refused_and_a_paired_one_read(years, tmp_path):
    """Python's JSON reader turns '\\ud800' into a text no output can hold: it was an internal
    error (exit 3) at the first write. An escaped pair is one character, and reads as such."""
    _, _, folder = years
    doc = json.loads((folder / "2024.json").read_text())
    doc["results"][2]["name"] = "RT \ud800 x"
    lone = tmp_path / "lone.json"
    lone.write_text(json.dumps(doc))  # json.dumps escapes it: '\\ud800'
    for args in (("diff", SAMPLE_2023, lone, "--format", "json"),
                 ("score", SAMPLE_2024, "--history", lone)):
        r = invoke(*args)
        assert r.exit_code == 1, r.stderr
        assert f"{lone}: results[2].name holds an unpaired surrogate escape" in r.stderr
    doc["results"][2]["name"] = "RT \U0001F33F"  # escaped as the pair '\\ud83c\\udf3f'
    paired = tmp_path / "paired.json"
    paired.write_text(json.dumps(doc))
    assert "\\ud83c\\udf3f" in paired.read_text()
    r = invoke("diff", SAMPLE_2023, paired, "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)["entrants"]
    assert any(row.get("name") == "RT \U0001F33F" for row in rows)


def test_score_with_history_awards_kencana(tmp_path):
    text = BUNDLED.read_text() + """\
    - key: kencana
      kind: streak
      of: kampung_bantar
      years: 3
      title: {id: Kampung Bantar Kencana, en: Kampung Bantar Kencana}
      prize: 15000000
"""
    crit = tmp_path / "k.yaml"
    crit.write_text(text)
    r = invoke("score", SAMPLE_2024, "-c", crit, "--format", "json")
    doc = json.loads(r.stdout)
    holders = [a["id"] for a in doc["awards"] if a["rule"] == "kampung_bantar"]
    assert not any(a["rule"] == "kencana" for a in doc["awards"])  # no history: no streak
    # two made-up earlier years: the first three holders won it both times, the next two once
    past = []
    for n, winners in enumerate((holders[:5], holders[:3])):
        p = tmp_path / f"{2022 + n}.json"
        p.write_text(json.dumps({"criteria": {"name": "x"}, "results": [],
                                 "awards": [{"rule": "kampung_bantar", "id": i} for i in winners]}))
        past.append(p)
    r = invoke("score", SAMPLE_2024, "-c", crit, "--format", "json", "--history", past[0],
               "--history", past[1])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert sorted(a["id"] for a in doc["awards"] if a["rule"] == "kencana") == sorted(holders[:3])
    by_id = {x["id"]: x for x in doc["results"]}
    assert by_id[holders[0]]["streak"]["kampung_bantar"] == 3
    assert by_id[holders[3]]["streak"]["kampung_bantar"] == 1  # missed last year


def test_large_years_are_scored_one_after_the_other_with_the_same_result(years, monkeypatch):
    from bantar_cli.cli import diff as diff_cli

    both = [SAMPLE_2023, SAMPLE_2024]
    assert diff_cli._workers(both) == 2  # a city's two workbooks: side by side
    side_by_side = invoke("diff", *both, "--format", "json").stdout
    monkeypatch.setattr(diff_cli, "SIDE_BY_SIDE_BYTES", 0)
    assert diff_cli._workers(both) == 1
    assert invoke("diff", *both, "--format", "json").stdout == side_by_side


def test_a_year_gone_before_it_is_read_is_a_missing_file(tmp_path, monkeypatch):
    from bantar_cli.cli import diff as diff_cli

    gone = tmp_path / "2023.xlsx"
    gone.write_bytes(SAMPLE_2023.read_bytes())
    real = diff_cli._workers

    def vanish(paths):  # after typer saw the file, before the years are read
        gone.unlink()
        return real(paths)

    monkeypatch.setattr(diff_cli, "_workers", vanish)
    r = invoke("diff", gone, SAMPLE_2024)
    assert r.exit_code == 2 and "not found" in r.stderr and "Traceback" not in r.stderr


def test_a_bad_map_stops_diff_before_the_years_are_read(tmp_path, monkeypatch):
    from bantar_cli.cli import diff as diff_cli

    def never(*args, **kwargs):
        raise AssertionError("the years were read before the map")

    monkeypatch.setattr(diff_cli, "_sides", never)
    bad = tmp_path / "map.txt"
    bad.write_text("A=B\njust-one-id\n")
    r = invoke("diff", SAMPLE_2023, SAMPLE_2024, "--map", bad)
    assert r.exit_code == 1 and f"{bad}:2: 'just-one-id' is not a pair of ids" in r.stderr


def test_the_changes_sheet_is_the_csv_and_goes_on_beyond_a_sheet(tmp_path, monkeypatch):
    """The workbook's changes are diff's CSV rows, number for number; with Excel's row limit made
    501, the 1,603 matched entrants go on to 'Changes (2)' … 'Changes (4)'."""
    from bantar_cli.render import xlsx_bulk

    rows = list(csv.reader(io.StringIO(invoke("diff", SAMPLE_2023, SAMPLE_2024, "--format",
                                              "csv").stdout)))
    monkeypatch.setattr(xlsx_bulk, "EXCEL_ROWS", 501)
    out = tmp_path / "d.xlsx"
    assert invoke("diff", SAMPLE_2023, SAMPLE_2024, "-o", out, "--lang", "en").exit_code == 0
    wb = load_workbook(out, read_only=True)
    parts = ["Changes", "Changes (2)", "Changes (3)", "Changes (4)"]
    assert wb.sheetnames[:4] == parts and wb.sheetnames[4] == "Groups"
    sheets = [list(wb[p].iter_rows(values_only=True)) for p in parts]
    assert all(list(s[0]) == rows[0] and 1 < len(s) <= 501 for s in sheets)
    cells = [r for s in sheets for r in s[1:]]

    def same(cell, text):
        return (cell is None and text == "") or (
            str(cell) == text if isinstance(cell, str) else float(cell) == float(text))

    assert len(cells) == len(rows) - 1
    assert all(same(c, t) for row, csv_row in zip(cells, rows[1:], strict=True)
               for c, t in zip(row, csv_row, strict=True))


def test_the_surrogate_check_walks_any_depth_and_names_the_first_place():
    from bantar_cli.io.results_json import _lone_surrogate

    deep: list = []
    inner = deep
    for _ in range(3000):  # deeper than Python's recursion limit
        inner.append([])
        inner = inner[0]
    inner.append("RT \ud800")
    assert _lone_surrogate({"results": deep}) == "results" + "[0]" * 3001
    assert _lone_surrogate({"a": ["ok", "\udc00"], "b": "\ud800"}) == "a[1]"
    assert _lone_surrogate({"a": ["ok"], "b": "RT \U0001F33F"}) is None
