"""``diff --format json``, written column by column, is the same document as the plain
dict-based build (``diff_json_oracle``): on the sample years, through an id map, from saved
results, and on awkward cases (missing scores and groups, no moves, merged entrants)."""

from __future__ import annotations

import io

import orjson
import pandas as pd
import pytest

from bantar_cli.core.diff import Side, diff
from bantar_cli.core.score import score
from bantar_cli.io.criteria import load_criteria
from bantar_cli.render.diff_formats import diff_json
from tests.conftest import SAMPLE_2023, SAMPLE_2024
from tests.core.test_awards import frame
from tests.core.test_diff import BASE, NEW, OLD
from tests.render.diff_json_oracle import diff_document

OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def written(d) -> bytes:
    return b"".join(bytes(c) for c in diff_json(d))


def assert_same(d) -> None:
    assert written(d) == orjson.dumps(diff_document(d), option=OPTIONS) + b"\n"


def side(rows) -> Side:
    return Side.of(score(frame(rows), load_criteria(io.StringIO(BASE))), [])


@pytest.fixture(scope="module")
def sample_sides():
    from bantar_cli.cli.pipeline import read_valid
    from bantar_cli.io.bundled import bundled_criteria

    crit = bundled_criteria()
    return [Side.of(score(read_valid([p], crit).frame, crit), [{"path": str(p)}])
            for p in (SAMPLE_2023, SAMPLE_2024)]


def test_the_sample_years(sample_sides):
    old, new = sample_sides
    d = diff(old, new)
    assert len(d.entrants) > 1500 and d.moved is not None
    assert_same(d)
    assert_same(diff(old, new, moved=False))  # no indicators_moved key at all


def test_renamed_split_and_merged_entrants(sample_sides):
    old, new = sample_sides
    ids_old, ids_new = old.table["id"].tolist(), new.table["id"].tolist()
    gone = sorted(set(ids_old) - set(ids_new))
    came = sorted(set(ids_new) - set(ids_old))
    mapping = [(gone[0], came[0]), (gone[0], came[1]),  # split
               (gone[1], came[2]), (gone[2], came[2])]  # merged: one new id, two rows
    d = diff(old, new, mapping)
    assert (d.entrants["old_id"] != d.entrants["id"]).sum() == 4
    assert_same(d)
    doc = orjson.loads(written(d))
    merged = [e for e in doc["entrants"] if e["id"] == came[2]]
    assert {e["old_id"] for e in merged} == {gone[1], gone[2]}


def test_awkward_values():
    old = [(*OLD[0][:1], None, *OLD[0][2:]), *OLD[1:]]  # a missing group
    new = [("P", "Utara", "besar", 90, 80), *NEW[1:]]  # P did not move at all
    new[1] = ("Q", 'Utara "baru"\n', "kecil", 90, 90)  # text that needs escaping
    d = diff(side(old), side(new))
    p_row = int((d.entrants["id"] == "P").to_numpy().nonzero()[0][0])
    assert d.moved.of(p_row) == []
    assert_same(d)
    assert orjson.loads(written(d))["entrants"][p_row]["indicators_moved"] == []


def test_nobody_in_common():
    d = diff(side(OLD), side([("Z", "Utara", "besar", 70, 70)]))
    assert d.entrants.empty
    assert_same(d)


def test_missing_scores_become_null():
    d = diff(side(OLD), side(NEW))
    d.entrants.loc[0, "old_score"] = float("nan")
    d.entrants.loc[1, "name"] = pd.NA
    assert_same(d)
    first = orjson.loads(written(d))["entrants"][0]
    assert first["old_score"] is None


def test_moves_of_zero_points_are_left_out_wherever_they_fall():
    import numpy as np

    from bantar_cli.core.diff import Moved
    from bantar_cli.render.diff_formats import _moves

    change = np.array([[0, 5, 0], [0, 0, 0], [1, 0, np.nan], [3, 2, 1]], dtype="float64")
    top = np.tile([2, 0, 1], (4, 1))
    m = Moved(["a", "b", "c"], top, change * 10, change * 20, change)
    got = [orjson.loads(x) for x in _moves(m).to_pylist()]
    assert got == [orjson.loads(orjson.dumps(m.of(r))) for r in range(4)]  # NaN: null
    assert [len(x) for x in got] == [1, 0, 2, 3] and got[2][1]["points_change"] is None


def test_diff_csv_in_blocks_is_the_csv_modules_table(sample_sides):
    import csv

    from bantar_cli.render.diff_formats import diff_csv

    d = diff(*sample_sides)
    text = "".join(diff_csv(d, block=100))  # 17 blocks
    assert text == "".join(diff_csv(d, block=10**9))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(d.entrants.columns) and len(rows) == len(d.entrants) + 1
    e = d.entrants
    assert [r[0] for r in rows[1:]] == e["id"].tolist()
    assert [float(r[rows[0].index("new_score")]) for r in rows[1:]] == e["new_score"].tolist()


def test_the_entrants_in_blocks_are_the_same_document(sample_sides, monkeypatch):
    from bantar_cli.render import diff_formats

    d = diff(*sample_sides)
    whole = written(d)
    monkeypatch.setattr(diff_formats, "ENTRANT_BLOCK", 100)  # 17 blocks
    assert written(d) == whole
    assert_same(d)
