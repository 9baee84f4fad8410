"""The terminal ranking table: every entrant in a few seconds, however many there are."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd

from ..model import InputInfo, Scores
from .grid import Column, grid_lines, terminal_text
from .labels import label, number, numbers


def ranking_lines(scores: Scores, inputs: Sequence[InputInfo], *, lang: str,
                  top: int | None = None, awards: dict[str, list[str]] | None = None,
                  sensitivity: object = None, room: int | None = None,
                  color: bool = False, no_color: bool = False) -> Iterator[str]:
    """Rank, entrant, group, total and pillars; a ★ column names the awards of each winner.
    ``room``, ``color``: see ``grid_lines``; ``no_color``: styles without colours (NO_COLOR)."""
    c = scores.criteria
    t = scores.table
    shown = t if top is None else t.head(top)
    rows_read = sum(i.rows for i in inputs)
    title = f"{c.name} {c.version}".strip()
    caption = (f"{number(len(t), lang, 0)} {label('entrants', lang)}, "
               f"{number(rows_read, lang, 0)} {label('rows', lang)}")
    if top is not None and top < len(t):
        caption += " — " + label("showing_top", lang, n=number(top, lang, 0),
                                 total=number(len(t), lang, 0))
    ids = _texts(shown["id"].tolist())
    columns = [Column(label("rank", lang), [str(r) for r in shown["rank"].tolist()], "right"),
               Column(label("id", lang), ids)]
    heads = {"name": c.entrant.name or label("name", lang),
             "group": c.entrant.group or label("group", lang),
             "category": c.entrant.category or label("category", lang)}
    for k, head in heads.items():
        if k in t.columns and t[k].notna().any():
            columns.append(Column(head, _texts(shown[k].tolist()), flexible=True))
    columns.append(Column(label("score", lang), numbers(shown["score"].tolist(), lang), "right",
                          style="1"))
    columns += [Column(p.title(lang), numbers(shown[p.key].tolist(), lang), "right")
                for p in c.pillars]
    if sensitivity is not None:
        s = sensitivity
        columns.append(Column(label("rank_range", lang), [
            f"{a}–{b}" for a, b in zip(s.p05[:len(shown)].tolist(),  # type: ignore[attr-defined]
                                       s.p95[:len(shown)].tolist(), strict=True)], "center"))  # type: ignore[attr-defined]
    if awards is not None:
        got = [awards.get(i) for i in ids]
        columns.append(Column("★ " + label("award", lang),
                              ["★ " + "; ".join(g) if g else "" for g in got],
                              style="1" if no_color else "1;33", flexible=True))
    return grid_lines(columns, title=title, caption=caption, room=room, color=color)


def _texts(values: list[object]) -> list[str]:
    """User text as it is, but for control characters; a missing value as an empty cell."""
    return terminal_text([v if type(v) is str else "" if pd.isna(v) else str(v)  # type: ignore[arg-type]
                          for v in values])
