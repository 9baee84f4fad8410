"""A CSV's indicator columns: Arrow's cast of plain numbers reads every text as the rules do."""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantar_cli.io.cells import parse_distinct
from bantar_cli.io.csvmarks import read_marks
from bantar_cli.io.numbers import parse_number
from bantar_cli.io.workbook import read_assessment
from tests.conftest import SMALL_HEADER

# what Arrow's cast takes that the rules take alike: [sign] digits [. digits], or . digits
PLAIN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")

numbers = st.builds(lambda x, places, sign: f"{sign}{x:.{places}f}",
                    st.floats(0, 2000, allow_nan=False), st.integers(0, 4),
                    st.sampled_from(["", "-", "+"]))
odd = st.sampled_from(["", " ", "  8", "8 ", "1.500", "-1.500", "+12.345", "0.500", "1234.500",
                       ".500", "+.5", "5.", "007", "-0", "1e3", "1E-2", "nan", "inf", "8,5",
                       "1.250,5", "1.2.3", ".", "-", "+", "−8", "\u00a08", "lima", "٣"])
texts = st.lists(st.one_of(numbers, odd, st.text("0123456789.,+- e", max_size=7)), min_size=1,
                 max_size=50)


def chunked(items: list[str], cuts: list[int], offset: int) -> pa.ChunkedArray:
    """The texts as binary chunks cut at ``cuts``, the first one a slice ``offset`` rows in."""
    bounds = sorted({0, len(items), *(c % (len(items) + 1) for c in cuts)})
    parts = [items[a:b] for a, b in pairwise(bounds)]
    first = pa.array(["9"] * offset + parts[0], pa.binary())[offset:]
    return pa.chunked_array([first, *(pa.array(p, pa.binary()) for p in parts[1:])], pa.binary())


@settings(max_examples=400, deadline=None)
@given(texts, st.lists(st.integers(0, 60), max_size=4), st.integers(0, 3))
def test_marks_are_what_the_rules_read_each_text_as(items, cuts, offset):
    out = np.full(len(items), 123.0)
    marks = read_marks(chunked(items, cuts, offset), out)

    want, slugs = parse_distinct(items)
    assert np.array_equal(out, want, equal_nan=True)
    assert np.array_equal(np.signbit(out), np.signbit(want))  # '-0' is -0.0 both ways
    assert sorted(marks.problems(None)) == sorted(
        (i, s, t) for i, (t, s) in enumerate(zip(items, slugs, strict=True)) if s is not None)
    assert np.array_equal(np.broadcast_to(marks.filled(), len(items)),
                          [bool(t.strip()) for t in items])
    # the cast is taken exactly when every text is blank or a plain number the rules accept
    plain = all(t == "" or (PLAIN.fullmatch(t) and parse_number(t)[1] is None) for t in items)
    assert (marks.codes is None) == plain


def test_rows_out_of_order_keep_their_problem_offsets():
    out = np.empty(4)
    marks = read_marks(pa.chunked_array([pa.array(["1", "x", "2", "x"], pa.binary())]), out)
    assert marks.problems(np.array([1, 2, 3])) == [(0, "not-a-number", "x"),
                                                   (2, "not-a-number", "x")]


def _csv_lines(n: int) -> list[str]:
    lines = [",".join([*SMALL_HEADER, "Jumlah"]), ",,,,(1-5),(%),(kasus),"]  # a units row
    for i in range(n):
        lines.append(f"E{i:05d},RT {i},Telanaipura,P{i % 2 + 1},{i % 5 + 1},{i % 100}.5,1,7")
    return lines


def test_a_large_csv_with_units_row_blank_rows_and_commas_reads_each_kind_of_column(
        tmp_path, small_criteria, monkeypatch):
    """Past the 256 KB sample, in many chunks: a units row under the header and rows of bare
    separators are left out (the block is then cut to the rows kept), one column holds
    decimal commas (the rules' way), the others plain numbers (the cast)."""
    from bantar_cli.io import csvfile

    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 16 * 1024)
    lines = _csv_lines(7000)
    lines[100] = ",,,,,,,"
    lines[-1] = lines[-1].replace(",99.5,", ',"99,5",')
    lines[3000] = lines[3000].replace(",1,7", ",1.500,7")  # ambiguous, in the 'Kejadian' column
    path = tmp_path / "besar.csv"
    path.write_text("\n".join(lines) + "\n,,,,,,,\n", encoding="utf-8")
    assert path.stat().st_size > 256 * 1024
    a = read_assessment([path], small_criteria)
    assert len(a.frame) == 6999
    kept = [i for i in range(7000) if i != 98]  # line 101 of the file is data row 98
    np.testing.assert_array_equal(a.frame["sampah"], [i % 5 + 1 for i in kept])
    np.testing.assert_array_equal(a.frame["air"], [i % 100 + 0.5 for i in kept])
    assert a.frame["id"].iat[98] == "E00099"
    assert [(p.slug, str(p.where)) for p in a.problems] == [("ambiguous-number", f"{path}: G3001")]
    assert np.isnan(a.frame["kejadian"].iat[2997]) and a.frame["kejadian"].iat[2996] == 1


@pytest.mark.parametrize(("field", "cell"), [(1, "column B ('Nama')"),
                                            (2, "column C ('Kecamatan')")])
def test_a_text_that_is_not_utf8_past_the_sample_names_its_column(tmp_path, small_criteria,
                                                                 field, cell):
    lines = _csv_lines(7000)
    parts = lines[-1].split(",")
    path = tmp_path / "latin.csv"
    data = ("\n".join(lines[:-1]) + "\n").encode()
    parts = [p.encode() for p in parts]
    parts[field] += b"\xe9"
    path.write_bytes(data + b",".join(parts) + b"\n")
    (p,) = read_assessment([path], small_criteria).problems
    assert (p.slug, str(p.where), p.message) == ("not-utf8", str(path),
                                                 f"{cell} is not UTF-8 text")


def test_a_mark_that_is_not_utf8_past_the_sample_is_refused(tmp_path, small_criteria):
    lines = _csv_lines(7000)
    path = tmp_path / "latin.csv"
    data = ("\n".join(lines) + "\n").encode()
    cut = data.rindex(b",1,7")
    path.write_bytes(data[:cut] + b",1\xe9,7" + data[cut + 4:])
    before = path.read_bytes()
    (p,) = read_assessment([path], small_criteria).problems
    assert (p.slug, str(p.where)) == ("not-utf8", f"{path}: G7002")  # the last line's 'Kejadian'
    assert "'Kejadian' is not UTF-8 text" in p.message
    assert path.read_bytes() == before
