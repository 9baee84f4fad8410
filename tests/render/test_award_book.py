"""The award workbook, written by the CLI and read back with openpyxl."""

from __future__ import annotations

import hashlib
import json

import pytest
from openpyxl import load_workbook

from tests.conftest import BUNDLED, SAMPLE_2024, write_sheet

SHEETS_ID = ["Ringkasan", "Peringkat", "Pemenang", "Rincian", "Penilai", "Kriteria", "Metadata"]
SHEETS_EN = ["Summary", "Ranking", "Awards", "Breakdown", "Assessors", "Criteria", "Metadata"]


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    from typer.testing import CliRunner

    from bantar_cli.cli.app import app

    out = tmp_path_factory.mktemp("book") / "hasil.xlsx"
    r = CliRunner().invoke(app, ["score", str(SAMPLE_2024), "-o", str(out), "--format", "json"])
    assert r.exit_code == 0, r.stderr
    return load_workbook(out), json.loads(r.stdout)


def test_sheet_names_in_both_languages(sample_book, run, tmp_path):
    wb, _ = sample_book
    assert wb.sheetnames == SHEETS_ID
    out = tmp_path / "r.xlsx"
    small = _small_sample(tmp_path)
    assert run("score", small, "-o", out, "--lang", "en").exit_code == 0
    assert load_workbook(out).sheetnames == SHEETS_EN


def _small_sample(tmp_path):
    """The first 30 rows (10 RTs) of the real sample, as its own file."""
    src = load_workbook(SAMPLE_2024)["Penilaian"]
    rows = [[c.value for c in row] for row in src.iter_rows(min_row=3, max_row=34)]
    return write_sheet(tmp_path / "kecil.xlsx", rows)


def test_ranking_holds_every_entrant_as_in_json(sample_book):
    wb, doc = sample_book
    ws = wb["Peringkat"]
    results = doc["results"]
    assert ws.max_row == len(results) + 1 == 1652
    for n, res in enumerate(results, start=2):
        assert ws.cell(n, 1).value == res["rank"]
        assert ws.cell(n, 3).value == res["id"]
        assert abs(ws.cell(n, 7).value - res["score"]) < 1e-12
        assert abs(ws.cell(n, 8).value - res["pillars"]["bersih"]) < 1e-12
        assert (ws.cell(n, 12).value or "") == "; ".join(res["award"])


def test_table_freeze_filters_colour_scales_and_print_setup(sample_book):
    wb, _ = sample_book
    ws = wb["Peringkat"]
    assert ws.tables["Peringkat"].ref == "A1:L1652"
    assert ws.freeze_panes == "D2"
    scales = [r for rng in ws.conditional_formatting for r in rng.rules if r.type == "colorScale"]
    assert len(scales) == 4  # one per pillar
    for sheet in ("Ringkasan", "Peringkat", "Pemenang", "Rincian", "Penilai", "Kriteria"):
        s = wb[sheet]
        assert s.page_setup.orientation == "landscape"
        assert s.sheet_properties.pageSetUpPr.fitToPage and s.page_setup.fitToHeight == 0
        assert s.print_title_rows and "&P" in s.oddFooter.center.text


def test_the_ranking_table_leaves_xlsxwriter_no_record_of_its_cells(tmp_path, monkeypatch):
    """xlsxwriter records every cell of a table to refuse overlaps: 4.3 million entries and
    433 MB at 330,000 entrants. The ranking sheet has one table and no merges; nothing is kept
    (the table itself is checked above)."""
    from typer.testing import CliRunner
    from xlsxwriter.worksheet import Worksheet

    from bantar_cli.cli.app import app

    recorded = []
    add_table = Worksheet.add_table

    def counting(self, *args, **kwargs):
        out = add_table(self, *args, **kwargs)
        recorded.append(len(self.table_cells))
        return out

    monkeypatch.setattr(Worksheet, "add_table", counting)
    r = CliRunner().invoke(app, ["score", str(SAMPLE_2024), "-o", str(tmp_path / "h.xlsx")])
    assert r.exit_code == 0, r.stderr
    assert recorded == [0]


def test_the_closed_workbook_is_gone_before_the_splice_without_the_collector(tmp_path, monkeypatch):
    """A closed workbook's cells (60 MB at national scale) go with its last reference, before
    the big sheets are spliced in, not at the cyclic collector's next full pass."""
    import gc
    import weakref

    from typer.testing import CliRunner
    from xlsxwriter import Workbook

    from bantar_cli.cli.app import app
    from bantar_cli.render import award_book

    books, alive = [], []
    close, splice = Workbook.close, award_book.splice

    def closing(self):
        books.append(weakref.ref(self))
        return close(self)

    def splicing(path, blocks):
        alive.append([ref() is not None for ref in books])
        return splice(path, blocks)

    monkeypatch.setattr(Workbook, "close", closing)
    monkeypatch.setattr(award_book, "splice", splicing)
    gc.disable()
    try:
        r = CliRunner().invoke(app, ["score", str(SAMPLE_2024), "-o", str(tmp_path / "h.xlsx")])
    finally:
        gc.enable()
    assert r.exit_code == 0, r.stderr
    assert alive == [[False]]


def test_award_list_money_and_rupiah(sample_book):
    wb, doc = sample_book
    ws = wb["Pemenang"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    awarded = [r for r in rows if r[3] and str(r[3]).startswith("15.71.")]
    assert len(awarded) == len(doc["awards"])
    total_row = next(i for i, r in enumerate(rows, start=4) if r[0] == "Jumlah")
    total = ws.cell(total_row, 7)
    assert total.value.startswith("=SUM(G4:G")
    assert sum(a["prize"] for a in doc["awards"]) == doc["award_totals"]["awarded"]
    assert ws.cell(4, 7).number_format == "[$-421]\"Rp\"#,##0"
    signatures = [v for r in rows for v in r if v and "Tim Penilai" in str(v)]
    assert signatures[:3] == ["Ketua Tim Penilai", "Sekretaris Tim Penilai", "Anggota Tim Penilai"]


def test_breakdown_contributions_sum_to_the_score(sample_book):
    wb, doc = sample_book
    ws = wb["Rincian"]
    rows = list(ws.iter_rows(min_row=2, max_row=21, values_only=True))  # the best RT's 20 rows
    first = doc["results"][0]
    assert {r[0] for r in rows} == {first["id"]}
    assert abs(sum(r[5] for r in rows) - first["score"]) < 1e-9
    assert all(0 <= r[4] <= 1 for r in rows)
    assert ws.max_row == 1 + 1651 * 20


def test_criteria_weights_sum_to_100_percent(sample_book):
    wb, _ = sample_book
    ws = wb["Kriteria"]
    shares = [r[5] for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[5], float)]
    assert len(shares) == 20 and abs(sum(shares) - 1) < 1e-12
    assert ws.cell(2, 6).number_format == "0.0%"


def test_charts_with_visible_axes(sample_book):
    wb, _ = sample_book
    charts = wb["Ringkasan"]._charts
    assert len(charts) == 2
    for ch in charts:
        assert ch.x_axis.delete in (None, False) and ch.y_axis.delete in (None, False)


def test_metadata_hashes_are_the_files(sample_book):
    wb, _ = sample_book
    meta = {r[0]: r[1] for r in wb["Metadata"].iter_rows(values_only=True)}
    assert meta["input 1 sha256"] == hashlib.sha256(SAMPLE_2024.read_bytes()).hexdigest()
    assert meta["criteria sha256"] == hashlib.sha256(BUNDLED.read_bytes()).hexdigest()
    assert meta["bantar"] and meta["command"].startswith("bantar")


def test_hostile_names_stay_text_in_xlsx_and_csv(run, tmp_path):
    src = load_workbook(_small_sample(tmp_path))
    ws = src.active
    for r in (3, 4, 5):  # rows 1-2 are the two-row header; the first RT has rows 3-5
        ws[f"C{r}"] = '=HYPERLINK("http://x","y")'
        ws[f"C{r}"].data_type = "s"
    for r in (6, 7, 8):
        ws[f"C{r}"] = "@SUM(1)"
        ws[f"C{r}"].data_type = "s"
    path = tmp_path / "hostile.xlsx"
    src.save(path)
    out = tmp_path / "out.xlsx"
    r = run("score", path, "-o", out, "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert "'=HYPERLINK(" in r.stdout and "'@SUM(1)" in r.stdout
    ranking = load_workbook(out)["Peringkat"]
    names = {c.value: c.data_type for c in ranking["D"][1:]}
    assert names['=HYPERLINK("http://x","y")'] == "s" and names["@SUM(1)"] == "s"


def test_assessors_sheet(sample_book):
    wb, _ = sample_book
    ws = wb["Penilai"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Budi Santoso" in values and "ICC(A,1)" in values and "W" in values


def _rows(ws, first: int) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def test_tables_longer_than_a_sheet_go_on_to_numbered_sheets(tmp_path, monkeypatch):
    """Excel holds 1,048,576 rows a sheet and a national breakdown has millions: with the limit
    made 5 rows (4 under the header), 10 ranked entrants and their 200 breakdown rows go on to
    'Peringkat (2)', 'Peringkat (3)' and 'Rincian (2)' … 'Rincian (50)', in order, each within
    the limit, the same rows as on one sheet; so do the sensitivity's rows under its three
    header rows ('Kepekaan (2)' …). The rows are also made into XML 3 at a time."""
    from typer.testing import CliRunner

    from bantar_cli.cli.app import app
    from bantar_cli.render import xlsx_bulk

    small = _small_sample(tmp_path)

    def book(name):
        out = tmp_path / name
        r = CliRunner().invoke(app, ["score", str(small), "-o", str(out), "--format", "json",
                                     "--sensitivity", "20", "--seed", "1"])
        assert r.exit_code == 0, r.stderr
        return load_workbook(out, read_only=True)

    whole = book("whole.xlsx")
    monkeypatch.setattr(xlsx_bulk, "EXCEL_ROWS", 5)
    monkeypatch.setattr(xlsx_bulk, "PIECE_ROWS", 3)
    wb = book("parts.xlsx")
    ranking = ["Peringkat", "Peringkat (2)", "Peringkat (3)"]
    breakdown = ["Rincian", *(f"Rincian ({k})" for k in range(2, 51))]
    sensitivity = ["Kepekaan", *(f"Kepekaan ({k})" for k in range(2, 6))]  # 10 rows, 2 a sheet
    assert wb.sheetnames == ["Ringkasan", *ranking, "Pemenang", *breakdown, "Penilai",
                             *sensitivity, "Kriteria", "Metadata"]
    for names, sheet, head in ((ranking, "Peringkat", 1), (breakdown, "Rincian", 1),
                               (sensitivity, "Kepekaan", 3)):
        parts = [_rows(wb[name], head + 1) for name in names]
        assert all(0 < len(p) <= 5 - head for p in parts)
        assert [row for p in parts for row in p] == _rows(whole[sheet], head + 1)
        assert all(_rows(wb[name], 1)[:head] == _rows(whole[sheet], 1)[:head]
                   for name in names)  # the header rows


def test_a_tie_of_many_is_counted_not_listed_whole(run, tmp_path):
    """120 entrants with the same marks share first place: the JSON lists 50 of each one's 119
    others and counts them all, and the awards sheet names the 50 and the rest by number (the
    whole list, 119 ids a cell, would be n² text: a tie of thousands passes Excel's 32,767
    characters a cell)."""
    crit = tmp_path / "k.yaml"
    crit.write_text("""\
name: Lomba
version: "1"
entrant: {id: Kode, group: Kecamatan}
pillars:
  - key: bersih
    weight: 1
    indicators: [{key: b, column: B, weight: 1, range: [0, 100]}]
awards:
  rules:
    - key: juara
      kind: places
      places: [{title: {id: Juara I, en: First}, prize: 1000000}]
""")
    data = tmp_path / "data.csv"
    data.write_text("Kode,Kecamatan,B\n" + "".join(f"E{k:03d},Telanaipura,70\n" for k in range(120)))
    out = tmp_path / "hasil.xlsx"
    r = run("score", data, "-c", crit, "-o", out, "--format", "json")
    assert r.exit_code == 0, r.stderr
    awards = json.loads(r.stdout)["awards"]
    assert len(awards) == 120 and {a["tied_count"] for a in awards} == {119}
    first = awards[0]
    assert first["id"] == "E000" and first["tied_with"] == [f"E{k:03d}" for k in range(1, 51)]
    notes = {row[3]: row[7] for row in load_workbook(out)["Pemenang"].iter_rows(
        min_row=4, values_only=True) if row[3] and str(row[3]).startswith("E")}
    assert notes["E000"] == ("seri dengan " + ", ".join(f"E{k:03d}" for k in range(1, 51))
                             + " dan 69 peserta lain: sama-sama menerima tempat ini dan hadiah "
                               "penuh")
