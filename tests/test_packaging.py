"""The wheel carries the bundled criteria: build it, install it in a clean venv, score the sample."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_2024


@pytest.mark.slow
def test_wheel_installs_and_scores_with_bundled_criteria(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("bantar-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True)
    work = tmp_path / "elsewhere"  # not the checkout: the criteria must come from the wheel
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([str(env_dir / "bin" / "bantar"), "score", str(SAMPLE_2024), "--format",
                        "json"], cwd=work, env=env, capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert len(doc["results"]) == 1651
    assert "site-packages" in doc["criteria"]["source"]
    assert doc["criteria"]["sha256"] == __import__("hashlib").sha256(
        (ROOT / "criteria" / "bantar.yaml").read_bytes()).hexdigest()
