"""Numbers typed as text, including the Indonesian decimal comma; ambiguous ones are refused."""

import pytest

from bantar_cli.io.numbers import AMBIGUOUS, NOT_A_NUMBER, parse_number


@pytest.mark.parametrize("text,value", [
    ("8,5", 8.5), ("8.5", 8.5), ("  7 ", 7.0), ("0,125", 0.125), ("1.234,5", 1234.5),
    ("1,234.5", 1234.5), ("1.234.567", 1234567.0), ("-3,5", -3.5), ("−2", -2.0), (",5", 0.5),
    ("1234.567", 1234.567), ("12,3456", 12.3456), ("100", 100.0),
])
def test_readable(text, value):
    assert parse_number(text) == (value, None)


@pytest.mark.parametrize("text", ["1.500", "2,750", "999.999", "-1.500"])
def test_two_readings_are_ambiguous(text):
    assert parse_number(text) == (None, AMBIGUOUS)


@pytest.mark.parametrize("text", ["abc", "85%", "1,2,3", "1.23.4", "4-5", "1.234,5,6", "Rp 5", "."])
def test_not_numbers(text):
    assert parse_number(text) == (None, NOT_A_NUMBER)


def test_blank_is_missing_not_an_error():
    assert parse_number("   ") == (None, None)
