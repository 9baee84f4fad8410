"""CSV written column by column reads back byte for byte as the csv module writes it."""

import csv
import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.render import csv_columns as cc

TEXT = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(
    ["=1+1", "+62", "-5", "@SUM(1)", "\tx", "\rx", 'a "b"', "a,b", "a\nb", "", " "]))


def _writer(rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


@given(st.lists(st.tuples(TEXT, st.floats(), st.integers(-2**62, 2**62), st.booleans()),
                min_size=1, max_size=20))
def test_columns_write_what_the_csv_module_writes(rows):
    texts = [t for t, _, _, _ in rows]
    floats = np.array([x for _, x, _, _ in rows], dtype="float64")
    ints = np.array([i for _, _, i, _ in rows], dtype="int64")
    missing = np.array([m for _, _, _, m in rows])
    got = cc.lines([cc.texts(texts), cc.floats(floats), cc.integers(ints, missing)])
    expected = _writer([["" if t is None else cc.safe_text(t), "" if x != x else x,
                         "" if m else i] for t, x, i, m in rows])
    assert got == expected


def test_a_header_line_and_an_empty_table():
    assert cc.line(["rank", "a,b"]) == 'rank,"a,b"\n'
    assert cc.lines([[], []]) == "" and cc.floats(np.zeros(0)) == []


def test_floats_keep_every_digit():
    values = np.array([99.40866666666666, 0.1 + 0.2, 1e-05, 1e16, 123456789.125, -0.0,
                       float("inf"), float("nan")])
    assert cc.floats(values) == [repr(float(v)) if v == v else "" for v in values]
