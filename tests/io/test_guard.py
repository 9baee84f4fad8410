"""The workbook guard's scan: what it finds must not depend on where the chunks are cut, on how
the sheet is stored, or on the numpy pre-check that spares most chunks the patterns."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantar_cli.io import guard

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(sheet_xml: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", b"<workbook/>", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(SHEET, sheet_xml, compress_type=method)
    return out.getvalue()


def _sheet(cells: str, filler: int = 0) -> bytes:
    row = '<row r="2"><c r="A2"><v>1</v></c></row>'
    return (b'<worksheet><dimension ref="A1:B2"/><sheetData>' + row.encode() * filler
            + cells.encode() + b"</sheetData></worksheet>")


def _slugs(data: bytes, limits: guard.Limits = guard.DEFAULT_LIMITS) -> list[str]:
    return [p.slug for p in guard.inspect_zip("book.xlsx", data, ".xlsx", limits)]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 256 bytes fed 64 compressed bytes at a time: many seams in a small sheet."""
    monkeypatch.setattr(guard, "CHUNK", 256)
    monkeypatch.setattr(guard, "PIECE", 64)


def test_a_wide_cell_or_a_formula_without_value_is_found_across_any_seam(small_chunks):
    """Spaces before the rows move each case through every offset of a 256-byte chunk."""
    for pad in range(300):
        def sheet(cells: str, pad: int = pad) -> bytes:
            return _sheet(" " * pad + cells, 2)

        assert _slugs(_workbook(sheet('<row r="3"><c r="ZZZ3"><v>1</v></c></row>'))) == [
            "too-many-columns"], pad
        assert _slugs(_workbook(sheet('<row r="3"><c r="B3"><f>1+1</f><v></v></c></row>'))) == [
            "formula-without-value"], pad
        assert _slugs(_workbook(sheet('<row r="3000000"><c r="A3000000"><v>1</v></c></row>'))) == [
            "too-many-rows"], pad
        assert _slugs(_workbook(sheet('<row r="3"><c r="AB3"><f>1+1</f><v>2</v></c></row>'))) == [], pad
        # a formula longer than the seam: its '</f>' is in a later chunk than its '<f>'
        long = sheet(f'<row r="3"><c r="B3"><f>{"1+" * 300}1</f><v></v></c></row>')
        assert _slugs(_workbook(long)) == ["formula-without-value"], pad


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_every_way_of_storing_a_sheet_is_scanned(method):
    wide = _sheet('<row r="3"><c r="ZZZ3"><v>1</v></c></row>', 500)
    assert _slugs(_workbook(wide, method)) == ["too-many-columns"]
    assert _slugs(_workbook(_sheet("", 500), method)) == []


def test_a_sheet_is_scanned_to_the_end_of_its_data_whatever_its_directory_declares():
    data = bytearray(_workbook(_sheet('<row r="3"><c r="ZZZ3"><v>1</v></c></row>', 2000)))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    data[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02")  # the sheet's entry: the last one written
    assert data[central + 46:central + 46 + len(SHEET)] == SHEET.encode()
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET).file_size == 100
    assert _slugs(bytes(data)) == ["too-many-columns"]
    limits = guard.Limits(inflated_bytes=50_000)  # the sheet holds ~80 kB, it declares 100 bytes
    problems = guard.inspect_zip("book.xlsx", bytes(data), ".xlsx", limits)
    assert [p.slug for p in problems] == ["too-large-inflated"]
    assert "sheet1.xml" in problems[0].message


def test_a_compressed_part_that_stops_early_or_is_not_deflate_is_a_broken_file():
    data = _workbook(_sheet("", 2000))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET)
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    start = info.header_offset + 30 + name_len
    garbled = data[:start] + b"\xff" * 8 + data[start + 8:]
    cut = data[:start + info.compress_size // 2] + data[start + info.compress_size:]
    for broken in (garbled, cut):
        problems = guard.inspect_zip("book.xlsx", broken, ".xlsx", guard.DEFAULT_LIMITS)
        assert [p.slug for p in problems] == ["broken-file"], problems
        assert "cannot be read" in problems[0].message


XML_BITS = st.sampled_from([b"<c r=\"", b"A", b"Z", b"AB", b"ZZZ", b"\"", b"<f", b"<f>", b"</f>",
                            b"<f/>", b"<v></v>", b"</c>", b"9", b" ", b"<", b"f", b"a", b"@",
                            b"[", b"\x00", b"\xff", b"<row r=\"", b"\"/>"])


@settings(max_examples=400, deadline=None)
@given(st.lists(XML_BITS, max_size=40).map(b"".join))
def test_the_numpy_pre_check_never_rules_out_what_the_patterns_find(text):
    wide, formula = guard._Suspects(1024)(text)
    if guard._WIDE_CELL.search(text):
        assert wide
    if guard._FORMULA_NO_VALUE.search(text) or b"<f" in text:
        assert formula
    if len(text) >= 4:  # and it rules out what has neither
        assert wide == any(text[i:i + 1] == b'"' and text[i + 1:i + 4].isalpha()
                           and text[i + 1:i + 4].isupper() for i in range(len(text) - 3))
        assert formula == (b"<f" in text or b"/f" in text)


def test_a_sheet_written_with_a_data_descriptor_is_scanned():
    """Writers that cannot seek back (LibreOffice among them) leave the local header's sizes
    at 0 and put them after the data: the sizes come from the central directory."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:
            self.data += b
            return len(b)

    out = Unseekable()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        with z.open(SHEET, "w") as member:
            member.write(_sheet('<row r="3"><c r="ZZZ3"><v>1</v></c></row>', 5000))
    info = zipfile.ZipFile(io.BytesIO(bytes(out.data))).getinfo(SHEET)
    assert info.flag_bits & 0x08
    assert _slugs(bytes(out.data)) == ["too-many-columns"]
