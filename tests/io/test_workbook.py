"""Reading assessments: header detection, formats, stacking, and problems naming their cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bantar_cli.io.workbook import read_assessment
from tests.conftest import SMALL_HEADER, small_rows, write_sheet


def located(assessment, problems=None):
    from bantar_cli.core.checks import check_assessment

    extra = assessment.locate(check_assessment(assessment.frame, _crit[0])) if problems else []
    return [(p.slug, str(p.where)) for p in [*assessment.problems, *extra]]


_crit: list = []


@pytest.fixture(autouse=True)
def _remember(small_criteria):
    _crit[:] = [small_criteria]


def committee_sheet(path: Path, rows: list[list[object]]) -> Path:
    """A title row, a blank row, then a two-row merged header as committees make them."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Penilaian"
    ws["A1"] = "PENILAIAN LOMBA KAMPUNG BANTAR 2024"
    ws.merge_cells("A1:H1")
    for j, name in enumerate(["Kode", "Nama", "Kecamatan", "Penilai"], start=1):
        ws.cell(3, j, name)
        ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.cell(3, 5, "BERSIH")
    ws.merge_cells("E3:F3")
    ws.cell(4, 5, "Pemilahan sampah")
    ws.cell(4, 6, " air BERSIH  (%) ")  # spaces and case differ from the criteria
    ws.cell(3, 7, "AMAN")
    ws.cell(4, 7, "Kejadian")
    ws.cell(3, 8, "Jumlah")  # the committee's total: ignored
    for r, row in enumerate(rows[1:], start=5):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
        ws.cell(r, 8, 999)
    wb.save(path)
    return path


def test_committee_layout_is_understood(tmp_path, small_criteria):
    path = committee_sheet(tmp_path / "p.xlsx", small_rows())
    a = read_assessment([path], small_criteria)
    assert a.problems == []
    assert len(a.frame) == 6
    assert a.frame["id"].tolist() == ["A", "A", "B", "B", "C", "C"]
    assert a.frame["air"].tolist() == [90, 80, 60, 70, 50, 40]
    assert a.cells.where(0, "air").cell == "F5"
    assert a.inputs[0].rows == 6
    assert len(a.inputs[0].sha256) == 64


def test_blank_rows_and_unused_columns_are_ignored(tmp_path, small_criteria):
    rows = small_rows()
    rows.insert(3, [None] * 7)
    rows = [[*r, "catatan"] for r in rows]
    path = write_sheet(tmp_path / "p.xlsx", rows)
    a = read_assessment([path], small_criteria)
    assert len(a.frame) == 6
    assert a.cells.where(2, "sampah").cell == "E5"  # row 4 of the sheet was blank


def test_text_numbers_and_decimal_comma(tmp_path, small_criteria):
    rows = small_rows()
    rows[1][5] = "85,5"
    rows[2][5] = " 80 "
    a = read_assessment([write_sheet(tmp_path / "p.xlsx", rows)], small_criteria)
    assert a.problems == []
    assert a.frame["air"].tolist()[:2] == [85.5, 80.0]


@pytest.mark.parametrize("value,slug", [("banyak", "not-a-number"), ("1.500", "ambiguous-number"),
                                        (True, "not-a-number")])
def test_bad_cells_are_named(tmp_path, small_criteria, value, slug):
    rows = small_rows()
    rows[4][5] = value  # row 5 of the sheet, column F
    a = read_assessment([write_sheet(tmp_path / "nilai.xlsx", rows)], small_criteria)
    assert [(p.slug, str(p.where)) for p in a.problems] == [(slug, f"{tmp_path}/nilai.xlsx: Penilaian!F5")]


def test_out_of_range_missing_and_duplicate_are_named(tmp_path, small_criteria):
    rows = small_rows()
    rows[1][4] = 6          # E2: sampah outside [1, 5]
    rows[3][5] = None       # F4: missing
    rows.append(["C", "RT 003", "Jelutung", "P2", 2, 40, 4])  # row 8 repeats row 7
    path = write_sheet(tmp_path / "n.xlsx", rows)
    got = located(read_assessment([path], small_criteria), problems=True)
    assert (("out-of-range", f"{path}: Penilaian!E2") in got)
    assert (("missing-value", f"{path}: Penilaian!F4") in got)
    assert (("duplicate-assessment", f"{path}: Penilaian!A8") in got)


def test_duplicate_names_its_twin(tmp_path, small_criteria):
    from bantar_cli.core.checks import check_assessment

    rows = small_rows()
    rows.append(["C", "RT 003", "Jelutung", "P2", 2, 40, 4])
    path = write_sheet(tmp_path / "n.xlsx", rows)
    a = read_assessment([path], small_criteria)
    (p,) = a.locate(check_assessment(a.frame, small_criteria))
    assert str(p).startswith(f"{path}: Penilaian!A8: entrant 'C' is assessed twice by 'P2' "
                             f"(first at {path}: Penilaian!A7)")


def test_missing_column_is_named_with_a_suggestion(tmp_path, small_criteria):
    rows = small_rows()
    rows[0][2] = "Kecamatn"
    a = read_assessment([write_sheet(tmp_path / "n.xlsx", rows)], small_criteria)
    (p,) = a.problems
    assert p.slug == "unknown-column"
    assert "no column 'Kecamatan'" in p.message and "did you mean 'Kecamatn'?" in p.hint
    assert p.where.sheet == "Penilaian"


def test_sheet_without_header(tmp_path, small_criteria):
    path = write_sheet(tmp_path / "n.xlsx", [["apa", "ini"], [1, 2]])
    (p,) = read_assessment([path], small_criteria).problems
    assert p.slug == "no-header" and "'Kode'" in p.message


def test_several_files_stack_and_keep_their_places(tmp_path, small_criteria):
    rows = small_rows()
    first = write_sheet(tmp_path / "tim1.xlsx", [rows[0], *rows[1:4]])
    second = write_sheet(tmp_path / "tim2.xlsx", [rows[0], *rows[4:]])
    a = read_assessment([first, second], small_criteria)
    assert len(a.frame) == 6 and [i.rows for i in a.inputs] == [3, 3]
    assert str(a.cells.where(4, "kejadian")) == f"{second}: Penilaian!G3"


def test_without_assessor_column_each_file_is_one_assessor(tmp_path, small_criteria):
    rows = [r[:3] + r[4:] for r in small_rows()]
    one = write_sheet(tmp_path / "budi.xlsx", [rows[0], rows[1], rows[3], rows[5]])
    two = write_sheet(tmp_path / "siti.xlsx", [rows[0], rows[2], rows[4], rows[6]])
    a = read_assessment([one, two], small_criteria)
    assert a.frame["assessor"].tolist() == ["budi"] * 3 + ["siti"] * 3
    assert any("its rows count as assessor 'budi'" in n for n in a.notes)


def test_numeric_ids_lose_their_decimal_point(tmp_path, small_criteria):
    rows = small_rows()
    for r in rows[1:]:
        r[0] = {"A": 1001, "B": 1002, "C": 1003}[r[0]]
    a = read_assessment([write_sheet(tmp_path / "n.xlsx", rows)], small_criteria)
    assert a.frame["id"].unique().tolist() == ["1001", "1002", "1003"]


def test_csv_with_semicolons_bom_and_decimal_comma(tmp_path, small_criteria):
    lines = ["Penilaian lomba;;;;;;", "", ";".join(SMALL_HEADER)]
    for r in small_rows()[1:]:
        lines.append(";".join(str(v).replace(".", ",") for v in r))
    lines[3] = lines[3].replace(";90;", ";90,5;")
    path = tmp_path / "n.csv"
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    a = read_assessment([path], small_criteria)
    assert a.problems == []
    assert a.frame["air"].tolist() == [90.5, 80, 60, 70, 50, 40]


def test_csv_cells_are_named_by_line(tmp_path, small_criteria):
    lines = [",".join(SMALL_HEADER)]
    for r in small_rows()[1:]:
        lines.append(",".join(str(v) for v in r))
    lines.insert(2, "")                      # a blank line: line numbers must still be right
    lines[4] = lines[4].replace(",60,", ",enam puluh,")   # physical line 5, column F
    path = tmp_path / "n.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    a = read_assessment([path], small_criteria)
    assert [(p.slug, str(p.where)) for p in a.problems] == [("not-a-number", f"{path}: F5")]


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_csv_lines_may_end_in_any_line_break(tmp_path, small_criteria, end):
    """Old Mac files end their lines with a lone '\\r': the header is found in them as in
    any other (it was an internal error), and their cells are named by line."""
    lines = [",".join(SMALL_HEADER)]
    for r in small_rows()[1:]:
        lines.append(",".join(str(v) for v in r))
    lines[3] = lines[3].replace(",60,", ",enam puluh,")   # physical line 4, column F
    path = tmp_path / "mac.csv"
    path.write_bytes((end.join(lines) + end).encode())
    a = read_assessment([path], small_criteria)
    assert len(a.frame) == len(lines) - 1
    assert a.frame["id"].tolist() == [str(r[0]) for r in small_rows()[1:]]
    assert [(p.slug, str(p.where)) for p in a.problems] == [("not-a-number", f"{path}: F4")]


def test_csv_not_utf8(tmp_path, small_criteria):
    path = tmp_path / "n.csv"
    path.write_bytes(",".join(SMALL_HEADER).encode() + "\nA,Café\xe9,x".encode("latin-1"))
    (p,) = read_assessment([path], small_criteria).problems
    assert p.slug == "not-utf8"


def test_xls_and_ods_read_like_xlsx(tmp_path, small_criteria):
    import pandas as pd
    import xlwt

    rows = small_rows()
    book = xlwt.Workbook()
    sheet = book.add_sheet("Penilaian")
    sheet.write(0, 0, "Judul penilaian")
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    xls = tmp_path / "n.xls"
    book.save(str(xls))
    ods = tmp_path / "n.ods"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(ods, engine="odf", index=False,
                                                     sheet_name="Penilaian")
    expected = read_assessment([write_sheet(tmp_path / "n.xlsx", rows)], small_criteria).frame
    for path, first_data_row in ((xls, 4), (ods, 2)):
        a = read_assessment([path], small_criteria)
        assert a.problems == [], path
        assert np.array_equal(a.frame["air"].to_numpy(), expected["air"].to_numpy())
        assert a.frame["id"].tolist() == expected["id"].tolist()
        assert a.cells.where(0, "sampah").cell == f"E{first_data_row}"


def test_content_that_does_not_match_the_name(tmp_path, small_criteria):
    fake = tmp_path / "n.xlsx"
    fake.write_text("Kode,Nama\nA,B\n")
    (p,) = read_assessment([fake], small_criteria).problems
    assert p.slug == "wrong-format"
    empty = tmp_path / "e.xlsx"
    empty.write_bytes(b"")
    (p,) = read_assessment([empty], small_criteria).problems
    assert p.slug == "empty-file"


def test_input_files_are_not_modified(tmp_path, small_criteria):
    path = write_sheet(tmp_path / "n.xlsx", small_rows())
    before = path.read_bytes()
    read_assessment([path], small_criteria)
    assert path.read_bytes() == before


def test_csv_saved_as_utf16_is_read(tmp_path, small_criteria):
    lines = ["\t".join(SMALL_HEADER)] + ["\t".join(str(v) for v in r) for r in small_rows()[1:]]
    path = tmp_path / "unicode.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-16"))
    a = read_assessment([path], small_criteria)
    assert a.problems == [] and len(a.frame) == 6


def test_parquet_reads_like_a_sheet(tmp_path, small_criteria):
    import pandas as pd

    rows = small_rows()
    df = pd.DataFrame(rows[1:], columns=rows[0])
    path = tmp_path / "n.parquet"
    df.to_parquet(path, engine="pyarrow", index=False)
    expected = read_assessment([write_sheet(tmp_path / "n.xlsx", rows)], small_criteria).frame
    a = read_assessment([path], small_criteria)
    assert a.problems == []
    assert a.frame["id"].tolist() == expected["id"].tolist()
    assert np.array_equal(a.frame["air"].to_numpy(), expected["air"].to_numpy())
    df["Air bersih (%)"] = ["90", "80", "enam puluh", "70", "50", "40"]  # text in a mark column
    df.to_parquet(path, engine="pyarrow", index=False)
    (p,) = read_assessment([path], small_criteria).problems
    assert (p.slug, str(p.where)) == ("not-a-number", f"{path}: F4")
    df.insert(0, "Catatan", ["x"] * 6)  # a column bantar does not use: not decoded, yet counted
    df["Lain"] = range(6)
    df.to_parquet(path, engine="pyarrow", index=False)
    a = read_assessment([path], small_criteria)
    (p,) = a.problems
    assert (p.slug, str(p.where)) == ("not-a-number", f"{path}: G4")
    assert a.frame["id"].tolist() == expected["id"].tolist() and "Catatan" not in a.frame
    fake = tmp_path / "fake.parquet"
    fake.write_text("Kode,Nama\n")
    (p,) = read_assessment([fake], small_criteria).problems
    assert p.slug == "wrong-format"


def test_a_truncated_parquet_file_is_a_broken_file_and_is_left_alone(tmp_path, small_criteria):
    import pandas as pd

    rows = small_rows()
    whole = tmp_path / "whole.parquet"
    pd.DataFrame(rows[1:], columns=rows[0]).to_parquet(whole, engine="pyarrow", index=False)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole.read_bytes()[:-20])  # its footer half gone, the magic bytes kept out
    before = cut.read_bytes()
    (p,) = read_assessment([cut], small_criteria).problems
    assert p.slug == "broken-file" and str(p.where) == str(cut)
    assert "cannot be read" in p.message
    assert cut.read_bytes() == before


def test_parquet_typed_marks_of_any_width_with_nulls(tmp_path, small_criteria):
    """int64, float32 and nullable columns become the same float64 marks; a null is a missing
    mark at its cell (the buffers are read directly: see bantar_cli.io.arrowbuf)."""
    import pandas as pd

    from bantar_cli.core.checks import check_assessment

    rows = small_rows()
    df = pd.DataFrame(rows[1:], columns=rows[0])
    df["Pemilahan sampah"] = df["Pemilahan sampah"].astype("int64")
    df["Air bersih (%)"] = df["Air bersih (%)"].astype("float32")
    df["Kejadian"] = pd.array([0, None, 2, 2, 4, 4], dtype="Int16")
    path = tmp_path / "typed.parquet"
    df.to_parquet(path, engine="pyarrow", index=False)
    a = read_assessment([path], small_criteria)
    expected = read_assessment([write_sheet(tmp_path / "n.xlsx", rows)], small_criteria).frame
    for key in ("sampah", "air"):
        assert a.frame[key].dtype == np.float64
        np.testing.assert_array_equal(a.frame[key].to_numpy(), expected[key].to_numpy())
    np.testing.assert_array_equal(a.frame["kejadian"].to_numpy(), [0, np.nan, 2, 2, 4, 4])
    problems = a.problems + a.locate(check_assessment(a.frame, small_criteria))
    assert [(p.slug, str(p.where)) for p in problems] == [("missing-value", f"{path}: G3")]


def test_parquet_text_marks_with_a_null(tmp_path, small_criteria):
    """Marks stored as text with a null among them: the texts parse as in a sheet ('8,5' is
    8.5) and the null is a missing mark at its cell (this once stopped with an IndexError)."""
    import pandas as pd

    from bantar_cli.core.checks import check_assessment

    rows = small_rows()
    df = pd.DataFrame(rows[1:], columns=rows[0])
    df["Air bersih (%)"] = pd.array(["90", None, "8,5", "70", "50", "40"], dtype="string")
    path = tmp_path / "text.parquet"
    df.to_parquet(path, engine="pyarrow", index=False)
    a = read_assessment([path], small_criteria)
    np.testing.assert_array_equal(a.frame["air"].to_numpy(), [90, np.nan, 8.5, 70, 50, 40])
    problems = a.problems + a.locate(check_assessment(a.frame, small_criteria))
    assert [(p.slug, str(p.where)) for p in problems] == [("missing-value", f"{path}: F3")]


def _big_csv(path: Path, *, quoted: bool) -> Path:
    """More than the 256 KB sample, so the file is streamed from disk: 6,000 entrants × 2."""
    lines = [",".join(SMALL_HEADER)]
    for n in range(6000):
        name = f'"RT {n}\nblok B"' if quoted and n % 3 == 1 else f"RT {n}"
        for who, mark in (("P1", 3), ("P2", 4)):
            lines.append(f"E{n:05d},{name},Telanaipura,{who},{mark},75.5,1")
    lines[-1] = lines[-1].replace(",75.5,", ",tujuh,")  # the last record's F cell
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("quoted", [False, True])
def test_large_csv_is_streamed_with_lines_hash_and_quoted_breaks_right(tmp_path, small_criteria,
                                                                       quoted, monkeypatch):
    import hashlib

    from bantar_cli.io import csvfile

    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 8 * 1024)  # line breaks in quotes cross blocks
    path = _big_csv(tmp_path / "besar.csv", quoted=quoted)
    assert path.stat().st_size > 256 * 1024
    a = read_assessment([path], small_criteria)
    assert len(a.frame) == 12000 and a.frame["sampah"].sum() == 6000 * 7
    assert a.inputs[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index(",tujuh,")) + 1  # where it is in the file
    assert line == 12001 + (4000 if quoted else 0)  # 2,000 names on two lines, in two rows each
    assert [(p.slug, str(p.where)) for p in a.problems] == [("not-a-number", f"{path}: F{line}")]
    if quoted:
        assert a.frame["name"].iat[2] == "RT 1\nblok B"


def test_a_csv_gone_before_its_lines_are_needed_is_a_clear_error(tmp_path, small_criteria):
    from bantar_cli.core.checks import check_assessment
    from bantar_cli.errors import UsageError

    path = _big_csv(tmp_path / "besar.csv", quoted=False)
    path.write_text(path.read_text().replace(",tujuh,", ",75.5,")
                    + "E00000,RT 0,Telanaipura,P1,3,75.5,1\n")  # P1 assessed E00000 twice
    a = read_assessment([path], small_criteria)  # no cell problem: no line numbers needed yet
    path.unlink()
    with pytest.raises(UsageError, match=r"cannot read .*besar\.csv any more"):
        a.locate(check_assessment(a.frame, small_criteria))  # the duplicate needs its line


def test_parquet_problems_come_column_by_column_then_row_by_row(tmp_path, small_criteria):
    """Columns are filled on two threads; their problems are still listed in file order."""
    import pandas as pd

    rows = small_rows()
    df = pd.DataFrame(rows[1:], columns=rows[0])
    df[rows[0][4]] = ["3", "x", "3", "3", "y", "3"]
    df[rows[0][5]] = ["90", "80", "enam puluh", "70", "50", "empat"]
    path = tmp_path / "n.parquet"
    df.to_parquet(path, engine="pyarrow", index=False)
    problems = read_assessment([path], small_criteria).problems
    assert [str(p.where).split(": ")[1] for p in problems] == ["E3", "E6", "F4", "F7"]


def _same_entrants(assessment) -> bool:
    from bantar_cli.core.combine import entrant_codes

    codes, ids = entrant_codes(assessment.frame["id"])
    got_codes, got_ids = assessment.entrants
    return (np.array_equal(got_codes, codes) and got_codes.dtype == codes.dtype
            and got_ids.equals(ids) and got_ids.dtype == ids.dtype and got_ids.name == "id")


def test_the_id_codes_a_reader_hashes_are_the_frames(tmp_path, small_criteria):
    """CSV and Parquet readers hash the ids on their threads; the codes must be exactly those
    the core would make (first appearance, -1 for a blank id), or not be given at all."""
    import pandas as pd

    rows = small_rows()
    shuffled = [rows[0], rows[5], rows[1], rows[3], rows[6], rows[2], rows[4]]
    csv = tmp_path / "n.csv"
    csv.write_text("\n".join(",".join(map(str, r)) for r in shuffled) + "\n", encoding="utf-8")
    a = read_assessment([csv], small_criteria)
    assert a.entrants is not None and _same_entrants(a)
    assert a.entrants[1].tolist() == ["C", "A", "B"]
    # a row with neither an id nor a mark is left out; an id without marks stays
    blank, no_marks = ["", "catatan", "", "", "", "", ""], ["Z", "", "", "", "", "", ""]
    csv.write_text("\n".join(",".join(map(str, r)) for r in [*shuffled[:2], blank, no_marks,
                                                            *shuffled[2:]]) + "\n", encoding="utf-8")
    a = read_assessment([csv], small_criteria)
    assert a.entrants is not None and _same_entrants(a) and len(a.frame) == 7
    assert a.entrants[1].tolist() == ["C", "Z", "A", "B"]
    df = pd.DataFrame(shuffled[1:], columns=shuffled[0])
    df.loc[2, "Kode"] = "  "  # blank: no entrant
    path = tmp_path / "n.parquet"
    df.to_parquet(path, engine="pyarrow", index=False)
    a = read_assessment([path], small_criteria)
    assert a.entrants is not None and _same_entrants(a) and a.entrants[0][2] == -1
    both = read_assessment([path, csv], small_criteria)  # several inputs: stacked, hashed later
    assert both.entrants is None


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_frame_takes_a_readers_text_without_a_copy(tmp_path, small_criteria, monkeypatch,
                                                       suffix):
    """The CSV and Parquet readers give text as pandas holds it (large_string), so the frame
    takes each column's buffers as they are: a million ids are not copied again."""
    import pandas as pd
    import pyarrow as pa

    from bantar_cli.io import workbook

    rows = small_rows()
    df = pd.DataFrame(rows[1:], columns=rows[0])
    path = tmp_path / f"n{suffix}"
    if suffix == ".csv":
        df.to_csv(path, index=False)
    else:
        df.astype({c: "string" for c in df.columns[:4]}).to_parquet(path, engine="pyarrow",
                                                                     index=False)
    taken = []
    real = workbook._text_data

    def spy(values):
        out = real(values)
        taken.append((values, out))
        return out

    monkeypatch.setattr(workbook, "_text_data", spy)
    a = read_assessment([path], small_criteria)
    assert a.problems == [] and a.frame["id"].tolist() == [r[0] for r in rows[1:]]
    arrow = [(v, out) for v, out in taken if isinstance(v, pa.Array)]
    assert {"id", "name"} <= {c for c in a.frame.columns} and len(arrow) >= 3
    for values, out in arrow:
        (held,) = out._pa_array.chunks
        assert [b.address for b in held.buffers()[1:]] == [b.address for b in values.buffers()[1:]]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200), piece=st.integers(1, 40), sample=st.integers(0, 50))
def test_scan_gives_the_head_hash_and_quotes_of_any_bytes_in_any_pieces(tmp_path, monkeypatch,
                                                                         data, piece, sample):
    import hashlib

    from bantar_cli.io import csvfile

    monkeypatch.setattr(csvfile, "PIECE_BYTES", piece)
    monkeypatch.setattr(csvfile, "SAMPLE_BYTES", sample)
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    assert csvfile.scan(path) == (data[:sample + 1], hashlib.sha256(data).hexdigest(), b'"' in data)


def _line_numbers_by_csv(data: bytes, header_index: int, n: int) -> list[int]:
    """The csv module's count, as the reader first did it: the oracle for the numpy one."""
    import csv
    import io

    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    out, prev = [], 0
    for i, rec in enumerate(reader):
        start, prev = prev + 1, reader.line_num
        if i > header_index and rec:
            out.append(start)
            if len(out) == n:
                break
    return out


_line = st.text(st.sampled_from("ab, é"), max_size=4)


@given(lines=st.lists(st.tuples(_line, st.sampled_from(["\n", "\r\n", "\n", "\r"])), max_size=12),
       last=st.booleans(), bom=st.booleans(), header=st.integers(0, 3), n=st.integers(0, 12))
def test_line_numbers_without_quotes_count_as_the_csv_module(lines, last, bom, header, n):
    from bantar_cli.io.csvfile import _line_numbers

    text = "".join(t + end for t, end in lines)
    if lines and not last:
        text = text[:-len(lines[-1][1])]  # no line break after the last line
    data = ("\ufeff" if bom else "").encode() + text.encode()
    assert _line_numbers(data, ",", header, n).tolist() == _line_numbers_by_csv(data, header, n)


@pytest.mark.parametrize("padded", [False, True])
def test_a_large_csvs_ids_are_coded_as_hashing_them_would(tmp_path, small_criteria, monkeypatch,
                                                           padded):
    """The reader's chunk dictionaries, merged, give the core its entrant codes: each id once,
    in order of first appearance, even when an entrant's rows lie chunks apart. Ids that
    need trimming are hashed after it instead (the same codes)."""
    import pandas as pd

    from bantar_cli.io import csvfile

    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 8 * 1024)
    lines = [",".join(SMALL_HEADER)]
    for who in ("P1", "P2", "P3"):  # each entrant's rows a third of the file apart
        for n in range(4000):
            ident = f" E{(n * 7919) % 4000:05d}" if padded and n % 5 == 0 else f"E{(n * 7919) % 4000:05d}"
            lines.append(f"{ident},RT {n},Telanaipura,{who},3,75.5,1")
    path = tmp_path / "acak.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    a = read_assessment([path], small_criteria)
    codes, ids = a.entrants
    want_codes, want_ids = pd.factorize(a.frame["id"], sort=False)
    assert len(ids) == 4000 and list(ids) == list(want_ids)
    assert np.array_equal(codes, want_codes)
    assert a.frame["id"].str.startswith("E").all()  # trimmed either way


@pytest.mark.parametrize("suffix", [".csv", ".parquet", "category"])
@pytest.mark.parametrize("padded", [False, True])
def test_the_readers_assessor_codes_are_those_hashing_gives(tmp_path, small_criteria, suffix,
                                                            padded):
    """Numbered by sorted name (code points: "Zainab" before "Ötzi" before "ádi"), as
    ``pd.factorize(..., sort=True)`` numbers them. A CSV's names that need trimming are left
    to it; Parquet's are hashed after trimming. "category": a Parquet column stored as a
    dictionary with int8 indices (a pandas category column)."""
    import pandas as pd

    from bantar_cli.core.combine import Codes

    who = ["Ötzi", "Zainab", "ádi", "Budi"]
    rows = [[f"E{n:03d}", f"RT {n}", "Telanaipura", (" " if padded and n == 5 else "") + w, 3,
             75.5, 1] for n in range(40) for w in who[n % 2:n % 2 + 3]]
    frame = pd.DataFrame(rows, columns=SMALL_HEADER)
    path = tmp_path / ("penilai.parquet" if suffix == "category" else f"penilai{suffix}")
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        if suffix == "category":
            frame["Penilai"] = frame["Penilai"].astype("category")
        frame.to_parquet(path, engine="pyarrow", index=False)
    a = read_assessment([path], small_criteria)
    assert (a.assessors is None) == (padded and suffix == ".csv")
    codes = Codes.of(a.frame, a.entrants, a.assessors)
    want, names = pd.factorize(a.frame["assessor"], sort=True)
    assert list(codes.assessor_names) == list(names) == ["Budi", "Zainab", "Ötzi", "ádi"]
    assert np.array_equal(codes.assessors, want)


@pytest.mark.parametrize("ids", ["text", "categories", "padded", "missing"])
def test_parquet_ids_read_as_a_dictionary_give_the_codes_hashing_gives(tmp_path, small_criteria,
                                                                       ids):
    """Arrow's dictionary of the id column serves as the entrant codes only when it lists the
    ids in order of first appearance, unchanged by trimming, none missing: a pandas category
    column is stored with its (sorted) categories as the dictionary, and is hashed instead."""
    import pandas as pd

    from bantar_cli.io import parquetfile

    order = [(n * 37) % 50 for n in range(50)]  # first appearance is not sorted order
    rows = [[f"E{k:03d}", f"RT {k}", "Telanaipura", who, 3, 75.5, 1]
            for who in ("P1", "P2") for k in order]
    frame = pd.DataFrame(rows, columns=SMALL_HEADER)
    if ids == "categories":
        frame["Kode"] = pd.Categorical(frame["Kode"], categories=sorted(set(frame["Kode"])))
    elif ids == "padded":
        frame.loc[3, "Kode"] = " " + frame.loc[3, "Kode"]
    elif ids == "missing":
        frame.loc[3, "Kode"] = None
    path = tmp_path / "kode.parquet"
    frame.to_parquet(path, engine="pyarrow", index=False)
    served = {}  # in_order (the ids) -> whether the dictionary served as codes

    def coded(col, *, in_order):
        text, codes = real(col, in_order=in_order)
        served[in_order] = codes is not None
        return text, codes

    real = parquetfile.coded_text
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parquetfile, "coded_text", coded)
        a = read_assessment([path], small_criteria)
    codes, names = a.entrants
    want, want_names = pd.factorize(a.frame["id"], sort=False)
    assert np.array_equal(codes, want) and list(names) == list(want_names)
    assert list(names[:3]) == ["E000", "E037", "E024"]
    assert served[True] == (ids == "text")


def test_parquet_ids_arrow_will_not_read_as_a_dictionary_are_read_as_text(tmp_path, small_criteria,
                                                                           monkeypatch):
    """Reading the id and assessor columns as dictionaries only saves time: should Arrow refuse
    it for some file, the file is read as before, not reported broken."""
    import pandas as pd
    import pyarrow.parquet as pq

    rows = [[f"E{k:03d}", f"RT {k}", "Telanaipura", who, 3, 75.5, 1]
            for k in (2, 0, 1) for who in ("P1", "P2")]
    path = tmp_path / "kode.parquet"
    pd.DataFrame(rows, columns=SMALL_HEADER).to_parquet(path, engine="pyarrow", index=False)
    real = pq.ParquetFile

    def refusing(source, *args, read_dictionary=None, **kwargs):
        if read_dictionary:
            raise NotImplementedError("no dictionaries today")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pq, "ParquetFile", refusing)
    a = read_assessment([path], small_criteria)
    assert not a.problems
    assert list(a.entrants[1]) == ["E002", "E000", "E001"] and len(a.frame) == 6


def test_a_loop_of_links_is_a_clear_error(tmp_path, small_criteria):
    """Checking that no file is given twice resolves each name; a loop of links (RuntimeError
    from pathlib before Python 3.13) is then reported as the file that cannot be read."""
    from bantar_cli.errors import UsageError

    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    with pytest.raises(UsageError, match=r"cannot read .*a\.csv") as err:
        read_assessment([tmp_path / "a.csv"], small_criteria)
    assert err.value.code == "unreadable-file"
