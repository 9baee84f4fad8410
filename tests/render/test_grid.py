"""The plain-text grid behind the ranking table: aligned at any length, cut only to fit a screen."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from bantar_cli.render.grid import Column, grid_lines
from tests.conftest import SAMPLE_2024

# printable text of any script, wide (CJK) and combining characters included; no controls
TEXT = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=12)


def _widths(lines):
    return {cell_len(line) for line in lines}


def test_columns_are_aligned_and_padded():
    lines = list(grid_lines([Column("Rank", ["1", "10"], "right"), Column("Nama", ["RT 001", "B"])],
                            title="Lomba", caption="2 peserta"))
    assert lines == ["      Lomba",
                     "┏━━━━━━┳━━━━━━━━┓",
                     "┃ Rank ┃ Nama   ┃",
                     "┡━━━━━━╇━━━━━━━━┩",
                     "│    1 │ RT 001 │",
                     "│   10 │ B      │",
                     "└──────┴────────┘",
                     "    2 peserta"]


def _column_widths(border: str) -> list[int]:
    return [len(part) - 2 for part in border[1:-1].split("┳")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=8), st.integers(20, 60))
def test_every_line_of_the_box_has_one_width_with_or_without_room(rows, room):
    ids, names = [a for a, _ in rows], [b for _, b in rows]
    cols = [Column("Kode", ids), Column("Nama", names, flexible=True)]
    whole = list(grid_lines(cols))
    assert len(_widths(whole)) == 1  # wide characters are padded by cells, not by characters
    natural = max(4, *map(cell_len, names))
    assert _column_widths(whole[0]) == [max(4, *map(cell_len, ids)), natural]
    fitted = list(grid_lines(cols, room=room))
    assert len(_widths(fitted)) == 1
    assert _column_widths(fitted[0])[0] == _column_widths(whole[0])[0]  # ids are never cut
    if cell_len(fitted[0]) > room:  # it cannot fit: the name is as narrow as it may be
        assert _column_widths(fitted[0])[1] == min(natural, 8)
    else:
        assert cell_len(fitted[0]) == min(room, cell_len(whole[0]))


def test_only_flexible_columns_are_cut_and_a_cut_says_so():
    cols = [Column("Kode", ["15.71.07.1006-RT042"]),
            Column("Nama", ["RT 042 Kenali Asam Atas"], flexible=True),
            Column("Nilai", ["99,41"], "right")]
    lines = list(grid_lines(cols, room=45))
    assert {cell_len(x) for x in lines} == {45}
    assert lines[3] == "│ 15.71.07.1006-RT042 │ RT 042 Ken… │ 99,41 │"
    assert list(grid_lines(cols)) == list(grid_lines(cols, room=None))
    assert "RT 042 Kenali Asam Atas" in list(grid_lines(cols))[3]


def test_a_path_is_cut_at_its_start_so_the_file_name_shows():
    cols = [Column("Berkas", ["/data/2024/kota_baru.xlsx", "東京/ファイル.xlsx"], flexible=True,
                   cut_start=True), Column("Sel", ["C12", "D3"])]
    lines = list(grid_lines(cols, room=24))
    assert lines[3] == "│ …ota_baru.xlsx │ C12 │"
    assert lines[4].startswith("│ …") and lines[4].endswith(".xlsx │ D3  │")
    assert {cell_len(x) for x in lines} == {24}


def test_styles_only_with_colour():
    cols = [Column("Nilai", ["99,41", ""], "right", style="1;33")]
    plain = list(grid_lines(cols, title="T"))
    assert not any("\x1b" in line for line in plain)
    styled = list(grid_lines(cols, title="T", color=True))
    assert "\x1b[1;33m99,41\x1b[0m" in styled[4] and "\x1b" not in styled[5]  # blank cells bare
    assert styled[2] == "┃ \x1b[1mNilai\x1b[0m ┃" and styled[0].startswith("\x1b[3m")


def test_the_sample_table_lists_every_entrant_in_the_json_order(run):
    table = run("score", SAMPLE_2024).stdout.splitlines()
    doc = json.loads(run("score", SAMPLE_2024, "--format", "json").stdout)
    body = [line.split("│") for line in table if line.startswith("│")]
    assert [(int(cells[1]), cells[2].strip()) for cells in body] == [
        (r["rank"], r["id"]) for r in doc["results"]]
    assert len(body) == 1651 and len(_widths(table[1:-1])) == 1


def test_control_characters_in_names_never_reach_the_terminal(run, tmp_path, small_criteria_path):
    path = tmp_path / "a.csv"
    path.write_text("Kode,Nama,Kecamatan,Penilai,Pemilahan sampah,Air bersih (%),Kejadian\n"
                    "A,RT 001\x1b[2J\x07,Telanaipura,P1,4,80,1\n"
                    "B,RT\t002,Telanaipura,P1,3,70,2\n", encoding="utf-8")
    r = run("score", path, "-c", small_criteria_path)
    assert r.exit_code == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\t" not in r.stdout
    assert "RT 001\ufffd[2J\ufffd" in r.stdout and "RT 002" in r.stdout


def test_a_caption_longer_than_the_table_is_wrapped_to_its_width():
    caption = "All marks on a 0-1 scale, 1 best. Leniency: the mean difference from the median."
    lines = list(grid_lines([Column("Kode", ["A", "B"]), Column("Nilai", ["1", "2"], "right")],
                            caption=caption))
    width = len(lines[0])
    under = lines[lines.index(next(x for x in lines if x.startswith("└"))) + 1:]
    assert len(under) > 1 and all(len(x) <= width for x in under)
    assert " ".join(x.strip() for x in under) == caption
    short = list(grid_lines([Column("Kode peserta", ["A"])], caption="1 peserta"))
    assert short[-1].strip() == "1 peserta"
