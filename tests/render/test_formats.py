"""Machine-readable output helpers."""

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.render.csv_columns import safe_text
from bantar_cli.render.formats import to_json
from bantar_cli.render.labels import number, numbers


def test_safe_text_prefixes_formula_starts():
    assert [safe_text(s) for s in ["=1+1", "+62", "-5", "@SUM(1)", "RT 001", "\tx"]] == [
        "'=1+1", "'+62", "'-5", "'@SUM(1)", "RT 001", "'\tx"]


def test_numbers_in_both_languages():
    assert number(1651, "id", 0) == "1.651" and number(1651, "en", 0) == "1,651"
    assert number(87.3125, "id") == "87,31" and number(87.3125, "en") == "87.31"


@given(st.lists(st.floats(allow_infinity=False, max_value=1e12, min_value=-1e12)),
       st.sampled_from(["id", "en"]), st.integers(0, 3))
def test_a_column_of_numbers_reads_as_each_number_alone(values, lang, decimals):
    assert numbers(values, lang, decimals) == [number(x, lang, decimals) for x in values]


def test_to_json_takes_numpy_values_and_writes_nan_as_null():
    doc = {"a": np.float64(1.5), 2: np.int64(3), "x": float("nan"), "s": "Pasar Jambi é"}
    for pretty in (False, True):
        text = to_json(doc, pretty=pretty)
        assert text.endswith("\n") and (text.count("\n") > 1) == pretty
        assert json.loads(text) == {"a": 1.5, "2": 3, "x": None, "s": "Pasar Jambi é"}
