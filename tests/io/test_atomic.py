"""Outputs are written whole or not at all."""

import pytest

from bantar_cli.io.atomic import write_atomic


def test_success_replaces_the_file(tmp_path):
    out = tmp_path / "hasil.xlsx"
    out.write_text("old")
    write_atomic(out, lambda p: p.write_text("new"))
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.xlsx"]


def test_failure_keeps_the_previous_file_and_leaves_nothing(tmp_path):
    out = tmp_path / "hasil.xlsx"
    out.write_text("old")

    def half(p):
        p.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(out, half)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.xlsx"]
