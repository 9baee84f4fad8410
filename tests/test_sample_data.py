"""The bundled sample: real places, the promised shape, and a generator that reproduces it."""

from __future__ import annotations

import csv
import importlib.util

import numpy as np
import pytest

from bantar_cli.io.bundled import bundled_criteria
from bantar_cli.io.workbook import read_assessment
from tests.conftest import ROOT, SAMPLE_2023, SAMPLE_2024

WILAYAH = ROOT / "sample_data" / "wilayah" / "kota_jambi_wilayah.csv"


@pytest.fixture(scope="module")
def years():
    crit = bundled_criteria()
    return {y: read_assessment([p], crit) for y, p in ((2023, SAMPLE_2023), (2024, SAMPLE_2024))}


def test_shape_of_2024(years):
    a = years[2024]
    assert a.problems == []
    f = a.frame
    assert len(f) == 4953 and f["id"].nunique() == 1651
    assert (f.groupby("id").size() == 3).all()
    assert set(f["category"]) == {"kecil", "sedang", "besar"}
    teams = f.groupby("assessor")["id"].nunique()
    assert len(teams) == 18  # 6 teams of 3


def test_real_places(years):
    rows = list(csv.DictReader(WILAYAH.open(encoding="utf-8")))
    kelurahan = {r["kode_kelurahan"] for r in rows}
    kecamatan = {r["kecamatan"] for r in rows}
    f = years[2024].frame
    assert set(f["id"].str.split("-RT").str[0]) == kelurahan  # all 68
    assert set(f["group"]) == kecamatan  # all 11
    assert f["id"].str.fullmatch(r"15\.71\.\d\d\.1\d{3}-RT\d{3}").all()


def test_years_differ_by_new_and_dropped_entrants(years):
    old = set(years[2023].frame["id"])
    new = set(years[2024].frame["id"])
    assert new - old and old - new
    assert len(old & new) > 1500


def test_better_rts_score_better_across_pillars():
    from bantar_cli.core.score import score

    crit = bundled_criteria()
    t = score(read_assessment([SAMPLE_2024], crit).frame, crit).table
    corr = np.corrcoef(t[["bersih", "aman", "pintar", "hijau"]].to_numpy().T)
    assert (corr[np.triu_indices(4, 1)] > 0.3).all()


@pytest.mark.slow
def test_generator_reproduces_the_committed_files(tmp_path, years):
    spec = importlib.util.spec_from_file_location("gen", ROOT / "sample_data" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.generate(tmp_path)
    crit = bundled_criteria()
    for year, committed in years.items():
        fresh = read_assessment([tmp_path / f"penilaian_{year}.xlsx"], crit).frame
        assert fresh.equals(committed.frame), year
