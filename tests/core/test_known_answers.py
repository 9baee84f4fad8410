"""Published worked examples of Simple Additive Weighting, reproduced through ``bantar score``.

Each folder of ``tests/data/saw`` holds the source's numbers and provenance (``source.md``). The
source criteria are turned into bantar criteria with ``normalize: ratio`` (classic SAW), the input
is scored by the CLI, and the JSON scores must equal the published ones (on 0..1, here × 100).
"""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "saw"
CASES = sorted(p.name for p in DATA.iterdir() if p.is_dir())
# sources that round intermediate values print figures this far from their exact method (source.md)
PUBLISHED_TOLERANCE = {"wsm_chakraborty2015": 1e-4}


def bantar_criteria(source: dict) -> dict:
    return {
        "name": "SAW example", "version": "1", "entrant": {"id": "alternative"},
        "pillars": [{"key": "all", "weight": 1, "indicators": [
            {"key": c["name"].lower(), "column": c["name"], "weight": c["weight"],
             "direction": "higher" if c["type"] == "benefit" else "lower",
             "normalize": "ratio"} for c in source["criteria"]]}],
    }


def exact_saw(folder: Path) -> dict[str, Fraction]:
    """The source's own formula in exact arithmetic: V = Σ w r, r = x/max or min/x."""
    source = yaml.safe_load((folder / "criteria.yaml").read_text())
    rows = list(csv.DictReader((folder / "input.csv").open()))
    out = {r["alternative"]: Fraction(0) for r in rows}
    for c in source["criteria"]:
        xs = [Fraction(r[c["name"]]) for r in rows]
        w = Fraction(str(c["weight"]))
        for r, x in zip(rows, xs, strict=True):
            ratio = x / max(xs) if c["type"] == "benefit" else min(xs) / x
            out[r["alternative"]] += w * ratio
    return out


@pytest.mark.parametrize("case", CASES)
def test_published_example_reproduces(case, tmp_path, run):
    folder = DATA / case
    source = yaml.safe_load((folder / "criteria.yaml").read_text())
    crit = tmp_path / "criteria.yaml"
    crit.write_text(yaml.safe_dump(bantar_criteria(source), sort_keys=False))
    result = run("score", folder / "input.csv", "-c", crit, "--format", "json")
    assert result.exit_code == 0, result.stderr
    got = {r["id"]: r for r in json.loads(result.stdout)["results"]}
    expected = list(csv.DictReader((folder / "expected.csv").open()))
    published_decimals = max(len(e["score"].split(".")[1]) for e in expected)
    exact = exact_saw(folder)
    for e in expected:
        alt = e["alternative"]
        # bantar agrees with the exact computation of the published method to 1e-9 ...
        assert got[alt]["score"] == pytest.approx(float(exact[alt]) * 100, abs=1e-9)
        # ... which matches the published figure at every decimal it gives (the HRD source
        # prints A's 12th decimal one too low: see its source.md)
        tolerance = PUBLISHED_TOLERANCE.get(case, 10.0 ** -min(published_decimals, 11) / 2) * 100
        tolerance += 1e-12
        assert got[alt]["score"] == pytest.approx(float(e["score"]) * 100, abs=tolerance)
        assert got[alt]["rank"] == int(e["rank"])
