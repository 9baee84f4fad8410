"""Numbers typed as text: ``8,5`` (Indonesian decimal comma), ``8.5``, ``1.250,5``, ``1,250.5``.

A text that can be read two ways — one separator followed by exactly three digits, such as
``1.500`` (1500 with a thousands dot, or 1.5) — is refused as ``ambiguous-number``.
"""

from __future__ import annotations

import re

_BODY = re.compile(r"[0-9.,]+")
_GROUP = re.compile(r"[0-9]{3}")

NOT_A_NUMBER = "not-a-number"
AMBIGUOUS = "ambiguous-number"


def _grouped(int_part: str, sep: str) -> str | None:
    """'1.234.567' with sep '.' -> '1234567'; None when the groups are not 1–3 then 3 digits."""
    groups = int_part.split(sep)
    head, rest = groups[0], groups[1:]
    if not (1 <= len(head) <= 3 and head.isdigit()) or not all(_GROUP.fullmatch(g) for g in rest):
        return None
    return "".join(groups)


def parse_number(text: str) -> tuple[float | None, str | None]:
    """(value, None) for a number; (None, slug) for text that is not one or is ambiguous."""
    s = text.strip().replace("\u00a0", "")
    if not s:
        return None, None
    sign = ""
    if s[0] in "+-−":
        sign, s = ("-" if s[0] in "-−" else ""), s[1:].strip()
    if not _BODY.fullmatch(s) or not any(c.isdigit() for c in s):
        return None, NOT_A_NUMBER
    dots, commas = s.count("."), s.count(",")
    if dots == 0 and commas == 0:
        return float(sign + s), None
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        if s.count(dec) > 1:
            return None, NOT_A_NUMBER
        int_part, frac = s.split(dec)
        digits = _grouped(int_part, thou)
        if digits is None or not frac.isdigit():
            return None, NOT_A_NUMBER
        return float(f"{sign}{digits}.{frac}"), None
    sep = "." if dots else ","
    if s.count(sep) > 1:
        digits = _grouped(s, sep)
        return (float(sign + digits), None) if digits is not None else (None, NOT_A_NUMBER)
    int_part, frac = s.split(sep)
    if (frac and not frac.isdigit()) or (int_part and not int_part.isdigit()):
        return None, NOT_A_NUMBER
    if len(frac) == 3 and 1 <= len(int_part) <= 3 and not int_part.startswith("0"):
        return None, AMBIGUOUS
    return float(f"{sign}{int_part or '0'}.{frac or '0'}"), None
