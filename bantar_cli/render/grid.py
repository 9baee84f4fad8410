"""Long tables as plain text lines, in the look of rich's tables, at any length.

rich's ``Table`` measures, wraps and renders every cell as objects: about 2 ms a row here, three
seconds for the 1,651 entrants of the sample and hours for 330,000. A ranking needs none of that:
its cells are short texts in fixed columns. Here each column is padded in one pass and each row is
one join. On a terminal, text columns marked ``flexible`` are cut with '…' so that the table fits
the screen (ids and numbers never are); in a file or a pipe nothing is cut.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

MIN_FLEXIBLE = 8  # a cut text column keeps at least this many cells
RESET = "\x1b[0m"
BLOCK_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    header: str
    cells: Sequence[str]
    align: str = "left"  # "left", "right" or "center"
    style: str = ""  # SGR codes for the cells on a terminal: "1" bold, "1;33" bold yellow
    flexible: bool = False  # may be cut to fit a terminal
    cut_start: bool = False  # cut the start, not the end (a file's path: its name matters)


def width_of(text: str) -> int:
    """Terminal cells: a wide character (CJK, emoji) takes two."""
    return len(text) if text.isascii() else cell_len(text)


def _fitted(widths: list[int], columns: Sequence[Column], room: int | None) -> list[int]:
    """Column widths, the widest flexible ones narrowed until the table fits ``room`` cells."""
    if room is None:
        return widths
    out = list(widths)
    floor = [max(MIN_FLEXIBLE, width_of(c.header)) if c.flexible else w
             for c, w in zip(columns, widths, strict=True)]
    over = sum(out) + 3 * len(out) + 1 - room
    while over > 0:
        j = max(range(len(out)), key=lambda k: out[k] - floor[k])
        if out[j] <= floor[j]:
            break  # it cannot fit: the terminal wraps the lines
        out[j] -= 1
        over -= 1
    return out


# control characters in user text would move the cursor or restyle the terminal
_CONTROLS = {**dict.fromkeys([*range(32), *range(127, 160)], "\ufffd"), **dict.fromkeys(
    map(ord, "\t\n\r"), " ")}


def terminal_text(cells: Sequence[str]) -> list[str]:
    """User text as it is, but for control characters: a tab or line break becomes a space,
    others U+FFFD."""
    return [s if s.isprintable() else s.translate(_CONTROLS) for s in cells]


def _ascii(cells: Sequence[str]) -> bool:
    return "".join(cells).isascii()


def _column_width(c: Column) -> int:
    lengths = map(len, c.cells) if _ascii(c.cells) else map(width_of, c.cells)
    return max(width_of(c.header), max(lengths, default=0))


def _cut(s: str, width: int, start: bool) -> str:
    """``s`` in ``width`` cells, with '…' where text was left out."""
    if s.isascii():
        return "…" + s[len(s) - width + 1:] if start else s[: width - 1] + "…"
    if start:
        return "…" + set_cell_size(s[::-1], width - 1)[::-1]
    return set_cell_size(s, width - 1) + "…"


def _padded(cells: Sequence[str], width: int, align: str, cut_start: bool = False) -> list[str]:
    pad = {"left": str.ljust, "right": str.rjust, "center": str.center}[align]
    if _ascii(cells) and max(map(len, cells), default=0) <= width:  # the usual case, in C loops
        return list(map(pad, cells, itertools.repeat(width)))
    out = []
    for s in cells:
        if s.isascii() and len(s) <= width:
            out.append(pad(s, width))
        elif width_of(s) > width:
            out.append(_cut(s, width, cut_start))
        else:  # wide characters: pad by cells, not by characters
            out.append(pad(s, width - (width_of(s) - len(s))))
    return out


def _styled(text: str, style: str, color: bool) -> str:
    return f"\x1b[{style}m{text}{RESET}" if color and style else text


def grid_lines(columns: Sequence[Column], *, title: str = "", caption: str = "",
               room: int | None = None, color: bool = False) -> Iterator[str]:
    """The table's lines: title, boxed header, one line per row, caption (wrapped to the
    table's width). ``room``: the terminal's width (None: nothing is cut); ``color``: SGR
    styles (bold header, italic title, the columns' own styles)."""
    widths = [_column_width(c) for c in columns]
    widths = _fitted(widths, columns, room)
    total = sum(widths) + 3 * len(widths) + 1
    if title:
        yield _styled(title.center(max(total, width_of(title))).rstrip(), "3", color)
    yield "┏" + "┳".join("━" * (w + 2) for w in widths) + "┓"
    heads = [_styled(_padded([c.header], w, c.align)[0], "1", color)
             for c, w in zip(columns, widths, strict=True)]
    yield "┃ " + " ┃ ".join(heads) + " ┃"
    yield "┡" + "╇".join("━" * (w + 2) for w in widths) + "┩"
    n = len(columns[0].cells) if columns else 0
    for start in range(0, n, BLOCK_ROWS):  # padded a block at a time: one copy of the cells
        body = []
        for c, w in zip(columns, widths, strict=True):
            cells = _padded(c.cells[start:start + BLOCK_ROWS], w, c.align, c.cut_start)
            if color and c.style:
                cells = [f"\x1b[{c.style}m{s}{RESET}" if s.strip() else s for s in cells]
            body.append(cells)
        for row in zip(*body, strict=True):
            yield "│ " + " │ ".join(row) + " │"
    yield "└" + "┴".join("─" * (w + 2) for w in widths) + "┘"
    if caption:  # under the table, wrapped to its width when longer, as rich does
        for line in textwrap.wrap(caption, total) if width_of(caption) > total else [caption]:
            yield _styled(line.center(total).rstrip(), "2;3", color)
