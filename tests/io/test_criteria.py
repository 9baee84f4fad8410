"""Every criteria problem is reported as file.yaml:LINE with what was expected."""

from __future__ import annotations

import io
import textwrap

import pytest

from bantar_cli.errors import BantarError
from bantar_cli.io.criteria import check_criteria, load_criteria
from bantar_cli.model import Combine, Direction, Normalize
from tests.conftest import BUNDLED, SMALL_CRITERIA


def problems_of(text: str):
    stream = io.StringIO(textwrap.dedent(text))
    stream.name = "k.yaml"
    crit, problems = check_criteria(stream)
    return crit, [(p.slug, p.where.line, str(p)) for p in problems]


def test_bundled_criteria_load():
    c = load_criteria(BUNDLED)
    assert [p.key for p in c.pillars] == ["bersih", "aman", "pintar", "hijau"]
    assert 16 <= len(c.indicators) <= 24
    assert all(i.label.get("id") and i.label.get("en") for i in c.indicators)
    assert all(p.label.get("id") and p.label.get("en") for p in c.pillars)
    assert all(i.sdg and all(s.split(".")[0] in {"1", "3", "6", "11", "17"} for s in i.sdg)
               for i in c.indicators)
    assert sum(c.effective_weights().values()) == pytest.approx(1.0)
    kinds = {i.range for i in c.indicators}
    assert (1.0, 5.0) in kinds and (0.0, 100.0) in kinds  # rubric ratings and percentages
    assert any(i.direction is Direction.LOWER for i in c.indicators)
    assert len(c.sha256) == 64


def test_defaults(small_criteria):
    inds = {i.key: i for i in small_criteria.indicators}
    assert inds["sampah"].normalize is Normalize.GOALPOST  # a range is given
    assert inds["kejadian"].normalize is Normalize.MINMAX  # no range
    assert small_criteria.scale == 100
    assert small_criteria.combine is Combine.MEAN


BASE = SMALL_CRITERIA


def with_change(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


@pytest.mark.parametrize("old,new,slug,line,words", [
    ("weight: 2\n", "weight: 2\n        wieght: 3\n", "unknown-key", 16, "did you mean 'weight'"),
    ("        weight: 2\n", "        weight: \"2\"\n", "not-a-number", 15, "text '2'"),
    ("        weight: 2\n", "        weight: yes\n", "not-a-number", 15, "yes/no"),
    ("        weight: 2\n", "        weight: 0\n", "not-positive", 15, "above 0"),
    ("    weight: 40\n", "    weight: -4\n", "not-positive", 23, "above 0"),
    ("range: [1, 5]", "range: [5, 1]", "bad-range", 16, "lo ≥ hi"),
    ("range: [1, 5]", "range: [1, \"x\"]", "bad-range", 16, "two numbers"),
    ("        normalize: minmax\n", "        normalize: goalpost\n", "goalpost-without-range", 29,
     "no 'range'"),
    ("        direction: lower\n", "        direction: lowest\n", "unknown-choice", 28,
     "higher, lower"),
    ("      - key: air\n", "      - key: sampah\n", "duplicate-key", 17, "used twice"),
    ("        column: Air bersih (%)\n", "        column: \"pemilahan  SAMPAH \"\n",
     "duplicate-column", 18, "already used on line 14"),
    ("  group: Kecamatan\n", "  group: Kecamatan\n  group: Kelurahan\n", "duplicate-key", 7,
     "appears twice"),
    ("  - key: aman\n", "  - key: Aman Sekali\n", "bad-key", 21, "lowercase"),
    # a pillar key that is a column of the results (it overwrote the total in the table, and
    # stopped `score` with an internal error), an indicator key that is a field of the rows
    ("  - key: aman\n", "  - key: score\n", "reserved-key", 21, "column of the results"),
    ("  - key: aman\n", "  - key: award\n", "reserved-key", 21, "column of the results"),
    ("      - key: air\n", "      - key: name\n", "reserved-key", 17, "field of the entrants"),
    ("      - key: air\n", "      - key: sheet_total\n", "reserved-key", 17, "field of the entrants"),
])
def test_each_problem_names_its_line(old, new, slug, line, words):
    crit, problems = problems_of(with_change(old, new))
    assert crit is None
    assert any(s == slug and ln == line and words in text for s, ln, text in problems), problems


def test_missing_id_column_and_pillars():
    _, problems = problems_of("""\
        name: x
        entrant:
          name: Nama
        """)
    slugs = {(s, ln) for s, ln, _ in problems}
    assert ("missing-key", 2) in slugs  # entrant has no id
    assert ("missing-key", 1) in slugs  # no pillars


def test_every_problem_is_reported_at_once():
    text = with_change("        weight: 2\n", "        weight: \"2\"\n").replace(
        "range: [1, 5]", "range: [5, 1]").replace("    weight: 40\n", "    weight: -4\n")
    _, problems = problems_of(text)
    assert {s for s, _, _ in problems} >= {"not-a-number", "bad-range", "not-positive"}


@pytest.mark.parametrize("text,slug,line", [
    ("name: &n x\nversion: *n\n", "yaml-alias", 1),
    ("name: !!python/object:os.system x\n", "yaml-tag", 1),
    ("name: x\n  bad: [\n", "yaml-syntax", 2),
    ("name: x\n---\nname: y\n", "yaml-documents", 2),
    ("", "empty", 1),
])
def test_unsafe_or_broken_yaml(text, slug, line):
    crit, problems = problems_of(text)
    assert crit is None
    assert problems[0][:2] == (slug, line)


def test_format_of_the_message(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text(with_change("range: [1, 5]", "range: [5, 1]"))
    with pytest.raises(BantarError) as err:
        load_criteria(path)
    assert str(err.value) == f"{path}:16: range [5, 1] has lo ≥ hi — expected lo < hi"


def test_sdg_targets_are_text():
    crit, problems = problems_of(with_change("range: [1, 5]", "range: [1, 5]\n        sdg: [6.10]"))
    assert problems[0][0] == "bad-sdg"
    crit, problems = problems_of(with_change("range: [1, 5]", "range: [1, 5]\n        sdg: [\"6.2\", 11]"))
    assert crit is not None and crit.indicators[0].sdg == ("6.2", "11")


def test_the_reserved_keys_are_the_results_columns_and_the_rows_fields(run):
    """Every column of `score --format csv` but the pillars' is a reserved pillar key."""
    from bantar_cli.core.score import RESULT_COLUMNS
    from bantar_cli.io.bundled import bundled_criteria
    from bantar_cli.io.criteria import ENTRANT_KEYS, RESERVED_INDICATOR_KEYS, RESERVED_PILLAR_KEYS
    from bantar_cli.io.layout import SHEET_TOTAL
    from tests.conftest import SAMPLE_2024

    r = run("score", SAMPLE_2024, "--format", "csv")
    header = r.stdout.splitlines()[0].split(",")
    pillars = [p.key for p in bundled_criteria().pillars]
    assert [h for h in header if h not in pillars] == list(RESERVED_PILLAR_KEYS)
    assert set(RESERVED_PILLAR_KEYS) >= set(RESULT_COLUMNS)
    assert set(RESERVED_INDICATOR_KEYS) == {*ENTRANT_KEYS, SHEET_TOTAL}
