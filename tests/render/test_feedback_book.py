"""The feedback workbook's sheets: valid names from any group text, and page-sized parts."""

from __future__ import annotations

import re

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from bantar_cli.core.explain import Explanation
from bantar_cli.render import explain as render_explain
from bantar_cli.render.cells import sheet_names
from bantar_cli.render.explain import feedback_sheets, write_feedback_book


def _utf16(name: str) -> int:
    return len(name.encode("utf-16-le")) // 2


@given(st.lists(st.text(max_size=40), max_size=12))
def test_sheet_names_are_valid_and_distinct(titles):
    names = sheet_names(titles, "Umpan balik")
    assert len(names) == len(titles)
    assert len({n.lower() for n in names}) == len(names)
    for n in names:
        assert 0 < _utf16(n) <= 31
        assert not re.search(r"[\[\]:*?/\\]", n) and n[0] != "'" and n[-1] != "'"
        assert n.lower() != "history"
    book = xlsxwriter.Workbook("unused.xlsx", {"in_memory": True})
    for n in names:  # xlsxwriter's own check of every rule
        book.add_worksheet(n)


def test_sheet_names_keep_plain_names_and_number_repeats():
    assert sheet_names(["Telanaipura", "telanaipura", "a/b", "", "x" * 40], "F") == [
        "Telanaipura", "telanaipura (2)", "a_b", "F", "x" * 31]


def _entrant(n: int, group: str | None) -> Explanation:
    return Explanation(id=f"E{n}", name=f"RT {n}", group=group, rank=n, score=100.0 - n,
                       pillars={}, indicators=[], lost=[])


def test_sheets_follow_groups_and_hold_at_most_the_page_break_limit(monkeypatch):
    monkeypatch.setattr(render_explain, "SECTIONS_PER_SHEET", 2)
    groups = ["Pasar Jambi", None, "Jelutung", "Pasar Jambi", "Pasar Jambi"]
    assert feedback_sheets(groups, "id") == [
        ("Jelutung", [2]), ("Pasar Jambi", [0, 3]), ("Pasar Jambi (2)", [4]),
        ("Tanpa kelompok", [1])]
    assert feedback_sheets([None, None], "en") == [("Feedback", [0, 1])]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_each_section_starts_a_page_on_every_sheet(monkeypatch, tmp_path, lang):
    monkeypatch.setattr(render_explain, "SECTIONS_PER_SHEET", 3)
    everyone = [_entrant(n, "Kota Baru") for n in range(1, 8)]
    out = tmp_path / "f.xlsx"
    asked = []

    def explain(n: int) -> Explanation:
        asked.append(n)
        return everyone[n]

    assert write_feedback_book(out, [e.group for e in everyone], explain, lang=lang) == []
    assert asked == list(range(7))
    book = load_workbook(out)
    assert book.sheetnames == ["Kota Baru", "Kota Baru (2)", "Kota Baru (3)"]
    titles = []
    for ws in book.worksheets:
        starts = [c.row for c in ws["A"] if c.value and "(E" in str(c.value)]
        assert [b.id + 1 for b in ws.row_breaks.brk] == starts[1:]
        titles += [ws.cell(r, 1).value for r in starts]
    assert len(titles) == 7 and titles[0].startswith("RT 1 (E1)")
