"""``bantar criteria check``."""


def test_valid_file_is_summarised(run, small_criteria_path):
    r = run("criteria", "check", small_criteria_path, "--lang", "en")
    assert r.exit_code == 0
    assert "valid — Lomba Kecil 1, 2 pillars, 3 indicators" in r.stdout
    assert "sampah" in r.stdout and "40.0%" in r.stdout


def test_every_problem_is_listed_with_its_line(run, tmp_path):
    bad = tmp_path / "k.yaml"
    bad.write_text("name: x\nentrant: {id: Kode}\npillars:\n  - key: a\n    weight: \"3\"\n"
                   "    indicators:\n      - {key: b, column: B, weight: 1, range: [5, 1]}\n")
    r = run("criteria", "check", bad)
    assert r.exit_code == 1
    assert f"{bad}:5: 'weight' is text '3' — expected a number" in r.stderr
    assert f"{bad}:7: range [5, 1] has lo ≥ hi — expected lo < hi" in r.stderr


def test_missing_file_exits_2(run, tmp_path):
    assert run("criteria", "check", tmp_path / "nope.yaml").exit_code == 2
