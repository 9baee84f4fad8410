"""Rows spliced into sheet XML: the same cells as one f-string per cell would write."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace
from xml.sax.saxutils import escape

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantar_cli.render import xlsx_bulk
from bantar_cli.render.cells import EXCEL_MAX_TEXT, clean_text
from bantar_cli.render.xlsx_bulk import BulkBlock, BulkColumn, ahead, column_letters

_V = re.compile(r"<v>([^<]*)</v>")


def _oracle(block: BulkBlock) -> tuple[str, list[str]]:
    """The sheet rows written the plain way, a cell at a time; and the cells cut."""
    cut: list[str] = []
    rows = []
    letters = column_letters(len(block.columns))
    values = [c.values.to_pylist() if isinstance(c.values, pa.Array) else c.values
              for c in block.columns]
    for i in range(len(values[0])):
        r = block.first_row + 1 + i
        cells = []
        for letter, col, vs in zip(letters, block.columns, values, strict=True):
            v = vs[i]
            xf = getattr(col.style, "xf_index", None)
            s = f' s="{xf}"' if xf else ""
            if col.text:
                if v is None:
                    continue
                text, was_cut = clean_text(str(v))
                if was_cut:
                    cut.append(f"{letter}{r}")
                cells.append(f'<c r="{letter}{r}"{s} t="inlineStr"><is><t xml:space="preserve">'
                             f"{escape(text)}</t></is></c>")
            elif math.isfinite(v := float(v)):
                cells.append(f'<c r="{letter}{r}"{s}><v>{int(v) if col.integer else v!r}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(rows), cut


def _made(block: BulkBlock) -> str:
    return b"".join(bytes(piece) for piece in block.pieces()).decode("utf-8")


def _same(made: str, expected: str) -> None:
    """Equal; a number with an exponent may be written another way (orjson writes 1e16 where
    repr writes 1e+16), for the same value."""
    assert _V.sub("<v/>", made) == _V.sub("<v/>", expected)
    got, want = _V.findall(made), _V.findall(expected)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g == w or ("e" in w and float(g) == float(w))


texts = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["a&b", "<x>", '"q"', "RT 01"]),
                  st.integers(-5, 5))
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.1, 1e16, 1e-7, -0.0, 90.0, 2.5]))
wholes = st.one_of(st.integers(-10**12, 10**12).map(float), st.just(math.nan))


@st.composite
def _held(draw, values):
    """Texts as a list, or as the Arrow array or dictionary array of their ``str``."""
    how = draw(st.sampled_from(["list", "arrow", "dictionary"]))
    if how == "list":
        return values
    strings = pa.array([None if v is None else str(v) for v in values], pa.large_string())
    return strings if how == "arrow" else strings.dictionary_encode()


@st.composite
def blocks(draw):
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(["text", "float", "integer"]), min_size=1, max_size=5))
    columns = []
    for kind in kinds:
        style = draw(st.sampled_from([None, SimpleNamespace(xf_index=0), SimpleNamespace(xf_index=7)]))
        if kind == "text":
            values = draw(st.lists(texts, min_size=n, max_size=n))
            columns.append(BulkColumn(draw(_held(values)), text=True, style=style))
        else:
            values = draw(st.lists(wholes if kind == "integer" else floats, min_size=n, max_size=n))
            columns.append(BulkColumn(np.array(values, dtype="float64"), style=style,
                                      integer=kind == "integer"))
    return BulkBlock(sheet_number=1, first_row=draw(st.integers(0, 3)), columns=columns)


@settings(max_examples=150, deadline=None)
@given(block=blocks(), piece_rows=st.integers(1, 5))
def test_pieces_hold_the_cells_a_plain_writer_would(block, piece_rows, monkeypatch_module):
    monkeypatch_module.setattr(xlsx_bulk, "PIECE_ROWS", piece_rows)
    expected, cut = _oracle(block)
    _same(_made(block), expected)
    assert block.cut == cut


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_a_text_longer_than_excel_holds_is_cut_and_its_cells_named():
    long = "x" * (EXCEL_MAX_TEXT + 5)
    block = BulkBlock(sheet_number=1, first_row=1, columns=[
        BulkColumn(["a", long, None, long], text=True), BulkColumn(np.array([1.0, 2.0, 3.0, 4.0]))])
    xml = _made(block)
    assert block.cut == ["A3", "A5"]
    assert xml.count("x" * EXCEL_MAX_TEXT + "</t>") == 2 and "x" * (EXCEL_MAX_TEXT + 1) not in xml
    assert '<row r="4"><c r="B4"><v>3.0</v></c></row>' in xml  # the empty text leaves no cell


def test_ahead_gives_every_item_in_order_and_passes_an_error_on():
    assert list(ahead(iter(range(50)))) == list(range(50))
    assert list(ahead(iter([]))) == []
    assert list(ahead(iter([1, None, 0, 2]))) == [1, None, 0, 2]  # None is an item like any

    def failing():
        yield 1
        raise ValueError("broken piece")

    got = []
    with pytest.raises(ValueError, match="broken piece"):
        for item in ahead(failing()):
            got.append(item)
    assert got == [1]
