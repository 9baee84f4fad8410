"""Machine-readable output helpers."""

from bantar_cli.render.formats import safe_text
from bantar_cli.render.labels import number


def test_safe_text_prefixes_formula_starts():
    assert [safe_text(s) for s in ["=1+1", "+62", "-5", "@SUM(1)", "RT 001", "\tx"]] == [
        "'=1+1", "'+62", "'-5", "'@SUM(1)", "RT 001", "'\tx"]


def test_numbers_in_both_languages():
    assert number(1651, "id", 0) == "1.651" and number(1651, "en", 0) == "1,651"
    assert number(87.3125, "id") == "87,31" and number(87.3125, "en") == "87.31"
